/**
 * Parsing: one JS/TS parser (jscodeshift's `ts` parser) for every piece of script, and
 * `svelte/compiler` only to find where the scripts of a component are.
 */
import { createRequire } from 'node:module';
import type { File as BabelFile } from '@babel/types';
import { parse as parseSvelte } from 'svelte/compiler';
import { MigrationError } from '../errors.js';
import { lineColumn } from '../text.js';

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

export function parseFile(path: string, text: string): ParsedFile {
  if (!isComponentPath(path)) {
    const ast = parseScriptCode(path, text, text, 0);
    const lang = /\.[cm]?ts$/.test(path) ? 'ts' : 'js';
    return { path, text, isComponent: false, scripts: [{ kind: 'module', offset: 0, code: text, ast, lang }], instanceInsertAt: 0 };
  }

  const root = parseComponent(path, text);
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

/** Svelte's own parse of a component: markup, and script syntax as Svelte reads it. */
function parseComponent(path: string, text: string): ReturnType<typeof parseSvelte> {
  try {
    return parseSvelte(text, { modern: true });
  } catch (error) {
    const start = (error as { start?: { line: number; column: number } }).start;
    const message = String((error as Error).message).split('\n')[0];
    throw new MigrationError(path, start?.line ?? 1, (start?.column ?? 0) + 1, `cannot parse: ${message}`);
  }
}

/**
 * Throws a `MigrationError` if a file the run would write does not parse as what it is. A module
 * goes through the script parser. A component whose edits all fall inside one script of `before`
 * (the usual consumer rewrite) needs only that script parsed again, as its markup is unchanged;
 * any other component is checked by Svelte, which reads its scripts too.
 */
export function checkSyntax(path: string, text: string, before?: ParsedFile): void {
  if (!isComponentPath(path)) return void parseScriptCode(path, text, text, 0);
  const changed = before && onlyChangedScript(before, text);
  if (changed && !/<\/script/i.test(changed.code)) parseScriptCode(path, text, changed.code, changed.offset);
  else parseComponent(path, text);
}

/** The new code of the one script of `before` that `text` differs in, when nothing else differs. */
function onlyChangedScript(before: ParsedFile, text: string): { code: string; offset: number } | undefined {
  for (const script of before.scripts) {
    const prefix = before.text.slice(0, script.offset);
    const suffix = before.text.slice(script.offset + script.code.length);
    if (text.length >= prefix.length + suffix.length && text.startsWith(prefix) && text.endsWith(suffix)) {
      return { code: text.slice(prefix.length, text.length - suffix.length), offset: script.offset };
    }
  }
  return undefined;
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
