/**
 * Parsing: one JS/TS parser (jscodeshift's `ts` parser) for every piece of script. A component's
 * scripts are found by scanning its tags (`script-locator.ts`); `svelte/compiler` reads the markup
 * only where it matters: a component the scan does not answer for, the leak analysis, and the
 * check of a written component whose edits are not all inside one script.
 */
import { createRequire } from 'node:module';
import type { File as BabelFile } from '@babel/types';
import type { AST } from 'svelte/compiler';
import { MigrationError } from '../errors.js';
import { lineColumn } from '../text.js';
import { locateScripts, type LocatedScripts } from './script-locator.js';

const require = createRequire(import.meta.url);
/**
 * jscodeshift's `ts` parser: its own @babel/parser with its options, but without the token list,
 * which nothing here reads and which made every kept AST several times larger (a third of a big
 * run went to garbage collection).
 */
const jscodeshiftRequire = createRequire(require.resolve('jscodeshift/parser/ts.js'));
const babelParser = jscodeshiftRequire('@babel/parser') as { parse(code: string, options: object): BabelFile };
const tsOptions = { ...(jscodeshiftRequire('./tsOptions.js') as object), tokens: false };
const tsParser = { parse: (code: string): BabelFile => babelParser.parse(code, tsOptions) };

/**
 * Svelte's parser, loaded when a markup is first read: many runs read none. Its one-file CommonJS
 * build, as loading the ES module build (hundreds of modules) takes several times longer.
 */
type SvelteParse = (source: string, options: { modern: true }) => AST.Root;
let svelteParser: SvelteParse | undefined;
const parseSvelte: SvelteParse = (source, options) => (svelteParser ??= (require('svelte/compiler') as { parse: SvelteParse }).parse)(source, options);

export type ScriptKind =
  /** A whole `.js`/`.ts` file. */
  | 'module'
  /** The instance `<script>` of a component: runs once per component instance, so context works there. */
  | 'instance'
  /** `<script module>` / `<script context="module">`: runs once per process, like a module. */
  | 'component-module';

export interface Script {
  kind: ScriptKind;
  /** Where the script's code starts in its file; AST offsets are relative to it. */
  offset: number;
  code: string;
  ast: BabelFile;
  lang: 'ts' | 'js';
}

export interface ParsedFile {
  path: string;
  text: string;
  isComponent: boolean;
  scripts: Script[];
  /** For components: where a new instance script may go (after a module script, else the file start). */
  instanceInsertAt: number;
}

export function isComponentPath(path: string): boolean {
  return path.endsWith('.svelte');
}

export function isScriptPath(path: string): boolean {
  return /\.(?:[cm]?[jt]s)$/.test(path) && !path.endsWith('.d.ts');
}

/** Parses a script's code on its own; offsets in errors are mapped back into `fileText` at `offset`. */
export function parseScriptCode(path: string, fileText: string, code: string, offset: number): BabelFile {
  try {
    return tsParser.parse(code);
  } catch (error) {
    const position = typeof (error as { pos?: unknown }).pos === 'number' ? (error as { pos: number }).pos : 0;
    const { line, column } = lineColumn(fileText, offset + position);
    const message = String((error as Error).message).replace(/\s*\(\d+:\d+\)$/, '');
    throw new MigrationError(path, line, column, `cannot parse: ${message}`);
  }
}

/**
 * Drops every node's line-and-column `loc` (nothing here reads it: places are offsets) from a tree
 * that is kept. Those objects are two fifths of a kept tree, and a kept tree is copied by the
 * garbage collector as it ages: on a big app this takes more time off collecting than the walk costs.
 */
export function dropLocations(node: object): void {
  const record = node as Record<string, unknown>;
  record.loc = null;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const value = record[keys[i]!];
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let j = 0; j < value.length; j++) {
        const item = value[j] as unknown;
        if (item !== null && typeof item === 'object' && (item as { loc?: unknown }).loc !== undefined) dropLocations(item);
      }
    } else if ((value as { loc?: unknown }).loc !== undefined && (value as { type?: unknown }).type !== undefined) {
      dropLocations(value);
    }
  }
}

/**
 * How much of a component to read: `locate` finds its scripts by scanning its tags, leaving the
 * markup to Svelte's parser only when the scan cannot tell; `parse` has Svelte's parser read the
 * markup too, so that a markup error is an error.
 */
export type MarkupReading = 'locate' | 'parse';

export function parseFile(path: string, text: string, markup: MarkupReading = 'locate'): ParsedFile {
  if (!isComponentPath(path)) {
    const ast = parseScriptCode(path, text, text, 0);
    const lang = /\.[cm]?ts$/.test(path) ? 'ts' : 'js';
    return { path, text, isComponent: false, scripts: [{ kind: 'module', offset: 0, code: text, ast, lang }], instanceInsertAt: 0 };
  }
  const located = locateScripts(text);
  if (located && markup === 'locate') {
    const scripts = located.scripts.map(({ kind, start, end, lang }): Script => {
      const code = text.slice(start, end);
      return { kind, offset: start, code, ast: parseScriptCode(path, text, code, start), lang };
    });
    const moduleScript = located.scripts.find((script) => script.kind === 'component-module');
    return { path, text, isComponent: true, scripts: sortModuleFirst(scripts), instanceInsertAt: moduleScript?.tagEnd ?? 0 };
  }

  const root = parseComponent(path, text, located);
  const scripts: Script[] = [];
  for (const [kind, node] of [
    ['component-module', root.module],
    ['instance', root.instance],
  ] as const) {
    if (!node) continue;
    const { start, end } = node.content as unknown as { start: number; end: number };
    const code = text.slice(start, end);
    const lang = scriptLang(node.attributes as unknown as ScriptAttribute[]);
    scripts.push({ kind, offset: start, code, ast: parseScriptCode(path, text, code, start), lang });
  }
  const moduleEnd = root.module ? (root.module as unknown as { end: number }).end : 0;
  return { path, text, isComponent: true, scripts, instanceInsertAt: moduleEnd };
}

/** The module script first, then the instance script, as Svelte's parser hands them over. */
function sortModuleFirst(scripts: Script[]): Script[] {
  return scripts.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'component-module' ? -1 : 1));
}

/** A component's text with its scripts' code blanked (line breaks kept): its markup, at the same offsets. */
export function markupText(file: ParsedFile): string {
  return blankRanges(file.text, [...file.scripts].sort((a, b) => a.offset - b.offset).map((script) => ({ start: script.offset, end: script.offset + script.code.length })));
}

/** Every character but line breaks as a space: offsets, lines and columns stay as they were. */
const spaces = (code: string): string => code.replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length));

/** `text` with each range's characters as spaces (line breaks kept), at the same offsets; ranges in order. */
export function blankRanges(text: string, ranges: ReadonlyArray<{ start: number; end: number }>): string {
  let blanked = '';
  let at = 0;
  for (const { start, end } of ranges) {
    blanked += text.slice(at, start) + spaces(text.slice(start, end));
    at = end;
  }
  return blanked + text.slice(at);
}

/**
 * A parsed component's markup as Svelte's parser reads it (expressions are ESTree nodes at file
 * offsets); throws a `MigrationError` when it does not parse.
 */
export function parseMarkup(file: ParsedFile): unknown {
  return parseComponent(file.path, file.text).fragment;
}

/**
 * Svelte's own parse of a component, for its markup (and its scripts' places when the locator
 * cannot tell them). The scripts the locator found are blanked first: their code is the TS
 * parser's to read, and Svelte's parser would read it a second time.
 */
function parseComponent(path: string, text: string, located = locateScripts(text)): AST.Root {
  try {
    return parseSvelte(blankScripts(withoutStyleContent(text), located), { modern: true });
  } catch (error) {
    const start = (error as { start?: { line: number; column: number } }).start;
    const message = String((error as Error).message).split('\n')[0];
    throw new MigrationError(path, start?.line ?? 1, (start?.column ?? 0) + 1, `cannot parse: ${message}`);
  }
}

/**
 * Where the scripts of a written component are, when its markup is known to be unchanged: its
 * edits all fall inside one script of `before` (the usual consumer rewrite). Undefined otherwise:
 * then the whole file must be read again, markup included.
 */
export interface ScriptLayout {
  scripts: Array<{ kind: ScriptKind; start: number; end: number; lang: 'ts' | 'js' }>;
  instanceInsertAt: number;
}

export function writtenLayout(text: string, before: ParsedFile | undefined): ScriptLayout | undefined {
  if (!before?.isComponent) return undefined;
  const changed = onlyChangedScript(before, text);
  if (!changed || /<\/script/i.test(changed.code)) return undefined;
  const delta = changed.code.length - changed.script.code.length;
  const shift = (offset: number) => (offset > changed.script.offset ? offset + delta : offset);
  return {
    scripts: before.scripts.map((script) => ({ kind: script.kind, start: shift(script.offset), end: shift(script.offset) + (script === changed.script ? changed.code.length : script.code.length), lang: script.lang })),
    instanceInsertAt: shift(before.instanceInsertAt),
  };
}

/**
 * Parses a file the run would write, throwing a `MigrationError` if it does not parse as what it
 * is. A component with a `layout` (its markup unchanged) has only its scripts parsed again; any
 * other component goes through Svelte's parser, which reads its markup too.
 */
export function parseWritten(path: string, text: string, layout?: ScriptLayout): ParsedFile {
  if (!isComponentPath(path) || !layout) return parseFile(path, text, 'parse');
  const scripts = layout.scripts.map(({ kind, start, end, lang }): Script => {
    const code = text.slice(start, end);
    return { kind, offset: start, code, ast: parseScriptCode(path, text, code, start), lang };
  });
  return { path, text, isComponent: true, scripts, instanceInsertAt: layout.instanceInsertAt };
}

/** The new code of the one script of `before` that `text` differs in, when nothing else differs. */
function onlyChangedScript(before: ParsedFile, text: string): { script: Script; code: string } | undefined {
  for (const script of before.scripts) {
    const prefix = before.text.slice(0, script.offset);
    const suffix = before.text.slice(script.offset + script.code.length);
    if (text.length >= prefix.length + suffix.length && text.startsWith(prefix) && text.endsWith(suffix)) {
      return { script, code: text.slice(prefix.length, text.length - suffix.length) };
    }
  }
  return undefined;
}

/** Comments, scripts and styles at the top level of a component, as Svelte's `preprocess` finds them. */
const TOP_LEVEL_BLOCK = /<!--[\s\S]*?-->|<(script|style)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?>([\s\S]*?)<\/\1\s*>/gi;

/**
 * The component's text as Svelte's parser should see it, at the same offsets: style content
 * blanked (SCSS, Less, nesting and `//` comments are no reason a component cannot be read, and
 * nothing here reads CSS), and a byte-order mark as a space (Svelte drops it, which would shift
 * every offset by one).
 */
function withoutStyleContent(text: string): string {
  const masked = text.replace(TOP_LEVEL_BLOCK, (block, tag: string | undefined, content: string | undefined) => {
    if (tag?.toLowerCase() !== 'style' || !content) return block;
    const closing = block.slice(block.lastIndexOf('</'));
    const opening = block.slice(0, block.length - closing.length - content.length);
    return opening + spaces(content) + closing;
  });
  return masked.startsWith('\uFEFF') ? ` ${masked.slice(1)}` : masked;
}

/** The located scripts' code as spaces (line breaks kept), at the same offsets: the markup, as `markupText` gives it. */
export function blankScripts(text: string, located: LocatedScripts | undefined): string {
  return located ? blankRanges(text, located.scripts) : text;
}

interface ScriptAttribute {
  name: string;
  value: true | Array<{ type: string; data?: string }>;
}

function scriptLang(attributes: ScriptAttribute[]): 'ts' | 'js' {
  const lang = attributes.find((attribute) => attribute.name === 'lang');
  const value = lang && lang.value !== true ? lang.value.map((part) => part.data ?? '').join('') : '';
  return value === 'ts' || value === 'typescript' ? 'ts' : 'js';
}
