/** Small pieces with inputs built inline: style detection, names, resolution, free references. */
import { describe, expect, it } from 'vitest';
import { freeReferences } from '../transforms/analyse/ast.js';
import { parseFile, parseWritten, writtenLayout } from '../transforms/analyse/parse.js';
import { discoverProject } from '../transforms/analyse/project.js';
import { importSpecifier, resolveImport } from '../transforms/analyse/resolve.js';
import { isTestFile } from '../transforms/analyse/store-modules.js';
import { SourceIndex } from '../transforms/analyse/source-index.js';
import { planMigration } from '../transforms/plan.js';
import { detectStyle, lineColumn, unusedName } from '../transforms/text.js';
import { checkLeaks, formatReport, migrate } from '../transforms/index.js';

describe('isTestFile', () => {
  it('knows unit tests, test folders beside the source and setup files', () => {
    for (const path of ['src/lib/cart.test.ts', 'src/lib/cart.svelte.spec.js', 'src/lib/__tests__/cart.ts', 'tests/unit/cart.ts', 'e2e/auth.setup.ts', 'vitest.setup.ts', 'src/setupTests.ts']) {
      expect(isTestFile(path), path).toBe(true);
    }
  });

  it('leaves app code alone: a route called tests, a module named like a setup', () => {
    for (const path of ['src/routes/tests/+page.ts', 'src/lib/tests/helpers.ts', 'src/lib/i18n.setup.ts', 'src/lib/testing.ts']) {
      expect(isTestFile(path), path).toBe(false);
    }
  });
});

describe('detectStyle', () => {
  it('reads tabs, single quotes and semicolons', () => {
    expect(detectStyle("import a from 'a';\nfunction f() {\n\treturn 1;\n}\n")).toEqual({ eol: '\n', indent: '\t', quote: "'", semicolon: true });
  });
  it('counts only lines that end a statement', () => {
    expect(detectStyle('export interface A {\n\tb: string;\n}\nexport class C {\n}\nexport const c = new C();\n').semicolon).toBe(true);
    expect(detectStyle('export const list = [\n\t1,\n]\nexport const c = 2\n').semicolon).toBe(false);
  });
  it('reads CRLF, two spaces, double quotes and no semicolons', () => {
    expect(detectStyle('import a from "a"\r\nconst b = 1\r\nif (b) {\r\n  f()\r\n    g()\r\n}\r\n')).toEqual({ eol: '\r\n', indent: '  ', quote: '"', semicolon: false });
  });
});

describe('unusedName', () => {
  it('skips names used as whole words, not as parts of words', () => {
    expect(unusedName('getCart', ['const getCart = 1;'])).toBe('getCart2');
    expect(unusedName('getCart', ['const getCartItems = 1; $getCart_x'])).toBe('getCart');
    expect(unusedName('getCart', ['getCart getCart2'], new Set())).toBe('getCart3');
  });
});

describe('lineColumn', () => {
  it('is 1-based', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('resolveImport', () => {
  const files = new Map([
    ['svelte.config.js', "export default { kit: { alias: { $ui: 'src/ui', '@state/*': './src/state/*' }, files: { lib: 'src/library' } } };"],
    ['src/library/cart.ts', ''],
    ['src/library/stores/index.js', ''],
    ['src/ui/Button.svelte', ''],
    ['src/state/user.ts', ''],
    ['src/state/index.ts', ''],
  ]);
  const project = discoverProject(files, {});
  const resolve = (specifier: string, importer = 'src/routes/+page.svelte') => resolveImport(specifier, importer, project, files);

  it('follows $lib to kit.files.lib, with or without extension, and .js for .ts', () => {
    expect(resolve('$lib/cart')).toBe('src/library/cart.ts');
    expect(resolve('$lib/cart.js')).toBe('src/library/cart.ts');
    expect(resolve('$lib/stores')).toBe('src/library/stores/index.js');
  });
  it('follows kit.alias; a /* alias matches only inside its folder', () => {
    expect(resolve('$ui/Button.svelte')).toBe('src/ui/Button.svelte');
    expect(resolve('@state/user')).toBe('src/state/user.ts');
    expect(resolve('@state')).toBeUndefined();
  });
  it('resolves relative paths and leaves packages alone', () => {
    expect(resolve('../../library/cart', 'src/routes/x/+page.svelte')).toBe('src/library/cart.ts');
    expect(resolve('svelte/store')).toBeUndefined();
  });
  it('writes imports through $lib when it can', () => {
    expect(importSpecifier('src/routes/+layout.svelte', 'src/library/stores/index.js', project, files)).toBe('$lib/stores');
    expect(importSpecifier('src/routes/+layout.svelte', 'src/state/user.ts', project, files)).toBe('../state/user');
  });
});

describe('resolveImport into workspace packages', () => {
  const files = new Map([
    ['svelte.config.js', 'export default {};'],
    ['../../packages/stores/package.json', JSON.stringify({ name: '@acme/stores', exports: { '.': { types: './dist/index.d.ts', svelte: './dist/index.js' }, './*': './src/*.ts' } })],
    ['../../packages/stores/src/index.ts', ''],
    ['../../packages/stores/src/cart.ts', ''],
    ['../../packages/plain/package.json', JSON.stringify({ name: 'plain', main: 'lib/main.js' })],
    ['../../packages/plain/lib/main.js', ''],
    ['../../packages/plain/lib/other.js', ''],
  ]);
  const packages = [
    { name: '@acme/stores', dir: '../../packages/stores' },
    { name: 'plain', dir: '../../packages/plain' },
  ];
  const project = discoverProject(files, { packages });
  const resolve = (specifier: string, importer = 'src/routes/+page.svelte') => resolveImport(specifier, importer, project, files);

  it('follows exports conditions and patterns, editing dist/ in its sources', () => {
    expect(resolve('@acme/stores')).toBe('../../packages/stores/src/index.ts');
    expect(resolve('@acme/stores/cart')).toBe('../../packages/stores/src/cart.ts');
    expect(resolve('@acme/stores/missing')).toBeUndefined();
  });
  it('follows main without exports, and subpaths as files', () => {
    expect(resolve('plain')).toBe('../../packages/plain/lib/main.js');
    expect(resolve('plain/lib/other')).toBe('../../packages/plain/lib/other.js');
    expect(resolve('plainer')).toBeUndefined();
  });
  it('resolves relative imports inside a package, but not elsewhere above the app', () => {
    expect(resolve('./cart', '../../packages/stores/src/index.ts')).toBe('../../packages/stores/src/cart.ts');
    expect(resolve('../../packages/stores/src/cart', 'src/x.ts')).toBeUndefined();
  });
  it('names a package module by the package from outside it, relatively from inside', () => {
    expect(importSpecifier('src/routes/+layout.svelte', '../../packages/stores/src/cart.ts', project, files)).toBe('@acme/stores/cart');
    expect(importSpecifier('src/routes/+layout.svelte', '../../packages/stores/src/index.ts', project, files)).toBe('@acme/stores');
    expect(importSpecifier('../../packages/stores/src/cart.ts', '../../packages/stores/src/context-keys.ts', project, files)).toBe('./context-keys');
    expect(project.packages.map((pkg) => pkg.keyModule)).toEqual(['../../packages/stores/src/context-keys.ts', '../../packages/plain/context-keys.js']);
  });
});

describe('freeReferences', () => {
  const refs = (code: string) => [...freeReferences(parseFile('x.ts', code).scripts[0]!.ast.program).values].sort();
  it('ignores parameters, locals, property keys and member names', () => {
    expect(refs('function f(a) { const b = 1; return a + b + o.c + { d: 1 }.d; }')).toEqual(['o']);
  });
  it('sees shorthand properties, defaults and computed keys as reads', () => {
    expect(refs('const f = (x = dflt) => ({ s, [k]: 1 });')).toEqual(['dflt', 'k', 's']);
  });
  it('respects block scope and catch parameters', () => {
    expect(refs('{ let s = 1; s++; } try {} catch (e) { e; } s;')).toEqual(['s']);
  });
  it('does not count type positions as value reads', () => {
    expect(refs('let a: Store = b as Other;')).toEqual(['b']);
  });
});

describe('parseWritten', () => {
  const before = parseFile('src/A.svelte', '<script context="module">\n\texport const b = 2;\n</script>\n<script lang="ts">\n\tlet a = 1;\n</script>\n\n<p>{a}</p>\n');
  const reparse = (text: string) => parseWritten('src/A.svelte', text, writtenLayout(text, before));
  it('parses only the scripts when the edits stayed inside one of them', () => {
    const text = '<script context="module">\n\texport const b = 2;\n</script>\n<script lang="ts">\n\tconst { a } = get();\n</script>\n\n<p>{a}</p>\n';
    const layout = writtenLayout(text, before)!;
    expect(layout.scripts.map(({ kind, start, end, lang }) => [kind, text.slice(start, end), lang])).toEqual([
      ['component-module', '\n\texport const b = 2;\n', 'js'],
      ['instance', '\n\tconst { a } = get();\n', 'ts'],
    ]);
    expect(reparse(text).scripts.map((script) => [script.kind, script.ast.program.body.length])).toEqual([
      ['component-module', 1],
      ['instance', 1],
    ]);
    expect(() => reparse('<script context="module">\n\texport const b = 2;\n</script>\n<script lang="ts">\n\tconst { a } = ;\n</script>\n\n<p>{a}</p>\n')).toThrow(/A\.svelte:5:\d+: cannot parse/);
  });
  it('parses the whole component when the markup changed too', () => {
    expect(writtenLayout('<script context="module">\n\texport const b = 2;\n</script>\n<script lang="ts">\n\tlet a = 1;\n</script>\n\n<p>{a</p>\n', before)).toBeUndefined();
    expect(() => reparse('<script context="module">\n\texport const b = 2;\n</script>\n<script lang="ts">\n\tlet a = 1;\n</script>\n\n<p>{a</p>\n')).toThrow(/cannot parse/);
    expect(() => reparse('<script context="module">\n\texport const b = 2;\n</script>\n<script lang="ts">\n\tlet a = 1;</script><script>\n</script>\n\n<p>{a}</p>\n')).toThrow(/cannot parse/);
  });
});

describe('formatReport', () => {
  it('names a module by what it hands out, and leaves out the parentheses when it exports none of its state', () => {
    const { report } = migrate(
      {
        'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.40.0' } }),
        'svelte.config.js': 'export default { kit: {} };\n',
        'src/routes/+layout.svelte': "<script>\n\timport Output from '$lib/Output.svelte';\n\tlet { children } = $props();\n</script>\n\n<Output />\n{@render children()}\n",
        'src/lib/Output.svelte': '<script module>\n\tlet initial = $state(0);\n</script>\n\n<p>{initial}</p>\n',
        'src/lib/cart.ts': "import { writable } from 'svelte/store';\nexport const cart = writable<string[]>([]);\n",
        'src/routes/+page.svelte': "<script>\n\timport { cart } from '$lib/cart';\n</script>\n\n<button onclick={() => cart.set([])}>{$cart.length}</button>\n",
      },
      { complete: true },
    );
    const lines = formatReport(report).split('\n');
    expect(lines).toContain('blocked   src/lib/Output.svelte');
    expect(lines).toContain('migrated  src/lib/cart.ts (cart)');
  });

  it('says where latent state is written: in the browser, by startup code, or both', () => {
    const { report } = migrate(
      {
        'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.40.0' } }),
        'svelte.config.js': 'export default { kit: {} };\n',
        'src/lib/state.ts': [
          "import { writable } from 'svelte/store';",
          'export const clicked = writable(0);',
          'export const booted = writable(false);',
          'booted.set(true);',
          'export const both = writable(0);',
          'both.set(1);',
          '',
        ].join('\n'),
        'src/routes/+page.svelte': "<script>\n\timport { clicked, booted, both } from '$lib/state';\n</script>\n\n<button onclick={() => { clicked.set(1); both.set(2); }}>{$booted}</button>\n",
      },
      { complete: true },
    );
    const lines = formatReport(report).split('\n');
    expect(lines).toContain('    clicked: latent: written only in the browser');
    expect(lines).toContain('    booted: latent: written only by code run or set up at startup');
    expect(lines).toContain('    both: latent: written only in the browser and by code run or set up at startup');
  });
});

describe('style of a file that shows none', () => {
  it('indents generated code as most of the app does when the store module has no indented line and no setting names one', () => {
    const { files } = migrate(
      {
        'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.40.0' } }),
        'svelte.config.js': 'export default { kit: {} };\n',
        'src/lib/title.ts': "import { writable } from 'svelte/store';\nexport const title = writable('');\n",
        'src/lib/format.ts': 'export function upper(text: string) {\n  return text.toUpperCase();\n}\n',
        'src/routes/+layout.svelte': '<script lang="ts">\n  let { children } = $props();\n</script>\n\n{@render children()}\n',
        'src/routes/+page.svelte': "<script lang=\"ts\">\n  import { title } from '$lib/title';\n  title.set('Home');\n</script>\n\n<h1>{$title}</h1>\n",
      },
      { complete: true },
    );
    expect(files.get('src/lib/title.ts')).toContain("function createTitleContext() {\n  const title = writable('');\n");
    expect(files.get('src/lib/title.ts')).not.toContain('\t');
  });
});

describe('style of a root layout of markup only', () => {
  it('writes its new script like the store module it inits: no semicolons, double quotes, two spaces', () => {
    const { files } = migrate(
      {
        'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^4.2.0' } }),
        'svelte.config.js': 'export default { kit: {} }\n',
        'src/lib/title.ts': 'import { writable } from "svelte/store"\n\nexport function blank() {\n  return ""\n}\n\nexport const title = writable(blank())\n',
        'src/routes/+layout.svelte': '<slot />\n',
        'src/routes/+page.svelte': '<script lang="ts">\n  import { title } from "$lib/title"\n  title.set("Home")\n</script>\n\n<h1>{$title}</h1>\n',
      },
      { complete: true },
    );
    expect(files.get('src/routes/+layout.svelte')).toBe('<script lang="ts">\n  import { initTitleContext } from "$lib/title"\n\n  initTitleContext()\n</script>\n\n<slot />\n');
  });
});

describe('style of a file that shows none, with the sources outside src', () => {
  it('reads the indentation from the routes and lib folders the Kit config names', () => {
    const { files } = migrate(
      {
        'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.40.0' } }),
        'svelte.config.js': "export default { kit: { files: { lib: 'lib', routes: 'routes' } } };\n",
        'lib/title.ts': "import { writable } from 'svelte/store';\nexport const title = writable('');\n",
        'lib/format.ts': 'export function upper(text: string) {\n  return text.toUpperCase();\n}\n',
        'routes/+layout.svelte': '<script lang="ts">\n  let { children } = $props();\n</script>\n\n{@render children()}\n',
        'routes/+page.svelte': "<script lang=\"ts\">\n  import { title } from '$lib/title';\n  title.set('Home');\n</script>\n\n<h1>{$title}</h1>\n",
      },
      { complete: true },
    );
    expect(files.get('lib/title.ts')).toContain("function createTitleContext() {\n  const title = writable('');\n");
  });
});

describe('planning', () => {
  it('does not parse a module a consumer imports when no chain of imports leads from it to a store module', () => {
    const files = new Map(
      Object.entries({
        'package.json': '{"devDependencies":{"@sveltejs/kit":"^2.0.0","svelte":"^5.0.0"}}',
        'src/lib/cart.ts': "import { writable } from 'svelte/store';\nexport const cart = writable(0);\n",
        'src/lib/format.ts': 'export const money = (n: number) => n.toFixed(2);\n',
        'src/lib/total.ts': "import { get } from 'svelte/store';\nimport { cart } from './cart';\nexport const total = () => get(cart);\n",
        'src/routes/+layout.svelte': '<slot />\n',
        'src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { money } from '$lib/format';\n\timport { cart } from '$lib/cart';\n\timport { total } from '$lib/total';\n</script>\n\n<p>{money($cart + total())}</p>\n",
      }),
    );
    const index = new SourceIndex(files, discoverProject(files, {}));
    const plan = planMigration(index);
    expect(plan.modules.map((module) => [module.module.file, module.consumers.map((use) => `${use.file.path} ${use.name.local}`)])).toEqual([
      ['src/lib/cart.ts', ['src/routes/+page.svelte cart']],
      ['src/lib/total.ts', ['src/routes/+page.svelte total']],
    ]);
    expect(index.wasRead('src/lib/format.ts')).toBe(false);
  });
});

describe('leak check of a store destructured from its creator', () => {
  const app = (page: string) => ({
    'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
    'svelte.config.js': 'export default { kit: {} };\n',
    'src/lib/mode.ts':
      "import { writable } from 'svelte/store';\n\nconst { subscribe, set, update: change } = writable<'code' | 'iframe'>('code');\n\nexport const mode = { subscribe, showIframe() { set('iframe'); } };\nexport { change };\n",
    'src/routes/+layout.svelte': '<script lang="ts">\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n',
    'src/routes/+page.svelte': page,
  });
  const classes = (page: string) => Object.fromEntries(checkLeaks(app(page)).state.map((item) => [item.name, `${item.class} ${item.writes.map((write) => `${write.file}:${write.line} ${write.runs}`).join(', ')}`]));
  it('counts a call of its set, made while rendering through a method, as a write of every name of the pattern', () => {
    expect(classes("<script lang=\"ts\">\n\timport { mode } from '$lib/mode';\n\tmode.showIframe();\n</script>\n\n<p>{$mode}</p>\n")).toEqual({
      subscribe: 'leaks src/lib/mode.ts:5 server',
      set: 'leaks src/lib/mode.ts:5 server',
      change: 'leaks src/lib/mode.ts:5 server',
    });
  });
  it('counts its imported update, renamed and called in an event handler, as a browser write; reading $mode runs no method', () => {
    // (`set` in the method no one calls counts as a browser write, as any write in uncalled code does.)
    expect(classes("<script lang=\"ts\">\n\timport { mode, change } from '$lib/mode';\n</script>\n\n<button onclick={() => change((m) => m)}>{$mode}</button>\n")).toEqual({
      subscribe: 'latent src/lib/mode.ts:5 browser, src/routes/+page.svelte:5 browser',
      set: 'latent src/lib/mode.ts:5 browser, src/routes/+page.svelte:5 browser',
      change: 'latent src/lib/mode.ts:5 browser, src/routes/+page.svelte:5 browser',
    });
  });
});

describe('leak check of a store derived from code holding a store', () => {
  it('follows a read-only wrapper ({ subscribe: store.subscribe }) to the store it reads', () => {
    const { state } = checkLeaks({
      'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
      'svelte.config.js': 'export default { kit: {} };\n',
      'src/lib/count.ts':
        "import { writable } from 'svelte/store';\n\nconst countStore = writable(0);\nexport const count = { subscribe: countStore.subscribe };\nexport function inc() {\n\tcountStore.update((n) => n + 1);\n}\n",
      'src/lib/doubled.ts': "import { derived } from 'svelte/store';\nimport { count } from './count';\n\nexport const doubled = derived(count, (c) => c * 2);\n",
      'src/routes/+layout.svelte': '<script lang="ts">\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n',
      'src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { inc } from '$lib/count';\n\timport { doubled } from '$lib/doubled';\n</script>\n\n<button onclick={inc}>{$doubled}</button>\n",
    });
    expect(Object.fromEntries(state.map((item) => [item.name, `${item.class} ${item.derivedFrom?.join(',') ?? ''}`]))).toEqual({
      countStore: 'latent ',
      doubled: 'latent count',
    });
  });
});
