#!/usr/bin/env node
/**
 * A synthetic SvelteKit monorepo for the benchmark, the same bytes for the same sizes.
 *
 *   node test/bench/generate.mjs <dir> [--apps 3] [--components 1500] [--modules 400] [--store-modules 40] [--scale 1]
 *
 * Sizes are per app; `--scale N` multiplies them (not the number of apps), so that a bigger repo
 * means bigger apps, the dimension in which the migration's per-app work could grow faster than
 * linearly. Every app has what the migration has to deal with in a real codebase: store modules
 * (`writable`/`readable`/`derived`, custom store factories, constant stores, stores derived from
 * other store modules), a barrel (`export *` and `export { … } from`), imports through `$lib`, a
 * `kit.alias` and relative paths, type-only imports of store modules, Svelte 5 and Svelte 4 style
 * components (most use stores, many do not), plain modules that import each other, and uses of
 * stores outside components: hooks, load functions and server-only code, which block their
 * modules, and an API client whose function writes a store, which makes it a store module too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const DEFAULT_SIZES = { apps: 3, components: 1500, modules: 400, storeModules: 40 };

const APP_NAMES = ['storefront', 'admin', 'docs', 'dashboard', 'blog', 'checkout', 'support', 'marketing'];
const STORE_NOUNS = [
  'cart', 'session', 'theme', 'notifications', 'search', 'filters', 'wishlist', 'inventory', 'orders', 'profile',
  'settings', 'locale', 'checkout', 'compare', 'reviews', 'shipping', 'payments', 'coupons', 'messages', 'history',
  'favorites', 'uploads', 'drafts', 'tasks', 'calendar', 'contacts', 'billing', 'reports', 'alerts', 'layout',
  'editor', 'gallery', 'player', 'playlist', 'feed', 'comments', 'tags', 'teams', 'projects', 'invoices',
  'tickets', 'metrics', 'banners', 'tours', 'shortcuts', 'presence', 'clipboard', 'selection',
];
const UTIL_TOPICS = ['format', 'dates', 'math', 'strings', 'validation', 'analytics', 'i18n', 'routing', 'storage', 'colors', 'money', 'sorting', 'pagination', 'errors', 'urls', 'dom'];
const COMPONENT_GROUPS = ['ui', 'layout', 'cart', 'product', 'account', 'forms', 'navigation', 'media', 'feedback', 'data', 'marketing', 'admin'];
const COMPONENT_ROLES = ['Card', 'Panel', 'List', 'Item', 'Badge', 'Dialog', 'Table', 'Row', 'Header', 'Footer', 'Button', 'Field', 'Menu', 'Toolbar', 'Summary', 'Preview'];
const SECTIONS = ['shop', 'products', 'account', 'orders', 'help', 'blog', 'settings', 'about', 'pricing', 'team', 'reports', 'inbox', 'library', 'events', 'careers', 'legal'];

/** Writes the monorepo under `root`; returns the paths written, relative to `root`. */
export function generateMonorepo(root, sizes = DEFAULT_SIZES) {
  const written = [];
  const write = (path, text) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    written.push(path);
  };
  write('package.json', json({ name: 'bench-monorepo', private: true, workspaces: ['apps/*'] }));
  write('.gitignore', 'node_modules\n.svelte-kit\nbuild\n');
  for (let i = 0; i < sizes.apps; i++) {
    const name = i < APP_NAMES.length ? APP_NAMES[i] : `app-${i + 1}`;
    for (const [path, text] of generateApp(name, sizes, random(i + 1))) write(`apps/${name}/${path}`, text);
  }
  return written;
}

export function scaleSizes(sizes, factor) {
  return { apps: sizes.apps, components: sizes.components * factor, modules: sizes.modules * factor, storeModules: sizes.storeModules * factor };
}

/** One app as [path, text] pairs. */
function generateApp(name, sizes, rng) {
  const files = new Map();
  const utils = plainModules(sizes.modules);
  const stores = storeModules(sizes.storeModules, rng);
  const components = Array.from({ length: sizes.components }, (_, i) => componentMeta(i));

  files.set('package.json', appManifest(name));
  files.set('svelte.config.js', SVELTE_CONFIG);
  files.set('tsconfig.json', TSCONFIG);
  files.set('vite.config.ts', VITE_CONFIG);
  files.set('src/app.html', APP_HTML);
  files.set('src/app.d.ts', APP_TYPES);
  for (const module of utils) files.set(module.path, plainModuleSource(module, utils, stores, rng));
  const labelled = utils.filter((module) => module.label);
  for (const module of stores) files.set(module.path, storeModuleSource(module, labelled));
  files.set('src/lib/stores/index.ts', barrelSource(stores));
  for (const component of components) files.set(component.path, componentSource(component, components, stores, utils, rng));
  for (const [path, text] of routes(components, stores, utils, rng)) files.set(path, text);
  for (const [path, text] of nonComponentConsumers(stores, utils, rng)) files.set(path, text);
  return files;
}

// ---------------------------------------------------------------------------------------------
// Plain modules: utilities (some in JavaScript with JSDoc) and API clients over a shared `http.ts`.

function plainModules(count) {
  return Array.from({ length: count }, (_, k) => {
    const topic = UTIL_TOPICS[k % UTIL_TOPICS.length];
    if (k === 0) return { k, kind: 'http', path: 'src/lib/api/http.ts', topic };
    if (k % 5 === 4) return { k, kind: 'api', path: `src/lib/api/${topic}-${k}.ts`, topic };
    const js = k % 7 === 6;
    return { k, kind: js ? 'util-js' : 'util', path: `src/lib/utils/${topic}-${k}.${js ? 'js' : 'ts'}`, topic, label: `${topic}Label${k}` };
  });
}

function plainModuleSource(module, utils, stores, rng) {
  const { k, topic } = module;
  if (module.kind === 'http') return HTTP_MODULE;
  const Topic = pascal(topic);
  if (module.kind === 'api') {
    // A type-only import of a store module: must not block it.
    const typed = rng() < 0.3 ? pickDistinct(stores.filter((store) => store.type), 1, rng)[0] : undefined;
    return lines(
      `import { request, type RequestOptions } from './http';`,
      typed && `import type { ${typed.type} } from '${importPath(module.path, typed, 'alias')}';`,
      '',
      `export interface ${Topic}Record${k} {`,
      '\tid: string;',
      '\tname: string;',
      '\tupdatedAt: string;',
      typed ? `\tsource?: ${typed.type};` : '\ttags: string[];',
      '}',
      '',
      `export function list${Topic}${k}(fetchFn: typeof fetch, options: RequestOptions = {}): Promise<${Topic}Record${k}[]> {`,
      `\treturn request<${Topic}Record${k}[]>(fetchFn, '/api/${topic}/${k}', options);`,
      '}',
      '',
      `export function get${Topic}${k}(fetchFn: typeof fetch, id: string): Promise<${Topic}Record${k}> {`,
      `\treturn request<${Topic}Record${k}>(fetchFn, \`/api/${topic}/${k}/\${encodeURIComponent(id)}\`);`,
      '}',
      '',
    );
  }
  // Utilities build on an earlier utility now and then, through `$lib` or a relative path.
  const earlier = utils.filter((other) => other.label && other.k < k);
  const base = earlier.length > 0 && rng() < 0.4 ? earlier[Math.floor(rng() * earlier.length)] : undefined;
  const baseImport = base && `import { ${base.label} } from '${rng() < 0.5 ? modulePath(base.path) : relativeImport(module.path, withoutExtension(base.path))}';`;
  const trimmed = base ? `${base.label}(input)` : 'input.trim()';
  if (module.kind === 'util-js') {
    return lines(
      baseImport,
      baseImport && '',
      `/** @typedef {{ locale?: string, precision?: number }} ${Topic}Options */`,
      '',
      `/** @type {${Topic}Options} */`,
      `export const DEFAULT_${topic.toUpperCase()}_OPTIONS_${k} = { locale: 'en-US', precision: ${k % 4} };`,
      '',
      '/**',
      ' * @param {string} input',
      ' * @returns {string}',
      ' */',
      `export function ${module.label}(input) {`,
      `\treturn ${trimmed}.replace(/\\s+/g, ' ').slice(0, ${40 + (k % 40)});`,
      '}',
      '',
      '/**',
      ' * @param {number[]} values',
      ` * @param {${Topic}Options} [options]`,
      ' */',
      `export function ${topic}Values${k}(values, options = DEFAULT_${topic.toUpperCase()}_OPTIONS_${k}) {`,
      '\tconst factor = 10 ** (options.precision ?? 0);',
      '\treturn values.filter((value) => Number.isFinite(value)).map((value) => Math.round(value * factor) / factor);',
      '}',
      '',
    );
  }
  return lines(
    baseImport,
    baseImport && '',
    `export type ${Topic}Options${k} = { locale?: string; precision?: number };`,
    '',
    `export const DEFAULT_${topic.toUpperCase()}_OPTIONS_${k}: ${Topic}Options${k} = { locale: 'en-US', precision: ${k % 4} };`,
    '',
    `export function ${module.label}(input: string): string {`,
    `\treturn ${trimmed}.replace(/\\s+/g, ' ').slice(0, ${40 + (k % 40)});`,
    '}',
    '',
    `export function ${topic}Values${k}(values: readonly number[], options: ${Topic}Options${k} = DEFAULT_${topic.toUpperCase()}_OPTIONS_${k}): number[] {`,
    '\tconst factor = 10 ** (options.precision ?? 0);',
    '\treturn values.filter((value) => Number.isFinite(value)).map((value) => Math.round(value * factor) / factor);',
    '}',
    '',
    `export function ${topic}Compare${k}(a: string, b: string, locale = DEFAULT_${topic.toUpperCase()}_OPTIONS_${k}.locale): number {`,
    '\treturn a.localeCompare(b, locale, { sensitivity: \'base\' });',
    '}',
    '',
    `export class ${Topic}Cache${k}<T> {`,
    '\t#entries = new Map<string, T>();',
    '\tget(key: string): T | undefined {',
    '\t\treturn this.#entries.get(key);',
    '\t}',
    '\tset(key: string, value: T): void {',
    '\t\tthis.#entries.set(key, value);',
    '\t}',
    '}',
    '',
  );
}

// ---------------------------------------------------------------------------------------------
// Store modules. Each records what components can use: `stores` (read as `$name` in markup, with
// an expression showing it) and `actions` (functions that write the stores, with a sample call).

function storeModules(count, rng) {
  const modules = [];
  for (let i = 0; i < count; i++) {
    const round = Math.floor(i / STORE_NOUNS.length);
    const noun = STORE_NOUNS[i % STORE_NOUNS.length] + (round > 0 ? String(round + 1) : '');
    const N = pascal(noun);
    // Every tenth module lives in a feature folder as `store.ts`, a common layout whose stem
    // ("store") appears in many files that have nothing to do with it.
    const path = i % 10 === 9 ? `src/lib/features/${noun}/store.ts` : `src/lib/stores/${noun}.ts`;
    const kind = i % 10 === 3 ? 'constant' : i % 10 === 6 ? 'factory' : i % 4 === 1 && i > 1 ? 'dependent' : 'basic';
    const module = { i, noun, N, path, kind };
    if (kind === 'constant') {
      module.stores = [{ name: `${noun}Defaults`, show: `$${noun}Defaults.pageSize` }, { name: `${noun}PageSize`, show: `$${noun}PageSize` }];
      module.actions = [];
    } else if (kind === 'factory') {
      module.stores = [{ name: `${noun}Open`, show: `$${noun}Open ? 'open' : 'closed'` }, { name: `${noun}View`, show: `$${noun}View` }];
      module.actions = [{ name: `toggle${N}`, call: `toggle${N}()` }];
      module.type = `${N}Toggle`;
    } else {
      module.stores = [
        { name: `${noun}Entries`, show: `$${noun}Entries.length` },
        { name: `${noun}Count`, show: `$${noun}Count` },
        { name: `${noun}Current`, show: `$${noun}Current?.label ?? '-'` },
      ];
      module.actions = [
        { name: `add${N}`, call: `add${N}({ id: crypto.randomUUID(), label: '${noun}', count: 1, updatedAt: Date.now() })` },
        { name: `select${N}`, call: `select${N}(null)` },
        { name: `reset${N}`, call: `reset${N}()` },
      ];
      module.type = `${N}Entry`;
    }
    if (kind === 'dependent') {
      // Derived from an earlier store module of the app, so that the modules form a DAG.
      const candidates = modules.filter((other) => other.kind === 'basic');
      module.dependsOn = candidates[Math.floor(rng() * candidates.length)];
      module.stores.push({ name: `${noun}Summary`, show: `$${noun}Summary` });
      module.actions.push({ name: `sync${N}`, call: `sync${N}()` });
      if (!module.dependsOn) module.kind = 'basic';
    }
    // The barrel re-exports a third with `export *`, a third by name, and leaves a third out.
    module.barrel = path.startsWith('src/lib/stores/') ? ['star', 'named', null][i % 3] : null;
    modules.push(module);
  }
  return modules;
}

/** `utils`: the plain modules with a label function, one of which a store module uses. */
function storeModuleSource(module, utils) {
  const { noun, N, i } = module;
  const LIMIT = `${noun.toUpperCase()}_LIMIT`;
  const util = utils.length > 0 ? utils[i % utils.length] : undefined;
  if (module.kind === 'constant') {
    return lines(
      `import { readable, derived } from 'svelte/store';`,
      '',
      `export const ${noun}Defaults = readable({ pageSize: ${10 + i}, locale: 'en-US', dense: ${i % 2 === 0} });`,
      `export const ${noun}PageSize = derived(${noun}Defaults, ($defaults) => $defaults.pageSize);`,
      '',
    );
  }
  if (module.kind === 'factory') {
    return lines(
      `import { writable, type Readable } from 'svelte/store';`,
      '',
      `export interface ${N}Toggle extends Readable<boolean> {`,
      '\topen(): void;',
      '\tclose(): void;',
      '\ttoggle(): void;',
      '}',
      '',
      '/** A store with methods: a factory, which stays where it is. */',
      `export function create${N}Toggle(initial = false): ${N}Toggle {`,
      '\tconst { subscribe, set, update } = writable(initial);',
      '\treturn { subscribe, open: () => set(true), close: () => set(false), toggle: () => update((value) => !value) };',
      '}',
      '',
      `export const ${noun}Open = create${N}Toggle(false);`,
      `export const ${noun}View = writable<'list' | 'grid'>('list');`,
      '',
      `export function toggle${N}(): void {`,
      `\t${noun}Open.toggle();`,
      `\t${noun}View.update((view) => (view === 'list' ? 'grid' : 'list'));`,
      '}',
      '',
    );
  }
  const dependency = module.dependsOn;
  const dependencyStyle = ['alias', 'lib', 'relative'][i % 3];
  return lines(
    `import { writable, derived, get } from 'svelte/store';`,
    util && `import { ${util.label} } from '${modulePath(util.path)}';`,
    dependency && `import { ${dependency.noun}Entries } from '${importPath(module.path, dependency, dependencyStyle)}';`,
    '',
    `export interface ${N}Entry {`,
    '\tid: string;',
    '\tlabel: string;',
    '\tcount: number;',
    '\tupdatedAt: number;',
    '}',
    '',
    `export const ${LIMIT} = ${20 + i};`,
    '',
    `export const ${noun}Entries = writable<${N}Entry[]>([]);`,
    `export const ${noun}Selected = writable<string | null>(null);`,
    `export const ${noun}Count = derived(${noun}Entries, ($entries) => $entries.reduce((sum, entry) => sum + entry.count, 0));`,
    `export const ${noun}Current = derived([${noun}Entries, ${noun}Selected], ([$entries, $selected]) => $entries.find((entry) => entry.id === $selected) ?? null);`,
    dependency && `export const ${noun}Summary = derived([${noun}Entries, ${dependency.noun}Entries], ([$own, $other]) => \`\${$own.length} of \${$own.length + $other.length}\`);`,
    '',
    `export function add${N}(entry: ${N}Entry): void {`,
    util
      ? `\t${noun}Entries.update((entries) => [...entries, { ...entry, label: ${util.label}(entry.label) }].slice(-${LIMIT}));`
      : `\t${noun}Entries.update((entries) => [...entries, entry].slice(-${LIMIT}));`,
    '}',
    '',
    `export function select${N}(id: string | null): void {`,
    `\tif (id === null || get(${noun}Entries).some((entry) => entry.id === id)) ${noun}Selected.set(id);`,
    '}',
    '',
    `export function reset${N}(): void {`,
    `\t${noun}Entries.set([]);`,
    `\t${noun}Selected.set(null);`,
    '}',
    dependency && '',
    dependency && `export function sync${N}(): void {`,
    dependency && `\t${noun}Entries.set(get(${dependency.noun}Entries).map((entry) => ({ ...entry, updatedAt: Date.now() })));`,
    dependency && '}',
    '',
    '/** Pure: stays at module level, and its importers are left alone. */',
    `export function describe${N}(entry: ${N}Entry): string {`,
    '\treturn `${entry.label} (${entry.count})`;',
    '}',
    '',
  );
}

function barrelSource(stores) {
  const statements = [];
  for (const module of stores) {
    const from = `./${posix.basename(module.path, '.ts')}`;
    if (module.barrel === 'star') statements.push(`export * from '${from}';`);
    if (module.barrel === 'named') {
      const names = [...module.stores, ...module.actions].map((item) => item.name);
      statements.push(`export { ${names.join(', ')} } from '${from}';`);
      if (module.type) statements.push(`export type { ${module.type} } from '${from}';`);
    }
  }
  return lines(...statements, '');
}

// ---------------------------------------------------------------------------------------------
// Components: about 70% Svelte 5 (runes, `onclick`), 30% Svelte 4 style (`export let`, `$:`,
// `on:click`); 60% import stores, from one to three modules, popular modules more often.

function componentMeta(c) {
  const group = COMPONENT_GROUPS[c % COMPONENT_GROUPS.length];
  const name = `${pascal(group)}${COMPONENT_ROLES[Math.floor(c / COMPONENT_GROUPS.length) % COMPONENT_ROLES.length]}${c}`;
  return { c, name, path: `src/lib/components/${group}/${name}.svelte` };
}

function componentSource(component, components, stores, utils, rng) {
  const svelte5 = rng() < 0.7;
  const used = rng() < 0.6 ? pickStoreModules(stores, 1 + Math.floor(rng() * 3), rng) : [];
  const children = component.c > 0 ? pickDistinct(components.slice(0, component.c), Math.floor(rng() * 3), rng) : [];
  const labels = pickDistinct(utils.filter((module) => module.label), rng() < 0.5 ? 1 : 0, rng);
  const moduleScript = rng() < 0.05;

  const storeImports = [];
  const shown = [];
  const calls = [];
  for (const module of used) {
    const names = pickDistinct(module.stores, 1 + Math.floor(rng() * 2), rng);
    const actions = pickDistinct(module.actions, rng() < 0.5 ? 1 : 0, rng);
    storeImports.push(`import { ${[...names, ...actions].map((item) => item.name).join(', ')} } from '${storeImport(component.path, module, rng)}';`);
    shown.push(...names.map((item) => item.show));
    calls.push(...actions.map((action) => action.call));
  }
  // A store action runs in an event handler or in `onMount`, never at the top level.
  const mounted = svelte5 && calls.length > 0 && rng() < 0.3 ? calls.shift() : undefined;
  const imports = [
    mounted && `import { onMount } from 'svelte';`,
    !svelte5 && `import { createEventDispatcher } from 'svelte';`,
    ...children.map((child) => `import ${child.name} from '${componentImport(component.path, child.path, rng)}';`),
    ...labels.map((util) => `import { ${util.label} } from '${modulePath(util.path)}';`),
    ...storeImports,
  ].filter(Boolean);
  const title = labels.length > 0 ? `${labels[0].label}(title)` : 'title';
  const childMarkup = children.map((child) => `\t<${child.name} />`);
  const storeMarkup = shown.map((expression) => `\t<p class="stat">{${expression}}</p>`);

  const moduleBlock = moduleScript
    ? [svelte5 ? '<script module lang="ts">' : '<script context="module" lang="ts">', `\texport const ${component.name.toUpperCase()}_VARIANTS = ['default', 'compact'] as const;`, '</script>', '']
    : [];
  if (svelte5) {
    return lines(
      ...moduleBlock,
      '<script lang="ts">',
      ...imports.map((line) => `\t${line}`),
      '',
      '\tinterface Props {',
      '\t\ttitle?: string;',
      '\t\titems?: string[];',
      '\t\tcompact?: boolean;',
      '\t}',
      '',
      `\tlet { title = '${component.name}', items = [], compact = false }: Props = $props();`,
      '\tlet open = $state(false);',
      "\tlet query = $state('');",
      '\tconst visible = $derived(items.filter((item) => item.toLowerCase().includes(query.toLowerCase())));',
      mounted && '',
      mounted && `\tonMount(() => ${mounted});`,
      '</script>',
      '',
      '<section class="component" class:compact>',
      '\t<header>',
      `\t\t<h2>{${title}}</h2>`,
      "\t\t<button type=\"button\" onclick={() => (open = !open)}>{open ? 'Hide' : 'Show'}</button>",
      '\t</header>',
      '\t{#if open}',
      '\t\t<input bind:value={query} placeholder="Filter" />',
      '\t\t<ul>',
      '\t\t\t{#each visible as item (item)}',
      '\t\t\t\t<li>{item}</li>',
      '\t\t\t{:else}',
      '\t\t\t\t<li class="empty">Nothing here</li>',
      '\t\t\t{/each}',
      '\t\t</ul>',
      '\t{/if}',
      ...storeMarkup,
      ...calls.map((call) => `\t<button type="button" onclick={() => ${call}}>Update</button>`),
      ...childMarkup,
      '</section>',
      '',
      '<style>',
      '\t.component {',
      '\t\tdisplay: grid;',
      '\t\tgap: 0.5rem;',
      '\t}',
      '\t.compact {',
      '\t\tgap: 0.25rem;',
      '\t}',
      '</style>',
      '',
    );
  }
  return lines(
    ...moduleBlock,
    '<script lang="ts">',
    ...imports.map((line) => `\t${line}`),
    '',
    `\texport let title = '${component.name}';`,
    '\texport let items: string[] = [];',
    '',
    "\tlet query = '';",
    '\tlet open = false;',
    '\tconst dispatch = createEventDispatcher<{ select: string }>();',
    '',
    '\t$: visible = items.filter((item) => item.includes(query));',
    shown.length > 0 && `\t$: summary = [${shown.join(', ')}].join(' / ');`,
    '</script>',
    '',
    '<section>',
    `\t<h2>{${title}}</h2>`,
    "\t<button on:click={() => (open = !open)}>{open ? 'Hide' : 'Show'}</button>",
    '\t{#if open}',
    '\t\t<input bind:value={query} />',
    '\t\t<ul>',
    '\t\t\t{#each visible as item}',
    "\t\t\t\t<li on:click={() => dispatch('select', item)}>{item}</li>",
    '\t\t\t{/each}',
    '\t\t</ul>',
    '\t{/if}',
    shown.length > 0 && '\t<p>{summary}</p>',
    ...calls.map((call) => `\t<button on:click={() => ${call}}>Update</button>`),
    ...childMarkup,
    '\t<slot />',
    '</section>',
    '',
  );
}

/** `count` distinct store modules, lower indices (the app's core stores) more often. */
function pickStoreModules(stores, count, rng) {
  const picked = new Set();
  for (let tries = 0; picked.size < Math.min(count, stores.length) && tries < 20; tries++) picked.add(stores[Math.floor(stores.length * rng() ** 2)]);
  return [...picked];
}

/** How a component imports names from a store module: `$lib`, the `$stores` alias, the barrel or a relative path. */
function storeImport(from, module, rng) {
  const roll = rng();
  if (roll < 0.2 && module.barrel) return '$stores';
  if (roll < 0.35) return importPath(from, module, 'relative');
  if (roll < 0.65) return importPath(from, module, 'alias');
  return importPath(from, module, 'lib');
}

/** A child component through `$lib`, the `$ui/*` alias, or a relative path. */
function componentImport(from, to, rng) {
  const roll = rng();
  if (roll < 0.5) return `$lib${to.slice('src/lib'.length)}`;
  if (roll < 0.7) return `$ui${to.slice('src/lib/components'.length)}`;
  return relativeImport(from, to);
}

// ---------------------------------------------------------------------------------------------
// Routes: the root layout (uses a store), a page per section using a few components, load
// functions, an endpoint.

function routes(components, stores, utils, rng) {
  const files = new Map();
  const core = stores.find((module) => module.kind === 'basic');
  const header = components.find((component) => component.path.includes('/layout/'));
  files.set(
    'src/routes/+layout.svelte',
    lines(
      '<script lang="ts">',
      header && `\timport ${header.name} from '$lib/components/layout/${header.name}.svelte';`,
      core && `\timport { ${core.noun}Count } from '$stores/${core.noun}';`,
      '',
      "\tlet { children } = $props();",
      '</script>',
      '',
      header && `<${header.name} />`,
      core && `<aside>{$${core.noun}Count}</aside>`,
      '<main>',
      '\t{@render children()}',
      '</main>',
      '',
    ),
  );
  files.set('src/routes/+layout.ts', 'export const trailingSlash = \'never\';\n');
  files.set('src/routes/+page.svelte', lines('<h1>Welcome</h1>', '<p><a href="/shop">Shop</a></p>', ''));
  files.set('src/routes/api/health/+server.ts', lines("import { json } from '@sveltejs/kit';", '', "export const GET = () => json({ ok: true });", ''));

  const apis = utils.filter((module) => module.kind === 'api');
  const sections = Math.max(1, Math.round(components.length / 40));
  for (let s = 0; s < sections; s++) {
    const round = Math.floor(s / SECTIONS.length);
    const section = SECTIONS[s % SECTIONS.length] + (round > 0 ? `-${round + 1}` : '');
    const dir = `src/routes/${s % 5 === 4 ? `${section}/[id]` : section}`;
    const used = pickDistinct(components, 3 + Math.floor(rng() * 4), rng);
    const store = rng() < 0.5 ? pickStoreModules(stores, 1, rng)[0] : undefined;
    const api = apis.length > 0 && rng() < 0.4 ? apis[Math.floor(rng() * apis.length)] : undefined;
    files.set(
      `${dir}/+page.svelte`,
      lines(
        '<script lang="ts">',
        "\timport type { PageData } from './$types';",
        ...used.map((component) => `\timport ${component.name} from '$lib/components/${component.path.split('/').slice(-2).join('/')}';`),
        store && `\timport { ${store.stores[0].name} } from '${importPath(`${dir}/+page.svelte`, store, 'alias')}';`,
        '',
        '\tlet { data }: { data: PageData } = $props();',
        '</script>',
        '',
        `<svelte:head><title>${section}</title></svelte:head>`,
        '',
        `<h1>${section}</h1>`,
        store && `<p>{${store.stores[0].show}}</p>`,
        '<pre>{JSON.stringify(data)}</pre>',
        ...used.map((component) => `<${component.name} />`),
        '',
      ),
    );
    if (api) {
      const Topic = pascal(api.topic);
      files.set(
        `${dir}/+page.ts`,
        lines(
          "import type { PageLoad } from './$types';",
          `import { list${Topic}${api.k} } from '$lib/api/${api.topic}-${api.k}';`,
          '',
          `export const load: PageLoad = async ({ fetch }) => ({ records: await list${Topic}${api.k}(fetch) });`,
          '',
        ),
      );
    }
  }
  return files;
}

/**
 * Uses of stores outside components, as real apps have them. Hooks, load functions and server-only
 * code block their modules (and the modules sharing state with them). A plain module whose
 * function writes another module's store does not: it becomes a store module itself and migrates
 * together with it.
 */
function nonComponentConsumers(stores, utils, rng) {
  const files = new Map();
  const writable = stores.filter((module) => module.kind === 'basic' || module.kind === 'dependent');
  const [hookA, hookB, loadA, loadB, audited, synced] = pickDistinct(writable, 6, rng);
  if (hookA) {
    files.set(
      'src/hooks.server.ts',
      lines(
        "import type { Handle } from '@sveltejs/kit';",
        "import { get } from 'svelte/store';",
        `import { ${hookA.noun}Selected } from '${importPath('src/hooks.server.ts', hookA, 'alias')}';`,
        hookB && `import { reset${hookB.N} } from '${importPath('src/hooks.server.ts', hookB, 'lib')}';`,
        '',
        'export const handle: Handle = async ({ event, resolve }) => {',
        hookB && `\treset${hookB.N}();`,
        `\tevent.setHeaders({ 'x-selected': get(${hookA.noun}Selected) ?? '' });`,
        '\treturn resolve(event);',
        '};',
        '',
      ),
    );
  }
  for (const [n, module] of [loadA, loadB].entries()) {
    if (!module) continue;
    files.set(
      `src/routes/preload-${n + 1}/+page.ts`,
      lines(
        "import type { PageLoad } from './$types';",
        "import { get } from 'svelte/store';",
        `import { ${module.noun}Entries } from '${importPath(`src/routes/preload-${n + 1}/+page.ts`, module, 'lib')}';`,
        '',
        `export const load: PageLoad = () => ({ entries: get(${module.noun}Entries) });`,
        '',
      ),
    );
    files.set(`src/routes/preload-${n + 1}/+page.svelte`, lines('<script lang="ts">', "\tlet { data } = $props();", '</script>', '', '<p>{data.entries.length}</p>', ''));
  }
  if (audited) {
    files.set(
      'src/lib/server/audit.ts',
      lines(
        "import { get } from 'svelte/store';",
        `import { ${audited.noun}Count } from '${importPath('src/lib/server/audit.ts', audited, 'alias')}';`,
        '',
        'export function auditLine(user: string): string {',
        `\treturn \`\${user}: \${get(${audited.noun}Count)} ${audited.noun}\`;`,
        '}',
        '',
      ),
    );
  }
  const api = utils.find((module) => module.kind === 'api');
  if (synced && api) {
    const Topic = pascal(api.topic);
    files.set(
      `src/lib/api/sync-${synced.noun}.ts`,
      lines(
        `import { list${Topic}${api.k} } from './${api.topic}-${api.k}';`,
        `import { add${synced.N} } from '${importPath(`src/lib/api/sync-${synced.noun}.ts`, synced, 'alias')}';`,
        '',
        `export async function sync${synced.N}FromApi(fetchFn: typeof fetch): Promise<void> {`,
        `\tfor (const record of await list${Topic}${api.k}(fetchFn)) add${synced.N}({ id: record.id, label: record.name, count: 1, updatedAt: Date.parse(record.updatedAt) });`,
        '}',
        '',
      ),
    );
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Import specifiers.

/** A store module's specifier from `from`: through the `$stores` alias, `$lib`, or relative. */
function importPath(from, module, style) {
  const inStores = module.path.startsWith('src/lib/stores/');
  if (style === 'alias' && inStores) return `$stores/${posix.basename(module.path, '.ts')}`;
  if (style === 'relative') return relativeImport(from, withoutExtension(module.path));
  return modulePath(module.path);
}

/** `$lib/…` without the extension, as apps usually write it. */
function modulePath(path) {
  return `$lib${withoutExtension(path).slice('src/lib'.length)}`;
}

function relativeImport(from, to) {
  const relative = posix.relative(posix.dirname(from), to);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

function withoutExtension(path) {
  return path.replace(/\.[jt]s$/, '');
}

// ---------------------------------------------------------------------------------------------
// Fixed files of every app.

function appManifest(name) {
  return json({
    name,
    private: true,
    version: '0.0.1',
    type: 'module',
    scripts: { dev: 'vite dev', build: 'vite build', check: 'svelte-kit sync && svelte-check --tsconfig ./tsconfig.json' },
    devDependencies: {
      '@sveltejs/adapter-auto': '^6.1.0',
      '@sveltejs/kit': '^2.27.0',
      '@sveltejs/vite-plugin-svelte': '^6.1.0',
      svelte: '^5.38.0',
      'svelte-check': '^4.3.0',
      typescript: '^5.9.0',
      vite: '^7.1.0',
    },
  });
}

const SVELTE_CONFIG = lines(
  "import adapter from '@sveltejs/adapter-auto';",
  "import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';",
  '',
  "/** @type {import('@sveltejs/kit').Config} */",
  'const config = {',
  '\tpreprocess: vitePreprocess(),',
  '\tkit: {',
  '\t\tadapter: adapter(),',
  '\t\talias: {',
  "\t\t\t$stores: 'src/lib/stores',",
  "\t\t\t'$ui/*': 'src/lib/components/*'",
  '\t\t}',
  '\t}',
  '};',
  '',
  'export default config;',
  '',
);

const TSCONFIG = json({
  extends: './.svelte-kit/tsconfig.json',
  compilerOptions: { allowJs: true, checkJs: true, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true, sourceMap: true, strict: true, moduleResolution: 'bundler' },
});

const VITE_CONFIG = lines("import { sveltekit } from '@sveltejs/kit/vite';", "import { defineConfig } from 'vite';", '', 'export default defineConfig({', '\tplugins: [sveltekit()]', '});', '');

const APP_HTML = lines(
  '<!doctype html>',
  '<html lang="en">',
  '\t<head>',
  '\t\t<meta charset="utf-8" />',
  '\t\t<meta name="viewport" content="width=device-width, initial-scale=1" />',
  '\t\t%sveltekit.head%',
  '\t</head>',
  '\t<body data-sveltekit-preload-data="hover">',
  '\t\t<div style="display: contents">%sveltekit.body%</div>',
  '\t</body>',
  '</html>',
  '',
);

const APP_TYPES = lines('declare global {', '\tnamespace App {}', '}', '', 'export {};', '');

const HTTP_MODULE = lines(
  'export interface RequestOptions {',
  '\theaders?: Record<string, string>;',
  '\tsignal?: AbortSignal;',
  '}',
  '',
  'export class HttpError extends Error {',
  '\tconstructor(',
  '\t\treadonly status: number,',
  '\t\tmessage: string,',
  '\t) {',
  '\t\tsuper(message);',
  '\t}',
  '}',
  '',
  'export async function request<T>(fetchFn: typeof fetch, url: string, options: RequestOptions = {}): Promise<T> {',
  "\tconst response = await fetchFn(url, { headers: { accept: 'application/json', ...options.headers }, signal: options.signal });",
  '\tif (!response.ok) throw new HttpError(response.status, `${url}: ${response.statusText}`);',
  '\treturn (await response.json()) as T;',
  '}',
  '',
);

// ---------------------------------------------------------------------------------------------
// Helpers.

/** Joins lines, leaving out the conditional ones (`cond && 'line'`) that are off. */
function lines(...parts) {
  return parts.filter((part) => typeof part === 'string').join('\n');
}

function json(value) {
  return `${JSON.stringify(value, null, '\t')}\n`;
}

function pascal(word) {
  return word.replace(/(^|[-_])(\w)/g, (_, __, letter) => letter.toUpperCase());
}

function pickDistinct(items, count, rng) {
  const picked = new Set();
  for (let tries = 0; picked.size < Math.min(count, items.length) && tries < count * 10; tries++) picked.add(items[Math.floor(rng() * items.length)]);
  return [...picked];
}

/** mulberry32: a small seeded PRNG, so that the same sizes always give the same repo. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      apps: { type: 'string' },
      components: { type: 'string' },
      modules: { type: 'string' },
      'store-modules': { type: 'string' },
      scale: { type: 'string', default: '1' },
    },
  });
  if (positionals.length !== 1) {
    process.stderr.write('usage: node test/bench/generate.mjs <dir> [--apps N] [--components N] [--modules N] [--store-modules N] [--scale N]\n');
    process.exit(2);
  }
  const sizes = scaleSizes(sizesFromFlags(values), Number(values.scale));
  const written = generateMonorepo(positionals[0], sizes);
  process.stdout.write(`${written.length} files (${sizes.apps} apps of ${sizes.components} components, ${sizes.modules} modules, ${sizes.storeModules} store modules) in ${positionals[0]}\n`);
}

/** The size flags shared with run.mjs; unset ones keep their defaults. */
export function sizesFromFlags(values) {
  const number = (flag, fallback) => {
    if (values[flag] === undefined) return fallback;
    const value = Number(values[flag]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${flag} wants a whole number, not ${values[flag]}`);
    return value;
  };
  return {
    apps: number('apps', DEFAULT_SIZES.apps),
    components: number('components', DEFAULT_SIZES.components),
    modules: number('modules', DEFAULT_SIZES.modules),
    storeModules: number('store-modules', DEFAULT_SIZES.storeModules),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
