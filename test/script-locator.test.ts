/**
 * The script locator against Svelte's parser: for every component of every fixture, and for
 * generated tricky ones, the scan either gives no answer (Svelte's parser then decides) or finds
 * exactly the scripts Svelte's parser finds: kind, code range, closing tag and language.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../transforms/analyse/parse.js';
import { locateScripts, type LocatedScript } from '../transforms/analyse/script-locator.js';
import { componentsUnder, FIXTURES } from './helpers.js';

interface SvelteScript {
  start: number;
  end: number;
  content: { start: number; end: number };
  attributes: Array<{ name: string; value: true | Array<{ data?: string }> }>;
}

/** What Svelte's parser finds, in the locator's terms; undefined when it throws. */
function svelteScripts(text: string): LocatedScript[] | undefined {
  let root: { module: SvelteScript | null; instance: SvelteScript | null };
  try {
    // Styles are blanked as the tool does before Svelte parses (SCSS is no reason to fail).
    root = parse(text.replace(/(<style[^>]*>)([\s\S]*?)(<\/style\s*>)/g, (_, open: string, css: string, close: string) => open + css.replace(/[^\r\n]/g, ' ') + close).replace(/^\uFEFF/, ' '), { modern: true }) as never;
  } catch {
    return undefined;
  }
  const scripts: LocatedScript[] = [];
  for (const [kind, node] of [['component-module', root.module], ['instance', root.instance]] as const) {
    if (!node) continue;
    const lang = node.attributes.find((attribute) => attribute.name === 'lang');
    const value = lang && lang.value !== true ? lang.value.map((part) => part.data ?? '').join('') : '';
    scripts.push({ kind, start: node.content.start, end: node.content.end, tagEnd: node.end, lang: value === 'ts' || value === 'typescript' ? 'ts' : 'js' });
  }
  return scripts.sort((a, b) => a.start - b.start);
}


/**
 * Asserts agreement; returns whether the locator answered. Where Svelte's parser fails because a
 * script does not parse, the locator may answer: the run then fails on that script, as it must.
 */
function agrees(text: string): boolean {
  const located = locateScripts(text);
  if (!located) return false;
  const fromSvelte = svelteScripts(text);
  if (fromSvelte === undefined) expect(() => parseFile('A.svelte', text), 'the locator answered where Svelte fails, and the scripts parse').toThrow(/cannot parse/);
  else expect(located.scripts).toEqual(fromSvelte);
  return true;
}

describe('agrees with Svelte on every fixture component', () => {
  const files = componentsUnder(FIXTURES);
  it.each(files.map((path) => [path.slice(FIXTURES.length + 1)]))('%s', (path) => {
    agrees(readFileSync(join(FIXTURES, path), 'utf8'));
  });

  it('answers for most of them (else it saves nothing)', () => {
    const answered = files.filter((path) => locateScripts(readFileSync(path, 'utf8')) !== undefined).length;
    expect(files.length).toBeGreaterThan(200);
    expect(answered / files.length).toBeGreaterThan(0.9);
  });
});

const instance = '<script lang="ts">\n\tlet a = 1;\n</script>';
const tricky: Record<string, { text: string; answers: boolean }> = {
  'a script in an HTML comment before the real one': { text: `<!-- <script>let x = 1;</script> -->\n${instance}\n<p>{a}</p>\n`, answers: true },
  'a script in an HTML comment between the scripts and the markup': { text: `${instance}\n<!-- <script>nope</script> -->\n<p>{a}</p>\n`, answers: true },
  'a script in an HTML comment in the markup': { text: `${instance}\n<p>{a}</p>\n<!-- <script>nope</script> -->\n`, answers: false },
  'a script tag in a string in the markup': { text: `${instance}\n<p>{'<script>alert(1)</script>'}</p>\n`, answers: false },
  'a script in {@html}': { text: `${instance}\n{@html '<script>x()</script>'}\n`, answers: false },
  'a script inside <svelte:head>': { text: `${instance}\n<svelte:head><script src="/a.js"></script></svelte:head>\n`, answers: false },
  'the instance script after the markup': { text: `<p>{a}</p>\n\n${instance}\n`, answers: false },
  'generics with > and a newline in attributes': { text: '<script\n\tlang="ts"\n\tgenerics="T extends Record<string, unknown>, U = Array<T>"\n>\n\tlet { a }: { a: T } = $props();\n</script>\n\n<p>{a}</p>\n', answers: true },
  'context="module" before the instance': { text: `<script context="module" lang="ts">\n\texport const b = 2;\n</script>\n\n${instance}\n`, answers: true },
  'module attribute after the instance': { text: `${instance}\n<script module>\n\texport const b = 2;\n</script>\n<p>{a}</p>\n`, answers: true },
  "single-quoted and unquoted attributes": { text: "<script lang='ts' context=module>\n\texport const b = 2;\n</script>\n<script lang=typescript>\n\tlet a = 1;\n</script>\n", answers: true },
  'svelte:options before the scripts': { text: `<svelte:options runes={true} />\n${instance}\n<p>{a}</p>\n`, answers: true },
  'svelte:options with an object': { text: `<svelte:options customElement={{ tag: 'x-a' }} />\n${instance}\n<p>{a}</p>\n`, answers: false },
  'svelte:options with several options': { text: `<svelte:options accessors={true} immutable />\n${instance}\n<p>{a}</p>\n`, answers: true },
  'a byte-order mark': { text: `\uFEFF${instance}\n<p>{a}</p>\n`, answers: true },
  'CRLF line endings': { text: `${instance}\n<p>{a}</p>\n`.replace(/\n/g, '\r\n'), answers: true },
  'SCSS styles first, with // comments and nesting': { text: `<style lang="scss">\n\t// <script> in a comment\n\t.a { .b { color: red; } }\n</style>\n${instance}\n<p>{a}</p>\n`, answers: true },
  'a closing tag with whitespace': { text: '<script>\n\tlet a = 1;\n</script   >\n<p>{a}</p>\n', answers: true },
  'no script at all': { text: '<p>static</p>\n<style>\n\tp { color: red; }\n</style>\n', answers: true },
  'two instance scripts (an error Svelte reports)': { text: `${instance}\n${instance}\n`, answers: false },
  'a self-closing script': { text: '<script src="/x.js" />\n<p>a</p>\n', answers: false },
  'an expression in a script attribute': { text: '<script lang={"ts"}>\n\tlet a = 1;\n</script>\n', answers: false },
  'an uppercase SCRIPT in the markup (a component to Svelte)': { text: `${instance}\n<p>text</p><SCRIPT>x</SCRIPT>\n`, answers: true },
  'a component named Script': { text: `<script>\n\timport Script from './Script.svelte';\n</script>\n<Script />\n`, answers: true },
  'an unclosed comment': { text: `<!-- open\n${instance}\n`, answers: false },
  'a script holding a string with </scr ipt>': { text: "<script>\n\tconst s = '<\\/script>';\n</script>\n<p>{s}</p>\n", answers: true },
};

describe('agrees with Svelte on tricky components, or leaves them to it', () => {
  it.each(Object.entries(tricky))('%s', (_, { text, answers }) => {
    expect(agrees(text)).toBe(answers);
  });
});
