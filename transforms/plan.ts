/**
 * Planning: per store module, collect every place that uses its stateful exports and decide,
 * all or nothing, whether it can move into context. Nothing is edited here.
 */
import { posix } from 'node:path';
import type { Node } from '@babel/types';
import { findStoreModule, mayDeclareStores, type StoreModule } from './analyse/find-stores.js';
import type { ImportStatement, ImportedName, ReExportStatement } from './analyse/module-syntax.js';
import { isComponentPath, isScriptPath, type ParsedFile, type Script } from './analyse/parse.js';
import type { SourceIndex } from './analyse/source-index.js';
import { lineColumn, unusedName } from './text.js';
import type { Blocker } from './types.js';

/** One imported stateful name in a component's instance script. */
export interface ConsumerUse {
  plan: ModulePlan;
  file: ParsedFile;
  script: Script;
  statement: ImportStatement;
  name: ImportedName;
  /** The name the declaring module exports it under, which is its key in the bundle. */
  bundleKey: string;
}

/** A barrel's `export { … } from` naming stateful exports; it must re-export the getter instead. */
export interface BarrelUse {
  plan: ModulePlan;
  file: ParsedFile;
  statement: ReExportStatement;
  statefulNames: Set<string>;
}

export interface ContextNames {
  create: string;
  init: string;
  get: string;
  type: string;
  key: string;
  /** The `Symbol()` description. */
  label: string;
}

export interface ModulePlan {
  module: StoreModule;
  blockers: Blocker[];
  consumers: ConsumerUse[];
  barrels: BarrelUse[];
  names: ContextNames;
}

export interface Plan {
  modules: ModulePlan[];
}

export const isMigrating = (plan: ModulePlan): boolean => plan.blockers.length === 0;

/** Config files at the project root are tooling, never app modules. */
const isToolingFile = (path: string): boolean => !path.includes('/') && /\.config\.[cm]?[jt]s$/.test(path);

export function planMigration(index: SourceIndex): Plan {
  const storeModules = findStoreModules(index);
  const plans = new Map<string, ModulePlan>();
  const names = nameContexts(storeModules, index);
  for (const module of storeModules) {
    plans.set(module.file, { module, blockers: [...module.problems], consumers: [], barrels: [], names: names.get(module.file)! });
  }
  if (plans.size === 0) return { modules: [] };

  const interesting = modulesLeadingTo(new Set(plans.keys()), index);
  const tokens = referenceTokens(interesting, index);

  for (const [path, text] of index.files) {
    if (!isComponentPath(path) && !(isScriptPath(path) && !isToolingFile(path))) continue;
    const mentioned = tokens.filter((token) => text.includes(token.text));
    if (mentioned.length === 0) continue;
    const file = index.get(path);
    if (!file) {
      blockUnparsable(path, mentioned, index, plans);
      continue;
    }
    for (const script of file.scripts) collectUses(file, script, index, plans);
  }
  return { modules: [...plans.values()].sort((a, b) => a.module.file.localeCompare(b.module.file)) };
}

function findStoreModules(index: SourceIndex): StoreModule[] {
  const modules: StoreModule[] = [];
  for (const [path, text] of index.files) {
    if (!isScriptPath(path) || isToolingFile(path) || !mayDeclareStores(text)) continue;
    const file = index.get(path);
    if (!file) continue;
    const module = findStoreModule(file, index.syntax(file.scripts[0]!));
    if (module && module.statefulExports.size > 0) modules.push(module);
  }
  return modules;
}

/** Store modules plus every barrel that re-exports from one, directly or through other barrels. */
function modulesLeadingTo(storeModules: Set<string>, index: SourceIndex): Set<string> {
  const reached = new Set(storeModules);
  const barrelCandidates = [...index.files].filter(([path, text]) => isScriptPath(path) && /\bexport\b[^;]*?\bfrom\b/.test(text)).map(([path]) => path);
  for (let grew = true; grew; ) {
    grew = false;
    for (const path of barrelCandidates) {
      if (reached.has(path)) continue;
      const file = index.get(path);
      if (!file) continue;
      const syntax = index.syntax(file.scripts[0]!);
      const sources = [...syntax.reExports.map((reExport) => reExport.source), ...syntax.imports.map((statement) => statement.source)];
      if (sources.some((source) => reached.has(index.resolve(source, path) ?? ''))) {
        reached.add(path);
        grew = true;
      }
    }
  }
  return reached;
}

interface ReferenceToken {
  text: string;
  modules: string[];
}

/** Words an import of one of `modules` must contain: a file's stem, an index file's folder, an alias. */
function referenceTokens(modules: Set<string>, index: SourceIndex): ReferenceToken[] {
  const tokens = new Map<string, Set<string>>();
  const add = (text: string, module: string) => {
    if (!tokens.has(text)) tokens.set(text, new Set());
    tokens.get(text)!.add(module);
  };
  for (const module of modules) {
    const stem = posix.basename(module).replace(/(?:\.svelte)?\.[cm]?[jt]s$/, '');
    add(stem === 'index' ? posix.basename(posix.dirname(module)) : stem, module);
    // An alias naming the module itself (or its index folder) may be all an import says of it.
    const withoutExtension = module.replace(/\.[cm]?[jt]s$/, '');
    for (const alias of index.project.aliases) {
      if (alias.replacement === withoutExtension || alias.replacement === module || `${alias.replacement}/index` === withoutExtension) add(alias.find, module);
    }
  }
  return [...tokens].map(([text, owners]) => ({ text, modules: [...owners] }));
}

function blockUnparsable(path: string, mentioned: ReferenceToken[], index: SourceIndex, plans: Map<string, ModulePlan>): void {
  const error = index.errors.get(path);
  if (!error) return;
  for (const module of new Set(mentioned.flatMap((token) => token.modules))) {
    for (const plan of modulesBehind(module, index, plans)) {
      plan.blockers.push({
        file: path,
        line: error.line,
        column: error.column,
        reason: `this file has a syntax error, so its uses of ${plan.module.file} are unknown; fix it and run again`,
      });
    }
  }
}

/** The store-module plans a module stands for: itself, or every store module a barrel leads to. */
function modulesBehind(module: string, index: SourceIndex, plans: Map<string, ModulePlan>, seen = new Set<string>()): ModulePlan[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const own = plans.get(module);
  if (own) return [own];
  const file = index.get(module);
  if (!file || file.isComponent) return [];
  const syntax = index.syntax(file.scripts[0]!);
  return [...syntax.reExports.map((reExport) => reExport.source), ...syntax.imports.map((statement) => statement.source)]
    .map((source) => index.resolve(source, module))
    .filter((target): target is string => target !== undefined)
    .flatMap((target) => modulesBehind(target, index, plans, seen));
}

function collectUses(file: ParsedFile, script: Script, index: SourceIndex, plans: Map<string, ModulePlan>): void {
  const syntax = index.syntax(script);
  const at = (node: Node) => ({ file: file.path, ...lineColumn(file.text, script.offset + node.start!) });

  for (const statement of syntax.imports) {
    const target = index.resolve(statement.source, file.path);
    if (!target || target === file.path) continue;
    for (const name of statement.names) {
      if (name.typeOnly) continue;
      if (name.imported === '*') {
        for (const plan of modulesBehind(target, index, plans)) {
          plan.blockers.push({ ...at(name.node), reason: `namespace import of ${plan.module.file}; import the names you use instead, then run again` });
        }
        continue;
      }
      const origin = index.resolveExport(target, name.imported);
      const plan = origin && plans.get(origin.module);
      if (!plan || !plan.module.statefulExports.has(origin.exported)) continue;
      if (script.kind === 'instance') {
        plan.consumers.push({ plan, file, script, statement, name, bundleKey: origin.exported });
      } else {
        plan.blockers.push({ ...at(name.node), reason: whyContextCannotReach(file.path, script, name.local) });
      }
    }
  }

  for (const reExport of syntax.reExports) {
    const target = index.resolve(reExport.source, file.path);
    if (!target) continue;
    if (reExport.star === 'namespace') {
      for (const plan of modulesBehind(target, index, plans)) {
        plan.blockers.push({ ...at(reExport.node), reason: `\`export * as\` re-exports ${plan.module.file} as a namespace, which cannot be moved into context yet; re-export the names instead` });
      }
    }
    const byModule = new Map<ModulePlan, Set<string>>();
    for (const name of reExport.names) {
      if (name.typeOnly) continue;
      const origin = index.resolveExport(target, name.imported);
      const plan = origin && plans.get(origin.module);
      if (!plan || !plan.module.statefulExports.has(origin.exported)) continue;
      if (!byModule.has(plan)) byModule.set(plan, new Set());
      byModule.get(plan)!.add(name.exported);
    }
    for (const [plan, statefulNames] of byModule) plan.barrels.push({ plan, file, statement: reExport, statefulNames });
  }

  for (const dynamicImport of syntax.dynamicImports) {
    const target = index.resolve(dynamicImport.source, file.path);
    for (const plan of target ? modulesBehind(target, index, plans) : []) {
      plan.blockers.push({ ...at(dynamicImport.node), reason: `dynamic import of ${plan.module.file}; import its names statically in a component instead` });
    }
  }
}

/** A sentence saying why `getContext` cannot run where `name` is used, and what to do instead. */
function whyContextCannotReach(path: string, script: Script, name: string): string {
  if (script.kind === 'component-module') {
    return `\`${name}\` is used in a module script, which runs once per server process, not per component; move this use into the instance script`;
  }
  const file = posix.basename(path);
  if (/^hooks\.(?:server|client)\.[jt]s$/.test(file) || /\/hooks\.[jt]s$/.test(path)) {
    return `\`${name}\` is used in hooks, which run outside components; keep per-request data in \`event.locals\` and hand it to components through \`load\``;
  }
  if (/^\+(?:page|layout)(?:\.server)?\.[jt]s$/.test(file)) {
    return `\`${name}\` is used in a load function, which runs outside components; return the data from \`load\` and set the store from \`data\` in a component`;
  }
  if (/^\+server\.[jt]s$/.test(file) || /\.server\.[jt]s$/.test(file) || path.includes('/server/')) {
    return `\`${name}\` is used in server-only code, which has no component context; pass the value in from the request instead`;
  }
  return `\`${name}\` is used in a plain module, where getContext cannot run; move this use into a component, or pass the store in as an argument`;
}

/** Context names per module: `cart.ts` gives createCartContext, initCartContext, getCartContext, CartContext, CART_CONTEXT. */
function nameContexts(modules: StoreModule[], index: SourceIndex): Map<string, ContextNames> {
  const bases = new Map<string, string>();
  for (const module of modules) bases.set(module.file, pascalCase(moduleStem(module.file)));
  // Two modules with the same stem (admin/cart.ts, shop/cart.ts) take their folder as a prefix.
  for (const module of modules) {
    const base = bases.get(module.file)!;
    if ([...bases.values()].filter((other) => other === base).length > 1) {
      bases.set(module.file, pascalCase(posix.basename(posix.dirname(module.file))) + base);
    }
  }
  const keyModuleText = index.files.get(index.project.keyModule) ?? '';
  const takenKeys = new Set<string>();
  const names = new Map<string, ContextNames>();
  for (const module of modules) {
    const base = bases.get(module.file)!;
    const text = [module.script.code];
    const key = unusedName(`${constantCase(base)}_CONTEXT`, [keyModuleText, module.script.code], takenKeys);
    takenKeys.add(key);
    names.set(module.file, {
      create: unusedName(`create${base}Context`, text),
      init: unusedName(`init${base}Context`, text),
      get: unusedName(`get${base}Context`, text),
      type: unusedName(`${base}Context`, text),
      key,
      label: moduleStem(module.file),
    });
  }
  return names;
}

function moduleStem(path: string): string {
  const stem = posix.basename(path).replace(/(?:\.svelte)?\.[cm]?[jt]s$/, '');
  return stem === 'index' ? posix.basename(posix.dirname(path)) : stem;
}

function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `Store${pascal}`;
}

function constantCase(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
