/**
 * Finding a component's scripts without parsing it: a scan of the tags before its markup, as
 * Svelte's own `preprocess` finds scripts (skipping comments). Svelte's parser reads the whole
 * markup, which costs as much as parsing the scripts; nothing here needs the markup to find them.
 *
 * The scan answers only for a component laid out plainly: scripts, styles, comments and
 * `<svelte:options />` before the markup, and no other `<script` anywhere after. For anything else
 * (a script after the markup, one inside `<svelte:head>`, a string or `{@html}` holding `<script`,
 * attributes it does not read) it gives no answer and Svelte's parser decides. A differential test
 * holds it to Svelte's parser on every fixture and on generated tricky components.
 */

export interface LocatedScript {
  kind: 'instance' | 'component-module';
  /** Where the script's code starts and ends (between the tags). */
  start: number;
  end: number;
  /** Just past the closing tag. */
  tagEnd: number;
  lang: 'ts' | 'js';
}

export interface LocatedScripts {
  /** In the order they appear. */
  scripts: LocatedScript[];
}

/** `name`, `name=value`, `name="value"`, `name='value'`; a `{` (an expression) is left to Svelte. */
const ATTRIBUTE = /\s+([^\s"'>/={}]+)(?:\s*=\s*(?:"([^"{}]*)"|'([^'{}]*)'|([^\s"'=<>`{}]+)))?/y;
/** `<svelte:options>` also takes simple expressions: `runes={true}`, `customElement={{ tag: 'x-a' }}`. */
const OPTION = /\s+([^\s"'>/={}]+)(?:\s*=\s*(?:"([^"{}]*)"|'([^'{}]*)'|([^\s"'=<>`{}]+)|(\{\{[^{}"'`]*\}\}|\{[^{}"'`]*\})))?/y;
const WHITESPACE = /[\s\uFEFF]*/y;

export function locateScripts(text: string): LocatedScripts | undefined {
  const scripts: LocatedScript[] = [];
  let at = 0;
  for (;;) {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
    if (text.startsWith('<!--', at)) {
      const close = text.indexOf('-->', at + 4);
      if (close === -1) return undefined;
      at = close + 3;
      continue;
    }
    const tag = /<(script|style|svelte:options)(?=[\s/>])/y;
    tag.lastIndex = at;
    const opened = tag.exec(text);
    if (!opened) break;
    const name = opened[1]!;
    const attributes = readAttributes(text, tag.lastIndex, name === 'svelte:options' ? OPTION : ATTRIBUTE);
    if (!attributes) return undefined;
    at = attributes.end;
    if (name === 'svelte:options') {
      // Only the self-closing form: `<svelte:options …></svelte:options>` is rare, and Svelte's to read.
      if (!text.startsWith('/>', at)) return undefined;
      at += 2;
      continue;
    }
    if (!text.startsWith('>', at)) return undefined;
    const contentStart = at + 1;
    const closing = new RegExp(`</${name}\\s*>`, 'g');
    closing.lastIndex = contentStart;
    const closed = closing.exec(text);
    if (!closed) return undefined;
    at = closing.lastIndex;
    if (name === 'style') continue;
    const isModule = attributes.values.has('module') || attributes.values.get('context') === 'module';
    const lang = attributes.values.get('lang');
    scripts.push({ kind: isModule ? 'component-module' : 'instance', start: contentStart, end: closed.index, tagEnd: at, lang: lang === 'ts' || lang === 'typescript' ? 'ts' : 'js' });
  }
  // Two scripts of a kind is Svelte's error to report; a `<script` past this point is a script
  // Svelte may read as the component's (after the markup) or not (in `<svelte:head>`, a string).
  // (`<Script>` and `<SCRIPT>` are components to Svelte.)
  if (new Set(scripts.map((script) => script.kind)).size !== scripts.length) return undefined;
  if (/<script[\s/>]/.test(text.slice(at))) return undefined;
  return { scripts };
}

function readAttributes(text: string, from: number, grammar: RegExp): { values: Map<string, string | true>; end: number } | undefined {
  const values = new Map<string, string | true>();
  let at = from;
  for (;;) {
    grammar.lastIndex = at;
    const attribute = grammar.exec(text);
    if (!attribute) break;
    values.set(attribute[1]!, attribute[2] ?? attribute[3] ?? attribute[4] ?? attribute[5] ?? true);
    at = grammar.lastIndex;
  }
  WHITESPACE.lastIndex = at;
  WHITESPACE.exec(text);
  at = WHITESPACE.lastIndex;
  return text.startsWith('>', at) || text.startsWith('/>', at) ? { values, end: at } : undefined;
}
