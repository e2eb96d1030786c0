/**
 * Planning: per store module, collect every place that uses its stateful exports and decide,
 * all or nothing, whether it can move into context. Nothing is edited here.
 */
import { posix } from 'node:path';
import type { Node } from '@babel/types';
import { bundleKey, type StoreModule } from './analyse/find-stores.js';
import { findStoreModules, isTestFile, isToolingFile, modulesLeadingTo, modulesReaching, type FindOptions } from './analyse/store-modules.js';
import { nameContexts, type ContextNames } from './context-names.js';
import type { ImportStatement, ImportedName, ReExportStatement } from './analyse/module-syntax.js';
import { isComponentPath, isScriptPath, markupText, type ParsedFile, type Script } from './analyse/parse.js';
import { markupIdentifiers } from './analyse/leaks.js';
import type { SourceIndex } from './analyse/source-index.js';
import { packageNamed, packageOf } from './analyse/workspace-packages.js';
import { packageSpecifier } from './init-import.js';
import { freeReferences, namesTakenFrom, walk } from './analyse/ast.js';
import { lineColumn } from './text.js';
import type { Blocker, FileError, SourceLocation } from './types.js';

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

/**
 * A barrel's `export { … } from` naming stateful exports; it must re-export the getter instead. An
 * import exported again (`import { user } from './store'; export { user }`) is two: the import
 * and the export list, each naming the getter instead (`names`' `exported` is the local name in
 * an import).
 */
export interface BarrelUse {
  plan: ModulePlan;
  file: ParsedFile;
  statement: { node: Node; names: ReExportStatement['names'] };
  statefulNames: Set<string>;
}

/**
 * An import of a stateful export used only as a type (`import type { cart }`, or a value import
 * only read by `typeof cart`), in any script: it becomes the context's type, `CartContext['cart']`.
 */
export type TypeUse = ConsumerUse;

export interface ModulePlan {
  module: StoreModule;
  blockers: Blocker[];
  consumers: ConsumerUse[];
  typeUses: TypeUse[];
  /** Imports of other store modules' state that this module's moved code uses; its `create…` gets their bundles. */
  dependencies: ConsumerUse[];
  /** Imports of its state in unit tests: they call its exported `create…Context()` for state of their own. */
  testUses: ConsumerUse[];
  /** `import('./cart')` in unit tests: the module they get gains the state of its own `create…Context()` makes. */
  testImports: Array<{ file: ParsedFile; script: Script; node: Node }>;
  barrels: BarrelUse[];
  names: ContextNames;
}

export interface Plan {
  modules: ModulePlan[];
  /** Modules whose only stores never change: not a leak, left alone. */
  constantOnly: StoreModule[];
  /** Modules with state left alone as they cannot leak: used only where SSR is off, or not leaking when only leaks are asked for. */
  skipped: Array<{ plan: ModulePlan; reason: 'ssr-off' | 'not-leaking' }>;
}

export const isMigrating = (plan: ModulePlan): boolean => plan.blockers.length === 0;

export interface PlanOptions extends FindOptions {
  /** Blockers other apps found for shared workspace package modules, by module path. */
  sharedBlockers?: Record<string, Blocker[]>;
}

export function planMigration(index: SourceIndex, options: PlanOptions = {}): Plan {
  const found = findStoreModules(index, options);
  // A module whose own problems hold it back is reported even when nothing of it would join a bundle.
  const isStoreModule = (module: StoreModule) => module.statefulExports.size > 0 || module.problems.length > 0;
  const storeModules = found.filter(isStoreModule);
  const constantOnly = found.filter((module) => !isStoreModule(module));
  const plans = new Map<string, ModulePlan>();
  const names = nameContexts(storeModules, index);
  for (const module of storeModules) {
    plans.set(module.file, { module, blockers: [...module.problems], consumers: [], typeUses: [], dependencies: [], testUses: [], testImports: [], barrels: [], names: names.get(module.file)! });
  }
  if (plans.size === 0) return { modules: [], constantOnly, skipped: [] };
  for (const plan of plans.values()) plan.dependencies = dependencyUses(plan, index, plans);

  const interesting = modulesLeadingTo(new Set(plans.keys()), index);
  const reaching = modulesReaching(new Set(plans.keys()), index);
  const mayLeadToState = (target: string) => isComponentPath(target) || reaching.has(target);

  for (const path of index.files.keys()) {
    // Files outside the app's own code are never edited; the verify phase holds back what they import.
    if ((!isComponentPath(path) && !(isScriptPath(path) && !isToolingFile(path))) || !index.inAppScope(path)) continue;
    // Only files whose text imports a store module (or a barrel leading to one) are parsed.
    const mentioned = [...index.importedPaths(path)].filter((target) => interesting.has(target));
    if (mentioned.length === 0 && !index.importsUnresolvedPackagePath(path)) continue;
    const file = index.get(path);
    if (!file) {
      blockUnparsable(path, mentioned, index, plans);
      continue;
    }
    let used = false;
    for (const script of file.scripts) used = collectUses(file, script, index, plans, mayLeadToState) || used;
    if (!used && !plans.has(path) && path !== index.project.rootLayout) index.release(path);
  }
  for (const [path, blockers] of Object.entries(options.sharedBlockers ?? {})) plans.get(path)?.blockers.push(...blockers);
  blockUnreachablePackageModules(plans, index);
  blockDependencyCycles(plans);
  blockTestsNeedingOtherContexts(plans.values());
  blockDependentsOfBlocked(plans.values());
  return { modules: [...plans.values()].sort((a, b) => a.module.file.localeCompare(b.module.file)), constantOnly, skipped: [] };
}

/** The imports through which a store module's moved code reaches other store modules' state. */
function dependencyUses(plan: ModulePlan, index: SourceIndex, plans: Map<string, ModulePlan>): ConsumerUse[] {
  const file = index.get(plan.module.file)!;
  const script = file.scripts[0]!;
  const uses: ConsumerUse[] = [];
  for (const statement of index.syntax(script).imports) {
    const target = index.resolve(statement.source, file.path);
    for (const name of statement.names) {
      if (!target || !plan.module.usedImports.has(name.local)) continue;
      const origin = index.resolveExport(target, name.imported);
      const dependency = origin && plans.get(origin.module);
      if (dependency) uses.push({ plan: dependency, file, script, statement, name, bundleKey: bundleKey(dependency.module, origin.exported) });
    }
  }
  return uses;
}

/** A workspace package's module whose init the app's root layout cannot import by the package's name. */
function blockUnreachablePackageModules(plans: Map<string, ModulePlan>, index: SourceIndex): void {
  for (const plan of plans.values()) {
    const pkg = packageOf(index.project.packages, plan.module.file);
    if (!pkg || packageSpecifier(plan, index)) continue;
    plan.blockers.push({
      file: plan.module.file,
      line: 1,
      column: 1,
      reason: `the root layout must call ${plan.names.init}(), but no import of ${pkg.name} leads to this module; re-export it from the package's entry (or its exports), then run again`,
    });
  }
}

/** Store modules that need each other's state have no init order: report the cycle, migrate neither. */
function blockDependencyCycles(plans: Map<string, ModulePlan>): void {
  const state = new Map<ModulePlan, 'visiting' | 'done'>();
  const stack: ModulePlan[] = [];
  const visit = (plan: ModulePlan): void => {
    state.set(plan, 'visiting');
    stack.push(plan);
    for (const dependency of new Set(plan.dependencies.map((use) => use.plan))) {
      if (state.get(dependency) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(dependency));
        const path = [...cycle, dependency].map((member) => member.module.file).join(' -> ');
        for (const member of cycle) {
          const use = member.dependencies.find((candidate) => cycle.includes(candidate.plan))!;
          member.blockers.push({ ...useLocation(use), reason: `store modules use each other's state (${path}), so none can be initialised first; move the shared state into one module` });
        }
      } else if (!state.has(dependency)) {
        visit(dependency);
      }
    }
    stack.pop();
    state.set(plan, 'done');
  };
  for (const plan of plans.values()) if (!state.has(plan)) visit(plan);
}

/**
 * A test gets state of its own from `create…Context()`; for a module using other modules' state,
 * the test makes theirs first and hands it in. That cannot be done for a module that reaches a
 * dependency through a namespace import (its parameter is the namespace, not the bundle), nor in a
 * test's `import('./module')`, which has no place to make the dependencies first: those hold the
 * module back, saying so.
 */
function blockTestsNeedingOtherContexts(plans: Iterable<ModulePlan>): void {
  const namespaceDependency = (plan: ModulePlan, seen = new Set<ModulePlan>()): ConsumerUse | undefined => {
    if (seen.has(plan)) return undefined;
    seen.add(plan);
    return plan.dependencies.find((use) => use.name.imported === '*') ?? plan.dependencies.map((use) => namespaceDependency(use.plan, seen)).find(Boolean);
  };
  for (const plan of plans) {
    const dependency = plan.dependencies[0];
    if (!dependency) continue;
    const namespace = namespaceDependency(plan);
    for (const use of namespace ? plan.testUses : []) {
      plan.blockers.push({ ...useLocation(use), reason: `this test imports \`${use.name.local}\`, ${madeWithContext(plan, namespace!)}` });
    }
    for (const { file, script, node } of plan.testImports) {
      plan.blockers.push({ file: file.path, ...lineColumn(file.text, script.offset + node.start!), reason: `this test imports ${plan.module.file} dynamically, ${madeWithContext(plan, dependency)}` });
    }
  }
}

const madeWithContext = (plan: ModulePlan, dependency: ConsumerUse) =>
  `whose state after the migration is made by ${plan.names.create}(), which takes ${dependency.plan.module.file}'s state from component context, and a test has none; import the module statically${dependency.name.imported === '*' ? ` and have ${dependency.file.path} import the names it uses from ${dependency.plan.module.file} instead of a namespace` : ''}, or test it through a component, then run again`;

/**
 * Modules that share state migrate together or not at all: a module using a blocked module's
 * state stays as it is, and so does a module whose state a blocked module uses. The reason names
 * the chain to the root cause (`checkout.ts ← billing.ts ← src/routes/+page.ts:3:10: …`), so that
 * no one has to follow the reports from module to module.
 */
export function blockDependentsOfBlocked(plans: Iterable<ModulePlan>): void {
  const all = [...plans];
  for (let changed = true; changed; ) {
    changed = false;
    for (const plan of all) {
      if (!isMigrating(plan)) continue;
      const blockedDependency = plan.dependencies.find((use) => !isMigrating(use.plan));
      const blockedDependent = all.flatMap((other) => (isMigrating(other) ? [] : other.dependencies)).find((use) => use.plan === plan);
      if (blockedDependency) {
        const neighbour = blockedDependency.plan;
        plan.blockers.push({
          ...useLocation(blockedDependency),
          reason: `uses the state of ${neighbour.module.file}, which cannot be migrated (${causeChain(neighbour)}); both stay as they are so that they keep sharing one state`,
        });
        sharedBlockers.set(plan.blockers.at(-1)!, neighbour);
      } else if (blockedDependent) {
        const neighbour = all.find((other) => other.dependencies.includes(blockedDependent))!;
        plan.blockers.push({
          ...useLocation(blockedDependent),
          reason: `its state is used by ${blockedDependent.file.path}, which cannot be migrated (${causeChain(neighbour)}); both stay as they are so that they keep sharing one state`,
        });
        sharedBlockers.set(plan.blockers.at(-1)!, neighbour);
      } else {
        continue;
      }
      changed = true;
    }
  }
}

/** Blockers that only say "a neighbour is blocked", with that neighbour. */
const sharedBlockers = new WeakMap<Blocker, ModulePlan>();

/** `billing.ts ← tracking.ts ← src/routes/+page.ts:3:10: reason`: from a blocked module to what blocks it in the end. */
function causeChain(plan: ModulePlan): string {
  const modules: string[] = [];
  const seen = new Set<ModulePlan>();
  for (let current: ModulePlan | undefined = plan; current && !seen.has(current); ) {
    seen.add(current);
    modules.push(current.module.file);
    const own = current.blockers.find((blocker) => !sharedBlockers.has(blocker));
    if (own) return [...modules, `${own.file}:${own.line}:${own.column}: ${own.reason}`].join(' ← ');
    current = sharedBlockers.get(current.blockers[0]!);
  }
  return `${modules.join(' ← ')}: see its report`;
}

function useLocation(use: ConsumerUse): SourceLocation {
  return { file: use.file.path, ...lineColumn(use.file.text, use.script.offset + use.name.node.start!) };
}

/** Migrating plans with every module after the modules whose state it uses. */
export function initOrder(plans: ModulePlan[]): ModulePlan[] {
  const ordered: ModulePlan[] = [];
  const placed = new Set<ModulePlan>();
  const place = (plan: ModulePlan): void => {
    if (placed.has(plan)) return;
    placed.add(plan);
    for (const use of plan.dependencies) place(use.plan);
    ordered.push(plan);
  };
  for (const plan of plans) place(plan);
  return ordered;
}

function blockUnparsable(path: string, mentioned: string[], index: SourceIndex, plans: Map<string, ModulePlan>): void {
  const error = index.holdBack(path);
  if (!error) return;
  for (const module of mentioned) {
    for (const plan of modulesBehind(module, index, plans)) {
      plan.blockers.push({
        file: path,
        line: error.line,
        column: error.column,
        reason: `this file ${whyNotParsed(error)}, so its uses of ${plan.module.file} are unknown; ${whatToDo(error)}`,
      });
    }
  }
}

const isSyntaxError = (error: FileError) => error.message.startsWith('cannot parse');

export function whyNotParsed(error: FileError): string {
  return isSyntaxError(error) ? 'has a syntax error' : `was not parsed (${error.message})`;
}

function whatToDo(error: FileError): string {
  return isSyntaxError(error) ? 'fix it and run again' : 'fix it, or skip it with --ignore-pattern if it never uses the store, and run again';
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

/**
 * Records the file's uses of store modules; true if it will be edited (a consumer or a barrel).
 * An import of a module that `mayLeadToState` rules out names nothing of a store module: what it
 * names is not traced (which would parse that module).
 */
function collectUses(file: ParsedFile, script: Script, index: SourceIndex, plans: Map<string, ModulePlan>, mayLeadToState: (target: string) => boolean): boolean {
  const syntax = index.syntax(script);
  let used = false;
  const at = (node: Node) => ({ file: file.path, ...lineColumn(file.text, script.offset + node.start!) });

  const ownDependencies = plans.get(file.path)?.module.usedImports;
  // A unit test's uses of state become state of its own (`create…Context()`), as a component's become `get…Context()`.
  const isTest = script.kind === 'module' && isTestFile(file.path);
  const uses = (plan: ModulePlan) => (isTest ? plan.testUses : plan.consumers);
  let valueReferences: ReadonlySet<string> | undefined;
  const isReadAsValue = (local: string) => (valueReferences ??= freeReferences(script.ast.program).values).has(local);
  // What a module script imports, the instance script and the markup see too.
  const instanceUse = script.kind === 'component-module' ? usesOfModuleScriptImports(file, index) : () => undefined;
  for (const statement of syntax.imports) {
    const target = index.resolve(statement.source, file.path);
    if (!target && statement.names.some((name) => !name.typeOnly)) blockUnresolvedPackageImport(statement.source, at(statement.node), index, plans);
    if (!target || target === file.path || !mayLeadToState(target)) continue;
    for (const name of statement.names) {
      if (ownDependencies?.has(name.local)) continue;
      const usedByInstance = name.typeOnly ? undefined : instanceUse(name.local);
      if (usedByInstance && plansReached(name, target, index, plans).length > 0) {
        const { where, ...location } = usedByInstance;
        for (const plan of plansReached(name, target, index, plans)) {
          plan.blockers.push({ ...location, reason: `\`${name.local}\` is imported in the module script and used ${where}; move its import into the instance script (\`<script>\`), then run again` });
        }
        continue;
      }
      if (name.typeOnly || (script.kind !== 'instance' && name.imported !== '*' && !isReadAsValue(name.local))) {
        used = collectTypeUse(file, script, statement, name, target, index, plans) || used;
        continue;
      }
      if (name.imported === '*' && (script.kind === 'instance' || isTest) && plans.has(target)) {
        const plan = plans.get(target)!;
        uses(plan).push({ plan, file, script, statement, name, bundleKey: '*' });
        used = true;
        continue;
      }
      if (name.imported === '*') {
        // Outside a component, a namespace whose stateful members are never touched keeps working.
        if (script.kind !== 'instance' && touchesOnlyStatelessMembers(script, name.local, target, index, plans)) continue;
        for (const plan of modulesBehind(target, index, plans)) {
          const reason =
            script.kind === 'instance'
              ? `namespace import of a barrel leading to ${plan.module.file}; import the names you use, or the module itself, instead`
              : whyContextCannotReach(file.path, script, `* as ${name.local}`);
          plan.blockers.push({ ...at(name.node), reason });
        }
        continue;
      }
      const origin = index.resolveExport(target, name.imported);
      const plan = origin && plans.get(origin.module);
      if (!plan || !plan.module.statefulExports.has(origin.exported)) continue;
      if (script.kind === 'instance' || isTest) {
        uses(plan).push({ plan, file, script, statement, name, bundleKey: bundleKey(plan.module, origin.exported) });
        used = true;
      } else if (script.kind === 'module' && name.node.type === 'ImportSpecifier' && onlyReExported(script, name.local)) {
        // `import { user } from './store'; export { user }`: a barrel, rewritten like `export { user } from`.
        plan.barrels.push(...importExportedAgain(file, script, statement, name, plan));
        used = true;
      } else {
        // The place to change is where the name is used, not the import.
        const isStore = plan.module.stores.includes(plan.module.statefulExports.get(origin.exported)!);
        const use = firstUse(script, name.local);
        plan.blockers.push({ ...at(use ?? name.node), reason: whyContextCannotReach(file.path, script, name.local, isStore) });
      }
    }
  }

  for (const reExport of syntax.reExports) {
    const target = index.resolve(reExport.source, file.path);
    if (!target) blockUnresolvedPackageImport(reExport.source, at(reExport.node), index, plans);
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
    used ||= byModule.size > 0;
  }

  for (const dynamicImport of syntax.dynamicImports) {
    const target = index.resolve(dynamicImport.source, file.path);
    if (isTest && target && plans.has(target)) {
      plans.get(target)!.testImports.push({ file, script, node: dynamicImport.node });
      used = true;
      continue;
    }
    // `(await import('$lib/share')).share`, `const { share } = await import(…)`: names that stay
    // module-level exports after the migration keep working.
    const taken = target ? namesTakenFrom(script.ast.program, dynamicImport.node) : undefined;
    for (const plan of target ? modulesBehind(target, index, plans) : []) {
      const takesState = (name: string) => {
        const origin = index.resolveExport(target!, name);
        return !origin || (origin.module === plan.module.file && plan.module.statefulExports.has(origin.exported));
      };
      if (taken && !taken.some(takesState)) continue;
      plan.blockers.push({ ...at(dynamicImport.node), reason: `dynamic import of ${plan.module.file}; import its names statically in a component instead` });
    }
  }
  return used;
}

/**
 * Where a component's instance script or markup first uses a name its module script imports, if
 * anywhere: a free reference in the instance script, else in the markup as Svelte's parser reads it
 * (or, when the markup does not parse, any mention of the name in it).
 */
function usesOfModuleScriptImports(file: ParsedFile, index: SourceIndex): (local: string) => (SourceLocation & { where: string }) | undefined {
  const instance = file.scripts.find((candidate) => candidate.kind === 'instance');
  const instanceReferences = instance ? freeReferences(instance.ast.program).identifiers : [];
  let markupUses: Array<{ name: string; start: number }> | undefined;
  const inMarkup = (local: string) => {
    if (!markupUses) {
      const fragment = index.markup(file);
      markupUses = fragment
        ? markupIdentifiers(fragment).map(({ node }) => ({ name: node.name, start: node.start! }))
        : [...markupText(file).matchAll(/(?<![\w$.])[\w$]+/g)].map((word) => ({ name: word[0], start: word.index }));
    }
    return markupUses.find((use) => use.name === local || use.name === `$${local}`);
  };
  return (local) => {
    const inInstance = instanceReferences.find((identifier) => identifier.name === local || identifier.name === `$${local}`);
    if (inInstance) return { file: file.path, ...lineColumn(file.text, instance!.offset + inInstance.start!), where: 'by the instance script' };
    const use = inMarkup(local);
    return use ? { file: file.path, ...lineColumn(file.text, use.start), where: 'in the markup' } : undefined;
  };
}

/** The store modules whose state an import names: the module of a stateful export, or every module a namespace import's target leads to. */
function plansReached(name: ImportedName, target: string, index: SourceIndex, plans: Map<string, ModulePlan>): ModulePlan[] {
  if (name.imported === '*') return modulesBehind(target, index, plans);
  const origin = index.resolveExport(target, name.imported);
  const plan = origin && plans.get(origin.module);
  return plan && plan.module.statefulExports.has(origin.exported) ? [plan] : [];
}

/**
 * Whether a namespace import (`import * as info from`) is only used as `info.NAME` (values or
 * types) for names that stay module-level, so the migration does not change what it reaches.
 */
function touchesOnlyStatelessMembers(script: Script, local: string, target: string, index: SourceIndex, plans: Map<string, ModulePlan>): boolean {
  const members = new Set<string>();
  let opaque = false;
  walk(script.ast.program, (node) => {
    if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && node.object.type === 'Identifier' && node.object.name === local) {
      if (node.computed || node.property.type !== 'Identifier') opaque = true;
      else members.add(node.property.name);
      return false;
    }
    if (node.type === 'TSQualifiedName' && node.left.type === 'Identifier' && node.left.name === local) {
      members.add(node.right.name);
      return false;
    }
    if (node.type === 'Identifier' && node.name === local) opaque = true;
    if (node.type === 'ImportDeclaration') return false;
  });
  if (opaque) return false;
  return [...members].every((member) => {
    const origin = index.resolveExport(target, member);
    return !origin || !plans.get(origin.module)?.module.statefulExports.has(origin.exported);
  });
}

/** A stateful export imported only for its type: recorded to become the context's type. */
function collectTypeUse(file: ParsedFile, script: Script, statement: ImportStatement, name: ImportedName, target: string, index: SourceIndex, plans: Map<string, ModulePlan>): boolean {
  if (name.imported === '*') return false;
  const origin = index.resolveExport(target, name.imported);
  const plan = origin && plans.get(origin.module);
  if (!plan || !plan.module.statefulExports.has(origin.exported)) return false;
  plan.typeUses.push({ plan, file, script, statement, name, bundleKey: bundleKey(plan.module, origin.exported) });
  return true;
}

/**
 * An import naming a workspace package that no file of it answers (an `exports` entry this tool
 * does not follow): its uses are unknown, so the package's store modules stay as they are.
 */
function blockUnresolvedPackageImport(specifier: string, location: SourceLocation, index: SourceIndex, plans: Map<string, ModulePlan>): void {
  const pkg = packageNamed(specifier, index.project.packages);
  // Styles, images and JSON cannot use state.
  if (!pkg || /\.(?!(?:[cm]?[jt]s|svelte)$)\w+$/.test(specifier)) return;
  for (const plan of plans.values()) {
    if (packageOf(index.project.packages, plan.module.file) !== pkg) continue;
    plan.blockers.push({ ...location, reason: `\`${specifier}\` could not be resolved to a file of ${pkg.name}, so what it uses of ${plan.module.file} is unknown; import it by a path its package.json exports, then run again` });
  }
}

/** Whether a script's only use of an imported name is exporting it again (`import { user } from './store'; export { user }`). */
function onlyReExported(script: Script, local: string): boolean {
  const uses = freeReferences(script.ast.program).identifiers.filter((identifier) => identifier.name === local || identifier.name === `$${local}`);
  const exported = script.ast.program.body.some((statement) => statement.type === 'ExportNamedDeclaration' && !statement.source && statement.specifiers.some((specifier) => specifier.type === 'ExportSpecifier' && specifier.local.name === local));
  return exported && uses.length === 1;
}

/** For `import { user } from './store'; export { user as current }`: the import and each export list naming `user`, as barrels. */
function importExportedAgain(file: ParsedFile, script: Script, statement: ImportStatement, name: ImportedName, plan: ModulePlan): BarrelUse[] {
  const importList = statement.names
    .filter((imported) => imported.node.type === 'ImportSpecifier')
    .map((imported) => ({ imported: imported.imported, exported: imported.local, typeOnly: imported.typeOnly, node: imported.node }));
  const uses: BarrelUse[] = [{ plan, file, statement: { node: statement.node, names: importList }, statefulNames: new Set([name.local]) }];
  for (const exportList of script.ast.program.body) {
    if (exportList.type !== 'ExportNamedDeclaration' || exportList.source) continue;
    const names = exportList.specifiers.flatMap((specifier) =>
      specifier.type === 'ExportSpecifier'
        ? [{ imported: specifier.local.name, exported: specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value, typeOnly: exportList.exportKind === 'type' || specifier.exportKind === 'type', node: specifier as Node }]
        : [],
    );
    const stateful = new Set(names.filter((exported) => exported.imported === name.local).map((exported) => exported.exported));
    if (stateful.size > 0) uses.push({ plan, file, statement: { node: exportList, names }, statefulNames: stateful });
  }
  return uses;
}

/** The first place a script uses a name as a value (not its import), if any. */
function firstUse(script: Script, local: string): Node | undefined {
  return freeReferences(script.ast.program).identifiers.find((identifier) => identifier.name === local || identifier.name === `$${local}`);
}

/**
 * A sentence saying why `getContext` cannot run where `name` is used, and what to do instead.
 * `isStore`: the name is the state itself, not a function or value reading it.
 */
function whyContextCannotReach(path: string, script: Script, name: string, isStore = true): string {
  if (script.kind === 'component-module') {
    return `\`${name}\` is used in a module script, which runs once per server process, not per component; move this use into the instance script`;
  }
  const file = posix.basename(path);
  if (/^hooks\.client\.[jt]s$/.test(file)) {
    return `\`${name}\` is used in client hooks, which run in the browser outside components; move this use into a component (the root layout), or pass the store in`;
  }
  if (/^hooks\.server\.[jt]s$/.test(file) || /\/hooks\.[jt]s$/.test(path)) {
    return `\`${name}\` is used in hooks, which run outside components; keep per-request data in \`event.locals\` and hand it to components through \`load\``;
  }
  if (/^\+(?:page|layout)(?:\.server)?\.[jt]s$/.test(file)) {
    if (!isStore) return `\`${name}\` reads or writes module state and is used in a load function, which runs outside components; have it take what it needs as arguments (from \`event.locals\`, \`parent()\` or the request), and return data from \`load\`, instead of using the store`;
    return `\`${name}\` is used in a load function, which runs outside components; return the data from \`load\` and set the store from \`data\` in a component`;
  }
  if (/^\+server\.[jt]s$/.test(file) || /\.server\.[jt]s$/.test(file) || path.includes('/server/')) {
    return `\`${name}\` is used in server-only code, which has no component context; pass the value in from the request instead`;
  }
  return `\`${name}\` is used in a plain module, where getContext cannot run; move this use into a component, or pass the store in as an argument`;
}
