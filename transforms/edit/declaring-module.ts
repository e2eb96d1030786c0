/**
 * Rewrites a store module: the stateful declarations move, text kept, into `create…()`; the module
 * gains `init…Context()` (create + setContext) and `get…Context()` (getContext). Stateless code
 * keeps its place.
 *
 *   export const cart = writable([]);        function createCartContext() {
 *   export function addItem(i) {       ->      const cart = writable([]);
 *     cart.update(...)                         function addItem(i) { … }
 *   }                                          return { cart, addItem };
 *                                            }
 *                                            export function initCartContext() { … }
 *                                            export function getCartContext() { … }
 */
import type { Node, Statement } from '@babel/types';
import type { Project } from '../analyse/project.js';
import type { ProjectFiles } from '../types.js';
import { walk } from '../analyse/ast.js';
import { bundleKey } from '../analyse/find-stores.js';
import type { ModulePlan } from '../plan.js';
import { contextApi } from './context-api.js';
import { rewriteConsumerImports, type ContextCall } from './consumer.js';
import { indexedType, type Replacement, type TypeUseEdits } from './type-uses.js';
import { lineEndAfter, lineStartOf, unusedName } from '../text.js';
import { codeAfterComments, endOf, fileHeaderLength, insertAfterImports, namesInUse, quoted, removeStatement, rewriteSpecifierList, startOf, statement, statementLineRange, type ScriptEditor } from './script-edits.js';

/**
 * `exportCreate`: unit tests make state of their own with `create…Context()`, so it is exported.
 * Returns the modules whose bundles `create…` takes, in the order of its parameters.
 */
export function rewriteDeclaringModule(editor: ScriptEditor, plan: ModulePlan, project: Project, files: ProjectFiles, typeEdits: TypeUseEdits, exportCreate = false): ModulePlan[] {
  const { module, names } = plan;
  const { style } = editor;
  const eol = style.eol;

  // `typeof` of state that moves names the context type: this module's own (`typeof cart` in a
  // type that stays), and other modules' imported only as types. In moved code the new text goes
  // into the copy, elsewhere in place.
  const ownQueries = module.typeQueries.filter((query) => !query.imported).map(({ node, path }) => ({ start: startOf(editor, node), end: endOf(editor, node), text: indexedType(editor, names.type, path) }));
  // `typeof` of another store module's state outside the moved code names that module's context
  // type, imported as a type (`keyof typeof colors` -> `keyof PaletteContext['colors']`).
  const dependencyTypes = new Map<ModulePlan, string>();
  const typeImports: string[] = [];
  for (const query of module.typeQueries) {
    const use = query.imported === undefined ? undefined : plan.dependencies.find((candidate) => candidate.name.local === query.imported && candidate.name.imported !== '*');
    if (!use) continue;
    let local = dependencyTypes.get(use.plan);
    if (!local) {
      local = unusedName(use.plan.names.type, [], namesInUse(editor, dependencyTypes.values()));
      dependencyTypes.set(use.plan, local);
      typeImports.push(statement(style, `import type { ${local === use.plan.names.type ? local : `${use.plan.names.type} as ${local}`} } from ${quoted(style, use.statement.source)}`));
    }
    ownQueries.push({ start: startOf(editor, query.node), end: endOf(editor, query.node), text: indexedType(editor, local, [use.bundleKey, ...query.path]) });
  }
  const queries = [...ownQueries, ...typeEdits.queries];
  // State from other store modules comes from their bundles: parameters of `create…` that default
  // to the context (it runs in the root layout, after their init), so that a test can hand its own in.
  const dependencyCalls = rewriteConsumerImports(editor, plan.dependencies, 'get', typeEdits.specifiers).calls;
  const parameters = dependencyCalls.map((call) => contextParameter(call));
  const pieces = module.moved.map((item) => movedPiece(editor, item.statement, module.statefulExports.get('default'), queries));
  const inPieces = (query: Replacement) => pieces.some((piece) => piece.lineStart <= query.start && query.end <= piece.lineEnd);
  const movedCode = pieces.map((piece, i) => (i > 0 && piece.blankLineBefore ? eol : '') + (i > 0 ? apartFrom(pieces[i - 1]!.code, piece.code) : piece.code)).join(eol);
  const body = movedCode;
  // One entry per key: a store exported under several names (`export { items, items as default }`)
  // may give the same key twice.
  const bundle = new Map([...module.statefulExports].map(([exported, local]) => [bundleKey(module, exported), local]));
  const entries = [...bundle].map(([key, local]) => (key === local ? local : `${key}: ${local}`));
  const returned = statement(style, `${style.indent}return { ${entries.join(', ')} }`);

  const create = [`${exportCreate ? 'export ' : ''}function ${names.create}(${parameters.join(', ')}) {`, body, '', returned, '}'].join(eol);
  const api = contextApi(editor, plan, project, files);
  const replacement = [create, ...api.declarations].join(eol + eol) + eol;

  const [first, ...rest] = pieces;
  const scriptEnd = editor.script.offset + editor.script.code.length;
  if (nothingStaysAfter(editor.text, first!.lineEnd, scriptEnd, rest)) {
    // The new code ends the module: no blank line is left dangling after it.
    editor.edits.overwrite(first!.lineStart, scriptEnd, replacement);
  } else {
    editor.edits.overwrite(first!.lineStart, first!.lineEnd, replacement + (codeFollowsDirectly(editor.text, first!.lineEnd, rest) ? eol : ''));
    for (const piece of rest) editor.edits.remove(piece.removeStart, piece.removeEnd);
    // Pieces that ended the module go with the blank lines between them: the kept code ends it.
    const tail = rest.find((piece) => nothingStaysAfter(editor.text, piece.lineStart, scriptEnd, rest));
    if (tail) editor.edits.remove(lineEndAfter(editor.text, lastCodeBefore(editor.text, tail.lineStart)), scriptEnd);
  }

  removeFromExportLists(editor, module.statefulLocals);
  for (const query of queries) if (!inPieces(query)) editor.edits.overwrite(query.start, query.end, query.text);
  insertAfterImports(editor, [...api.imports, ...typeImports]);
  return dependencyCalls.map((call) => call.plan);
}

/**
 * A moved statement placed after another one that did not precede it: without semicolons,
 * `[cart].forEach(…)` after `const cart = writable(0)` would index the store. It gets the
 * leading semicolon the no-semicolon style writes (`;[cart].forEach(…)`) unless the one before ends with one.
 */
function apartFrom(previous: string, code: string): string {
  const { at, continues } = codeAfterComments(code);
  if (!continues || /;[ \t]*(?:\/\/[^\n]*)?\s*$/.test(previous)) return code;
  return `${code.slice(0, at)};${code.slice(at)}`;
}

/** `{ cart } = getCartContext()`: a dependency's bundle as a parameter that defaults to the context. */
function contextParameter(call: ContextCall): string {
  if (call.namespace) return `${call.namespace.local} = { ...${call.namespace.module}, ...${call.callee}() }`;
  const pattern = call.bindings.map(({ key, local }) => (key === local ? key : `${key}: ${local}`)).join(', ');
  return `{ ${pattern} } = ${call.from ?? `${call.callee}()`}`;
}

/** Whether all code after `offset` moves away, leaving only whitespace. */
function nothingStaysAfter(text: string, offset: number, end: number, removed: MovedPiece[]): boolean {
  for (let i = offset; i < end; i++) {
    if (/\s/.test(text[i]!)) continue;
    const piece = removed.find((candidate) => candidate.removeStart <= i && i < candidate.removeEnd);
    if (!piece) return false;
    i = piece.removeEnd - 1;
  }
  return true;
}

/** Offset of the last non-whitespace character before `offset`. */
function lastCodeBefore(text: string, offset: number): number {
  let i = offset - 1;
  while (i > 0 && /\s/.test(text[i]!)) i--;
  return i;
}

/** Whether, once the other pieces are gone, a code line would follow `offset` with no blank line between. */
function codeFollowsDirectly(text: string, offset: number, removed: MovedPiece[]): boolean {
  for (let piece = removed.find((p) => p.removeStart === offset); piece; piece = removed.find((p) => p.removeStart === offset)) {
    offset = piece.removeEnd;
  }
  return /^[ \t]*\S/.test(text.slice(offset, lineEndAfter(text, offset)));
}

interface MovedPiece {
  /** The statement's text without `export`, indented one level, comments included. */
  code: string;
  /** Start of the statement's first line (its comments included). */
  lineStart: number;
  /** `lineStart`, or earlier by a blank line that would be left dangling at the file's end. */
  removeStart: number;
  /** End of the statement's last line. */
  lineEnd: number;
  /** `lineEnd`, or past one more blank line when the statement stood between two. */
  removeEnd: number;
  blankLineBefore: boolean;
}

function movedPiece(editor: ScriptEditor, node: Statement, defaultLocal: string | undefined, replacements: Replacement[]): MovedPiece {
  const { text } = editor;
  const start = startOf(editor, node);
  const commentStart = ownLineComments(editor, node)[0];
  const pieceStart = commentStart ?? start;
  let end = endOf(editor, node);
  const sameLineComment = /^[ \t]*\/\/[^\n]*?(?=\r?\n|$)/.exec(text.slice(end));
  if (sameLineComment) end += sameLineComment[0].length;

  const inner = (node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration') && node.declaration ? node.declaration : node;
  const templates = templateRanges(editor, inner);
  const comments = pieceStart < start ? indentLines(editor, pieceStart, start, templates, []) : '';
  let code = indentLines(editor, startOf(editor, inner), end, templates, replacements);
  // `export default writable(0)` becomes `const count = writable(0)`; a named default function keeps its declaration.
  if (node.type === 'ExportDefaultDeclaration' && !((inner.type === 'FunctionDeclaration' || inner.type === 'ClassDeclaration') && inner.id)) {
    const statementEnd = /;\s*$/.test(code) || !editor.style.semicolon ? '' : ';';
    code = `${editor.style.indent}const ${defaultLocal} = ${code.slice(editor.style.indent.length)}${statementEnd}`;
  }
  code = comments + code;

  const [removeStart, lineEnd] = statementLineRange(editor, pieceStart, end);
  const previousLineStart = lineStartOf(text, Math.max(removeStart - 1, 0));
  const blankLineBefore = /^[ \t]*\r?\n$/.test(text.slice(previousLineStart, removeStart));
  // A function's overload signatures move with it, line by line: the blank lines around them count
  // as around the function (taken along after its body, kept between the overloads).
  const overloads = overloadsBefore(editor, node);
  if (overloads === 'overload') return { code, lineStart: removeStart, lineEnd, removeStart, removeEnd: lineEnd, blankLineBefore };
  const [groupStart] = overloads ? statementLineRange(editor, ownLineComments(editor, overloads)[0] ?? startOf(editor, overloads), end) : [removeStart];
  const groupLineBefore = lineStartOf(text, Math.max(groupStart - 1, 0));
  const blankLineBeforeGroup = /^[ \t]*\r?\n$/.test(text.slice(groupLineBefore, groupStart));
  // Take one blank line along when the statement sat between two (or ended the file after one),
  // so that no double gap is left behind.
  const nextLineEnd = lineEndAfter(text, lineEnd);
  const blankLineAfter = /^[ \t]*\r?\n$/.test(text.slice(lineEnd, nextLineEnd));
  const endsFile = !/\S/.test(text.slice(lineEnd));
  if (blankLineBeforeGroup && endsFile) return { code, lineStart: removeStart, lineEnd, removeStart: overloads ? removeStart : previousLineStart, removeEnd: text.length, blankLineBefore };
  const removeEnd = blankLineBeforeGroup && blankLineAfter ? nextLineEnd : lineEnd;
  return { code, lineStart: removeStart, lineEnd, removeStart, removeEnd, blankLineBefore };
}

/**
 * For a function's body statement: the first of the overload signatures right above it
 * (`function read(path: string): string;`), if any; for an overload signature itself, `'overload'`.
 */
function overloadsBefore(editor: ScriptEditor, node: Statement): Statement | 'overload' | undefined {
  const body = editor.script.ast.program.body;
  const nameOf = (statement: Statement | undefined) => {
    const declaration = statement?.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    return declaration?.type === 'TSDeclareFunction' || declaration?.type === 'FunctionDeclaration' ? { name: declaration.id?.name, overload: declaration.type === 'TSDeclareFunction' } : undefined;
  };
  const own = nameOf(node);
  if (!own?.name) return undefined;
  if (own.overload) return nameOf(body[body.indexOf(node) + 1])?.name === own.name ? 'overload' : undefined;
  let first: Statement | undefined;
  for (let i = body.indexOf(node) - 1; i >= 0 && nameOf(body[i])?.overload && nameOf(body[i])?.name === own.name; i--) first = body[i];
  return first;
}

/**
 * Leading comments that belong to a statement and move with it: on their own lines, with no blank
 * line between them and the statement. A file header (`// @ts-check`, a licence) stays.
 */
function ownLineComments(editor: ScriptEditor, node: Node): number[] {
  const { text, script } = editor;
  const starts: number[] = [];
  let next = startOf(editor, node);
  const headerEnd = script.offset + (script.kind === 'module' ? fileHeaderLength(script.code) : 0);
  for (const comment of [...(node.leadingComments ?? [])].reverse()) {
    const start = script.offset + comment.start!;
    const end = script.offset + comment.end!;
    const ownLine = /^[ \t]*$/.test(text.slice(lineStartOf(text, start), start));
    const touching = !/\n[ \t]*\r?\n/.test(text.slice(end, next));
    if (!ownLine || !touching || start < headerEnd || /^\s*(?:@ts-|\/\s*<reference|eslint-)/.test(comment.value)) break;
    starts.unshift(start);
    next = start;
  }
  return starts;
}

/** Ranges inside template literals, where a new indentation would change the string. */
function templateRanges(editor: ScriptEditor, node: Node): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  walk(node, (child) => {
    if (child.type === 'TemplateElement') ranges.push([startOf(editor, child), endOf(editor, child)]);
  });
  return ranges;
}

/**
 * Text of [start, end) with one more indentation level on every line that starts outside a
 * template, and `replacements` (one-line texts) in place of the ranges they replace.
 */
function indentLines(editor: ScriptEditor, start: number, end: number, templates: Array<[number, number]>, replacements: Replacement[]): string {
  const { text, style } = editor;
  let result = style.indent;
  for (let i = start; i < end; i++) {
    const replacement = replacements.find((candidate) => candidate.start === i);
    if (replacement) {
      result += replacement.text;
      i = replacement.end - 1;
      continue;
    }
    const char = text[i]!;
    result += char;
    if (char !== '\n' || i + 1 >= end) continue;
    const lineStart = i + 1;
    const insideTemplate = templates.some(([from, to]) => lineStart > from && lineStart <= to);
    const blank = /^[ \t]*(?:\r?\n|$)/.test(text.slice(lineStart, Math.min(end, lineEndAfter(text, lineStart))));
    if (!insideTemplate && !blank) result += style.indent;
  }
  return result;
}

/** `export { cart, TAX }` loses the names that moved into the bundle; `export default cart` goes. */
function removeFromExportLists(editor: ScriptEditor, statefulLocals: Set<string>): void {
  for (const node of editor.script.ast.program.body) {
    if (node.type === 'ExportDefaultDeclaration' && node.declaration.type === 'Identifier' && statefulLocals.has(node.declaration.name)) {
      removeStatement(editor, node);
    }
    if (node.type !== 'ExportNamedDeclaration' || node.source || node.declaration) continue;
    const kept = node.specifiers.filter((specifier) => !(specifier.type === 'ExportSpecifier' && statefulLocals.has(specifier.local.name)));
    if (kept.length !== node.specifiers.length) rewriteSpecifierList(editor, node, kept);
  }
}
