/**
 * Finding the store modules of a project: modules that create stores, and, transitively, modules
 * whose code uses another store module's state. Cheap text checks keep files that cannot refer to
 * a store module from being parsed.
 */
import { posix } from 'node:path';
import { exportedFactories, findStoreModule, mayDeclareStores, type StoreModule } from './find-stores.js';
import { locateScripts } from './script-locator.js';
import type { Blocker } from '../types.js';
import { lineColumn } from '../text.js';
import { walk } from './ast.js';
import { isComponentPath, isScriptPath, type ParsedFile } from './parse.js';
import type { SourceIndex } from './source-index.js';
import type { ImportedFactoryCheck } from './store-calls.js';

/**
 * Tests never run while a request renders: state they make is theirs, not a store module's, and
 * what they import from a store module they get from its `create…Context()` after the migration.
 * `*.test.ts`, `*.spec.js`, `*.svelte.test.ts`, files under `__tests__/` or under a `tests/` or
 * `e2e/` folder beside the source (not `src/routes/tests/`, which is a route), and test setup files
 * (`vitest.setup.ts`, `setupTests.ts`; Playwright's `auth.setup.ts` is under `tests/` or `e2e/`).
 * An app module named `i18n.setup.ts` is app code.
 */
export const isTestFile = (path: string): boolean =>
  /\.(?:test|spec)\.[cm]?[jt]s$/.test(path) ||
  /(?:^|\/)(?:vitest|jest|test|global)[.-]setup\.[cm]?[jt]s$/i.test(path) ||
  /(?:^|\/)setup-?tests\.[cm]?[jt]s$/i.test(path) ||
  path.split('/').slice(0, -1).includes('__tests__') ||
  /^(?:tests|e2e)\//.test(path);

/** Config files at the project root are tooling, never app modules. */
export const isToolingFile = (path: string): boolean => !path.includes('/') && /\.config\.[cm]?[jt]s$/.test(path);

/**
 * Modules that create stores, then, until nothing changes, modules whose code uses another store
 * module's state (a store derived from it, a function writing it): they are store modules too.
 */
export interface FindOptions {
  all?: boolean;
  factories?: FactorySpec[];
  /** Which store module paths take part (`--include` / `--exclude`). */
  isIncluded?: (path: string) => boolean;
}

export function findStoreModules(index: SourceIndex, options: FindOptions): StoreModule[] {
  const modules = new Map<string, StoreModule>();
  const constantOnly: StoreModule[] = [];
  const isIncluded = options.isIncluded ?? (() => true);
  const scripts = [...index.files.keys()].filter((path) => isScriptPath(path) && !isToolingFile(path) && !isTestFile(path) && isIncluded(path) && index.inAppScope(path));
  const factories = new Factories(index, [...DEFAULT_FACTORIES, ...(options.factories ?? [])]);
  for (const path of scripts) if (mayDeclareStores(index.files.get(path)!)) factories.exportedBy(path);
  const factoryNames = factories.names();
  // A module importing a default-exported factory, or Svelte's creators handed on by another
  // module, need not name either: its imports tell.
  const handingOn = new Set(
    scripts.filter((path) => {
      const text = index.files.get(path)!;
      return (mayDeclareStores(text) && factories.exportedBy(path).has('default')) || reExportsSvelteStore(text);
    }),
  );

  for (const path of scripts) {
    const text = index.files.get(path)!;
    const mayMake = mayDeclareStores(text) || factoryNames.some((name) => text.includes(name)) || importsAnyOf(path, handingOn, index);
    const file = mayMake ? index.get(path) : undefined;
    const module = file && findStoreModule(file, index.syntax(file.scripts[0]!), new Set(), factories.checkFor(path), options);
    if (module) module.problems.push(...processWideFactoryCalls(file!, module, index, factories.processWide), ...unexportedState(module));
    if (module && (module.statefulExports.size > 0 || module.problems.length > 0)) modules.set(path, module);
    else if (module && module.constantStores.length > 0) constantOnly.push(module);
  }

  for (const module of componentModuleStores(index, factories)) if (isIncluded(module.file)) modules.set(module.file, module);

  const seedsSeen = new Map<string, number>();
  for (let grew = modules.size > 0; grew; ) {
    grew = false;
    const leading = modulesLeadingTo(new Set(modules.keys()), index);
    for (const path of scripts) {
      if (runsOutsideComponents(path) || !importsAnyOf(path, leading, index)) continue;
      const file = index.get(path);
      if (!file) continue;
      const seeds = importedState(file, index, modules);
      if (seeds.size <= (seedsSeen.get(path) ?? 0)) continue;
      seedsSeen.set(path, seeds.size);
      const module = findStoreModule(file, index.syntax(file.scripts[0]!), new Set(seeds.keys()), factories.checkFor(path), options);
      if (module && module.statefulExports.size > 0) {
        modules.set(path, module);
        grew = true;
      }
    }
  }
  return [...modules.values(), ...constantOnly.filter((module) => !modules.has(module.file))];
}

/**
 * Stores in a component's `<script module>` / `<script context="module">` are shared like a
 * module's. They are found and reported, but not moved: the component is both their declaring
 * module and a consumer, which needs a person's choice of where the state should live.
 */
function componentModuleStores(index: SourceIndex, factories: Factories): StoreModule[] {
  const found: StoreModule[] = [];
  for (const [path, text] of index.files) {
    if (!isComponentPath(path) || !/<script[^>]*\b(?:module|context=["']module["'])/.test(text) || !moduleScriptMayDeclareStores(text) || !index.inAppScope(path)) continue;
    const file = index.get(path);
    const script = file?.scripts[0];
    if (!file || script?.kind !== 'component-module') continue;
    const module = findStoreModule(file, index.syntax(script), new Set(), factories.checkFor(path), { all: true });
    if (!module || (module.moved.length === 0 && module.problems.length === 0)) continue;
    // Private state too (`let count = $state(0)` read by the instance script) is shared.
    const first = module.moved[0]?.statement;
    module.problems.push({
      file: path,
      ...(first ? lineColumn(file.text, script.offset + first.start!) : { line: module.problems[0]!.line, column: module.problems[0]!.column }),
      reason: 'state in a module script (a store, `$state`) is shared by every instance and every request; move it to a .js/.ts module (.svelte.js/.svelte.ts for runes), or into the instance script if only this component uses it, then run again',
    });
    found.push(module);
  }
  return found;
}

/**
 * Whether a component's module script may make state, read from its text: it names a store or a
 * rune, or imports something (a store factory comes from an import). The whole component's text
 * when its scripts cannot be located, as most runes components name `$state` in their instance script.
 */
function moduleScriptMayDeclareStores(text: string): boolean {
  const moduleScript = locateScripts(text)?.scripts.find((script) => script.kind === 'component-module');
  if (!moduleScript) return mayDeclareStores(text);
  const code = text.slice(moduleScript.start, moduleScript.end);
  return mayDeclareStores(code) || /(?<![\w$.])import(?![\w$])/.test(code);
}

/** State that no export hands out: shared by every request, and out of reach of any context getter. */
function unexportedState(module: StoreModule): Blocker[] {
  if (module.statefulExports.size > 0 || module.stores.length === 0) return [];
  const first = module.moved.find((item) => item.declared.includes(module.stores[0]!))!;
  return [
    {
      file: module.file,
      ...lineColumn(module.script.code, first.statement.start!),
      reason: `\`${module.stores[0]}\` is module-level state that no export hands out, so every request shares it and no component can get it from context; export it (or a function using it), or move it into a component, then run again`,
    },
  ];
}

/** Stores created by a process-wide factory (svelte-persisted-store's `persisted`): context cannot separate them. */
function processWideFactoryCalls(file: ParsedFile, module: StoreModule, index: SourceIndex, processWide: FactorySpec[]): Blocker[] {
  const script = file.scripts[0]!;
  const reasons = new Map<string, string>();
  for (const statement of index.syntax(script).imports) {
    for (const name of statement.names) {
      const factory = processWide.find((candidate) => candidate.module === statement.source && candidate.name === name.imported);
      if (factory?.processWide) reasons.set(name.local, factory.processWide);
    }
  }
  if (reasons.size === 0) return [];
  const blockers: Blocker[] = [];
  for (const item of module.moved) {
    walk(item.statement, (node) => {
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && reasons.has(node.callee.name)) {
        blockers.push({ file: file.path, ...lineColumn(file.text, script.offset + node.start!), reason: reasons.get(node.callee.name)! });
      }
    });
  }
  return blockers;
}

/** A store factory named in options: `persisted` imported from `svelte-persisted-store`. */
export interface FactorySpec {
  name: string;
  module: string;
  /**
   * Why context cannot help, for a factory that hands out one store per key for the whole
   * process: moving its call into `create…` would still share the store between requests.
   */
  processWide?: string;
}

/** Factories every run knows: third-party packages whose stores live at module scope like `writable`'s. */
export const DEFAULT_FACTORIES: FactorySpec[] = [
  {
    name: 'persisted',
    module: 'svelte-persisted-store',
    processWide:
      '`persisted()` from svelte-persisted-store keeps one store per key for the whole server process, so moving it into context would still share it between requests; keep per-user data out of it on the server (write it only in the browser), or use writable() for per-request state',
  },
];

/** Parses `name@module` (`persisted@svelte-persisted-store`, `local@@scope/stores`). */
export function parseFactorySpec(spec: string): FactorySpec {
  const at = spec.indexOf('@');
  const name = spec.slice(0, at);
  const module = spec.slice(at + 1);
  if (at <= 0 || !/^[A-Za-z_$][\w$]*$/.test(name) || module === '') {
    throw new Error(`invalid factory "${spec}": write it as name@module, e.g. persisted@svelte-persisted-store`);
  }
  return { name, module };
}

/** The store factories a module can import: configured ones, and those other modules of the app export. */
class Factories {
  private readonly exported = new Map<string, Set<string>>();

  constructor(
    private readonly index: SourceIndex,
    private readonly configured: FactorySpec[],
  ) {}

  get processWide(): FactorySpec[] {
    return this.configured.filter((factory) => factory.processWide);
  }

  checkFor(importer: string): ImportedFactoryCheck {
    return (source, imported) => {
      if (this.configured.some((factory) => factory.module === source && factory.name === imported)) return 'factory';
      const target = this.index.resolve(source, importer);
      if (!target) return undefined;
      const origin = this.index.resolveExport(target, imported);
      if (origin && this.exportedBy(origin.module).has(origin.exported)) return 'factory';
      return storeCreatorReExported(target, imported, this.index);
    };
  }

  /** Exported factory names of a module of the app, worked out once. */
  exportedBy(path: string): Set<string> {
    let names = this.exported.get(path);
    if (names) return names;
    this.exported.set(path, new Set()); // a module importing itself in a cycle sees no factories yet
    const file = this.index.get(path);
    names = file && !file.isComponent ? exportedFactories(file, this.index.syntax(file.scripts[0]!), this.checkFor(path)) : new Set<string>();
    this.exported.set(path, names);
    return names;
  }

  /** Names a module must mention to call a known factory: a cheap check before parsing it. */
  names(): string[] {
    return [...new Set([...this.configured.map((factory) => factory.name), ...[...this.exported.values()].flatMap((names) => [...names])])];
  }

}

const SVELTE_STORE_CREATORS = new Set(['writable', 'readable', 'derived']);

/** Cheap text check: does a module hand on `svelte/store`'s exports (`export { writable } from 'svelte/store'`, or an import it exports)? */
function reExportsSvelteStore(text: string): boolean {
  return text.includes('svelte/store') && /\bexport\s*(?:\*|\{[^}]*\b(?:writable|readable|derived)\b)/.test(text);
}

/**
 * `writable`, `readable` or `derived` when a module of the app hands on Svelte's own
 * (`export { writable } from 'svelte/store'`, `export * from 'svelte/store'`, or an import it
 * exports again), following its re-exports through other modules of the app.
 */
function storeCreatorReExported(modulePath: string, name: string, index: SourceIndex, seen = new Set<string>()): string | undefined {
  if (seen.has(`${modulePath}\0${name}`)) return undefined;
  seen.add(`${modulePath}\0${name}`);
  const file = index.get(modulePath);
  if (!file || file.isComponent) return undefined;
  const syntax = index.syntax(file.scripts[0]!);
  const fromSource = (source: string, imported: string): string | undefined => {
    if (source === 'svelte/store') return SVELTE_STORE_CREATORS.has(imported) ? imported : undefined;
    const target = index.resolve(source, modulePath);
    return target ? storeCreatorReExported(target, imported, index, seen) : undefined;
  };
  const local = syntax.localExports.get(name);
  if (local !== undefined) {
    for (const statement of syntax.imports) {
      const imported = statement.names.find((candidate) => candidate.local === local && !candidate.typeOnly && candidate.imported !== '*');
      if (imported) return fromSource(statement.source, imported.imported);
    }
    return undefined;
  }
  for (const reExport of syntax.reExports) {
    const named = reExport.names.find((candidate) => candidate.exported === name && !candidate.typeOnly);
    if (named) return fromSource(reExport.source, named.imported);
    if (reExport.star === 'all' && name !== 'default') {
      const found = fromSource(reExport.source, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Imported locals of `file` that are stateful exports of another store module. */
function importedState(file: ParsedFile, index: SourceIndex, modules: Map<string, StoreModule>): Map<string, { module: string; exported: string }> {
  const seeds = new Map<string, { module: string; exported: string }>();
  for (const statement of index.syntax(file.scripts[0]!).imports) {
    const target = index.resolve(statement.source, file.path);
    if (!target) continue;
    for (const name of statement.names) {
      if (name.typeOnly || name.imported === '*') continue;
      const origin = index.resolveExport(target, name.imported);
      if (origin && origin.module !== file.path && modules.get(origin.module)?.statefulExports.has(origin.exported)) seeds.set(name.local, origin);
    }
  }
  return seeds;
}

/** Store modules plus every barrel (a module with `export … from`) whose imports lead to one, directly or through other barrels. */
export function modulesLeadingTo(storeModules: Set<string>, index: SourceIndex): Set<string> {
  return withImportersAmong(storeModules, (path) => isScriptPath(path) && index.mayReExport(path), index);
}

/**
 * Store modules plus every script whose imports reach one through any chain of imports, read from
 * the text (a superset). An export of any other script cannot lead to a store module's state, so
 * its module need not be parsed to find where the export comes from.
 */
export function modulesReaching(storeModules: Set<string>, index: SourceIndex): Set<string> {
  return withImportersAmong(storeModules, isScriptPath, index);
}

/** `modules` and, until nothing changes, each file `among` picks whose text imports one of them. */
function withImportersAmong(modules: Set<string>, among: (path: string) => boolean, index: SourceIndex): Set<string> {
  const reached = new Set(modules);
  const candidates = [...index.files.keys()].filter((path) => !reached.has(path) && among(path));
  for (let grew = true; grew; ) {
    grew = false;
    for (const path of candidates) {
      if (reached.has(path) || !importsAnyOf(path, reached, index)) continue;
      reached.add(path);
      grew = true;
    }
  }
  return reached;
}

/** Whether a file's text imports from one of `modules` (no parse needed). */
export function importsAnyOf(path: string, modules: ReadonlySet<string>, index: SourceIndex): boolean {
  for (const target of index.importedPaths(path)) if (modules.has(target)) return true;
  return false;
}

/** SvelteKit files that run per request but outside any component: hooks, load functions, endpoints, server code. */
export function runsOutsideComponents(path: string): boolean {
  const file = posix.basename(path);
  return (
    /^hooks(?:\.(?:server|client|universal))?\.[cm]?[jt]s$/.test(file) ||
    /^\+(?:page|layout)(?:\.server)?\.[jt]s$/.test(file) ||
    /^\+server\.[jt]s$/.test(file) ||
    /\.server\.[jt]s$/.test(file) ||
    path.includes('/server/') ||
    isTestFile(path) ||
    /(?:^|\/)service-worker(?:\/index)?\.[jt]s$/.test(path)
  );
}

/** `cart` for `cart.ts`, `stores` for `stores/index.ts`. */
export function moduleStem(path: string): string {
  const stem = posix.basename(path).replace(/(?:\.svelte)?\.[cm]?[jt]s$/, '');
  return stem === 'index' ? posix.basename(posix.dirname(path)) : stem;
}
