/**
 * Edits inside one script, shared by every rewrite: specifier lists, whole statements, new lines
 * after the imports. Offsets are the original file's; `script.offset` maps AST offsets to them.
 */
import type MagicString from 'magic-string';
import type { Node } from '@babel/types';
import type { Script } from '../analyse/parse.js';
import { identifierNames } from '../analyse/ast.js';
import { indentationAt, lineEndAfter, lineStartOf, type CodeStyle } from '../text.js';

export interface ScriptEditor {
  text: string;
  script: Script;
  /** Every script of the file (a component's module and instance scripts share one top level). */
  scripts: readonly Script[];
  edits: MagicString;
  style: CodeStyle;
}

export const startOf = (editor: ScriptEditor, node: Node): number => editor.script.offset + node.start!;
export const endOf = (editor: ScriptEditor, node: Node): number => editor.script.offset + node.end!;

/**
 * The names the file's scripts declare or use (not property names, comments or strings), plus
 * `taken`: what a new name must avoid. The scripts' trees are walked only when a name asked about
 * is in their text at all, as most generated names are not.
 */
export function namesInUse(editor: Pick<ScriptEditor, 'scripts'>, taken: Iterable<string> = []): NamesInUse {
  const given = new Set(taken);
  let all: Set<string> | undefined;
  const names = () => (all ??= new Set([...given, ...editor.scripts.flatMap((script) => [...identifierNames(script.ast.program)])]));
  return {
    has: (name) => given.has(name) || (editor.scripts.some((script) => script.code.includes(name)) && names().has(name)),
    [Symbol.iterator]: () => names()[Symbol.iterator](),
  };
}

export type NamesInUse = Pick<ReadonlySet<string>, 'has'> & Iterable<string>;

/** The end of the script's code, in file offsets. */
const scriptEnd = (editor: ScriptEditor): number => editor.script.offset + editor.script.code.length;

/** Removes a statement with its line when it stands alone on it (and a blank line it would leave at the end). */
export function removeStatement(editor: ScriptEditor, node: Node): void {
  const { text } = editor;
  let [start, end] = statementLineRange(editor, startOf(editor, node), endOf(editor, node));
  const previousLineStart = lineStartOf(text, Math.max(start - 1, editor.script.offset));
  const atEnd = !/\S/.test(text.slice(end, scriptEnd(editor)));
  if (atEnd && previousLineStart < start && /^[ \t]*\r?\n$/.test(text.slice(previousLineStart, start))) start = previousLineStart;
  editor.edits.remove(start, end);
}

/** [start, end) covering whole lines when nothing else stands on them, else exactly the node. */
export function statementLineRange(editor: ScriptEditor, start: number, end: number): [number, number] {
  const { text } = editor;
  const lineStart = Math.max(lineStartOf(text, start), editor.script.offset);
  const lineEnd = Math.min(lineEndAfter(text, end), scriptEnd(editor));
  const aloneBefore = /^[ \t]*$/.test(text.slice(lineStart, start));
  const aloneAfter = /^[ \t]*(?:\r?\n)?$/.test(text.slice(end, lineEnd));
  return aloneBefore && aloneAfter ? [lineStart, lineEnd] : [start, end];
}

/**
 * Rewrites the `{ … }` list of an import or export declaration to `list`: original specifiers
 * (their text kept) and new ones as strings. Removes the whole statement when nothing is left.
 */
export function rewriteSpecifierList(editor: ScriptEditor, declaration: Node & { specifiers: Node[] }, list: Array<Node | string>): void {
  const { text, edits } = editor;
  const named = declaration.specifiers.filter((specifier) => specifier.type === 'ImportSpecifier' || specifier.type === 'ExportSpecifier');
  const leading = declaration.specifiers.filter((specifier) => !(named as Node[]).includes(specifier));
  const items = list.map((item) => (typeof item === 'string' ? item : text.slice(startOf(editor, item), endOf(editor, item))));

  if (named.length === 0) {
    if (items.length > 0) edits.appendLeft(endOf(editor, leading[leading.length - 1]!), `, { ${items.join(', ')} }`);
    return;
  }
  const open = text.lastIndexOf('{', startOf(editor, named[0]!));
  const close = text.indexOf('}', endOf(editor, named[named.length - 1]!));
  if (items.length === 0) {
    if (leading.length === 0) removeStatement(editor, declaration);
    else edits.remove(endOf(editor, leading[leading.length - 1]!), close + 1);
    return;
  }
  const inside = text.slice(open + 1, close);
  if (!inside.includes('\n')) {
    const pad = inside.startsWith(' ') ? ' ' : '';
    edits.overwrite(open, close + 1, `{${pad}${items.join(', ')}${pad}}`);
    return;
  }
  const itemIndent = indentationAt(text, startOf(editor, named[0]!));
  const closeIndent = indentationAt(text, close);
  const trailingComma = /,\s*$/.test(text.slice(endOf(editor, named[named.length - 1]!), close));
  const eol = editor.style.eol;
  edits.overwrite(open, close + 1, `{${eol}${items.map((item) => itemIndent + item).join(`,${eol}`)}${trailingComma ? ',' : ''}${eol}${closeIndent}}`);
}

/**
 * Rewrites everything between `import` and `from` to a `{ … }` list: for an import whose default
 * or namespace binding goes away. Removes the statement when the list is empty.
 */
export function replaceImportClause(editor: ScriptEditor, declaration: Node & { source: Node; importKind?: string | null }, list: Array<Node | string>): void {
  if (list.length === 0) return removeStatement(editor, declaration);
  const items = list.map((item) => (typeof item === 'string' ? item : editor.text.slice(startOf(editor, item), endOf(editor, item))));
  const keyword = declaration.importKind === 'type' ? 'import type' : 'import';
  editor.edits.overwrite(startOf(editor, declaration), startOf(editor, declaration.source), `${keyword} { ${items.join(', ')} } from `);
}

/**
 * The last import of the run of imports the script starts with, if any. An import further down
 * (imports are hoisted, so people put them anywhere) does not count: lines inserted after it
 * would come after code that already uses what they declare.
 */
function lastLeadingImport(editor: ScriptEditor): Node | undefined {
  const body = editor.script.ast.program.body;
  const firstOther = body.findIndex((statement) => statement.type !== 'ImportDeclaration');
  return (firstOther === -1 ? body : body.slice(0, firstOther)).at(-1);
}

/**
 * Inserts whole lines after the imports the script starts with (or at its start), indented like
 * the script, so that they come before every other statement.
 * `lines` are complete statements without indentation or line ends; an empty string is a blank line.
 */
export function insertAfterImports(editor: ScriptEditor, lines: string[], { beforeEarlierInserts = false } = {}): void {
  // Lines inserted at the same place by an earlier call come first, unless these must precede them (imports).
  const insert = (at: number, text: string) => (beforeEarlierInserts ? editor.edits.prependLeft(at, text) : editor.edits.appendLeft(at, text));
  if (lines.length === 0) return;
  const { text, style } = editor;
  const anchor = lastLeadingImport(editor);
  const indent = anchor ? indentationAt(text, startOf(editor, anchor)) : scriptIndent(editor);
  // Without semicolons, a statement runs into a next line that starts with `(`, `[`, a template…
  // (`getCartContext()` then `[1, 2].forEach(…)` would index its result): it gets one then.
  const blockBefore = (at: number) => terminatedLines(lines, runsOn(text, at, scriptEnd(editor))).map((line) => (line === '' ? '' : indent + line)).join(style.eol);
  if (anchor) {
    let end = endOf(editor, anchor);
    // `import …\n;[1, 2].forEach(…)`: the `;` opening the next line ends the import, but it belongs
    // to the statement after it (a style without semicolons); the lines go before it.
    const leadingSemicolon = /\r?\n[ \t]*;$/.exec(text.slice(startOf(editor, anchor), end));
    if (leadingSemicolon) end -= leadingSemicolon[0].length;
    const newline = text.indexOf('\n', end);
    if (newline !== -1 && newline < scriptEnd(editor) && /^[ \t]*\r?$/.test(text.slice(end, newline))) {
      insert(newline + 1, blockBefore(newline + 1) + style.eol);
    } else {
      insert(end, style.eol + blockBefore(end));
    }
    return;
  }
  // No imports: put the lines first in the script, after its opening line break.
  const start = editor.script.offset;
  const firstBreak = /^[ \t]*\r?\n/.exec(editor.script.code);
  if (firstBreak) insert(start + firstBreak[0].length, blockBefore(start + firstBreak[0].length) + style.eol + blankLineIfCodeFollows(editor, start + firstBreak[0].length));
  else if (editor.script.kind === 'module') {
    // After a file header (`// @ts-check`, a licence), else first.
    const at = start + fileHeaderLength(editor.script.code);
    insert(at, blockBefore(at) + style.eol + blankLineIfCodeFollows(editor, at));
  }
  else insert(start, style.eol + blockBefore(start) + style.eol);
}

/**
 * The length of the header a module's code starts with: comment lines followed by a blank line
 * (`// @ts-check`, a licence), or, when the first statement follows directly, the comments up to
 * the last one naming a licence or copyright (`/* SPDX-License-Identifier: … *\/`); a doc comment
 * after it is the statement's. The header stays where it is.
 */
export function fileHeaderLength(code: string): number {
  const commentLine = /[ \t]*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/)[ \t]*\r?\n/y;
  let end = 0;
  let licenceEnd = 0;
  for (let match = commentLine.exec(code); match; match = commentLine.exec(code)) {
    end = commentLine.lastIndex;
    if (/SPDX-|copyright|@license|@preserve/i.test(match[0])) licenceEnd = end;
  }
  const blankLine = end > 0 ? /^[ \t]*\r?\n/.exec(code.slice(end)) : null;
  return blankLine ? end + blankLine[0].length : licenceEnd;
}

/**
 * Whether the code from `at` (comments and white space skipped) starts with what would continue an
 * expression ended by a line break: `(`, `[`, a template, `+`, `-`, `/` (a regular expression), or
 * `<` (a TypeScript type assertion). Automatic semicolon insertion does not end a statement there.
 */
function runsOn(text: string, at: number, end = text.length): boolean {
  return codeAfterComments(text.slice(at, end)).continues;
}

/** Where the code of `text` starts (white space and comments skipped), and whether a statement before it would run into it (see `runsOn`). */
export function codeAfterComments(text: string): { at: number; continues: boolean } {
  const skipped = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(text)![0].length;
  const next = text[skipped];
  return { at: skipped, continues: next !== undefined && '([`+-/<'.includes(next) };
}

/** `lines` with a semicolon after the last statement when `needed` and it has none (in a style without them). */
function terminatedLines(lines: string[], needed: boolean): string[] {
  const last = lines.findLastIndex((line) => line !== '');
  if (!needed || last === -1 || lines[last]!.endsWith(';')) return lines;
  return lines.map((line, i) => (i === last ? `${line};` : line));
}

function blankLineIfCodeFollows(editor: ScriptEditor, at: number): string {
  return /\S/.test(editor.text.slice(at, scriptEnd(editor))) ? editor.style.eol : '';
}

/** The indentation of the script's first code line; components conventionally indent their scripts. */
function scriptIndent(editor: ScriptEditor): string {
  const firstCode = /^(?:[ \t]*\r?\n)*([ \t]*)\S/.exec(editor.script.code);
  if (firstCode) return firstCode[1]!;
  return editor.script.kind === 'module' ? '' : editor.style.indent;
}

/** A statement with the file's semicolon habit. */
export const statement = (style: CodeStyle, code: string): string => (style.semicolon ? `${code};` : code);

/** A string literal in the file's quote style. */
export const quoted = (style: CodeStyle, value: string): string => `${style.quote}${value}${style.quote}`;
