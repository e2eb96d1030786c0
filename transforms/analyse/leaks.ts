/**
 * Leak analysis: for each piece of module-level state, where it is written and whether that code
 * can run on the server while a request is handled. Three classes:
 *
 *   leaks     written while a request is handled on the server: one user's data can reach
 *             another user's page
 *   latent    written only in the browser (event handlers, `onMount`, `$effect`, `browser`
 *             guards, routes with SSR off) or once at startup: safe today, one `$:` away from a leak
 *   constant  never written
 *
 * A write inside a function counts where the function is called, followed through calls across
 * modules (a helper called from a `load` function writes during SSR). What cannot be placed counts
 * as server code: a leak reported that is not one costs a look, one missed costs users' data.
 */
import { posix } from 'node:path';
import type { Node } from '@babel/types';
import { lineColumn, mentionsWord, wordAt } from '../text.js';
import type { LeakClass, SourceLocation, StateReport, StateWrite } from '../types.js';
import { freeReferences, patternNames, walk, namesTakenFrom } from './ast.js';
import type { StoreModule } from './find-stores.js';
import { blankRanges, blankScripts, isComponentPath, isScriptPath, markupText, type ParsedFile, type Script } from './parse.js';
import { locateScripts, type LocatedScript, type LocatedScripts } from './script-locator.js';
import { readImportsFromText, type ImportedName, type ModuleSyntax, type TextImport } from './module-syntax.js';
import type { ServerRendering } from './server-rendering.js';
import type { SourceIndex } from './source-index.js';
import { svelteCreatorNamed, svelteCreators, unwrapTypeCast, type SvelteCreators } from './store-calls.js';
import { isTestFile, isToolingFile } from './store-modules.js';

/** Where a piece of code runs, or the function whose callers decide it. */
/** What references are wanted: all of them, or only those that may write (with the state's writing methods, `functionMembers`). */
type Wanted = 'all' | { handed: ReadonlySet<string> };

type Context = { runs: 'server'; at: SourceLocation } | { runs: 'browser' } | { runs: 'startup' } | { runs: 'deferred'; fn: FunctionRef } | { runs: 'nowhere' };

interface FunctionRef {
  file: ParsedFile;
  script: Script;
  /** Local names the enclosing top-level declaration binds. */
  locals: string[];
  /**
   * For code in a method of an object literal the declaration holds (`const polling = { sync() {…} }`):
   * the method. Only uses of the object that may reach it count (`polling.sync()`, not `polling.data`).
   */
  member?: string;
  /**
   * For code in a callback handed to the factory the declaration's store is made by
   * (`createCollection({ onCreate: … })`), when the factory calls it only from the methods it
   * returns: reading the store (`$orders`, `orders.subscribe`) does not run it.
   */
  onlyThroughMethods?: true;
}

/** A component read as text only: its located scripts, and the imports of its instance script. */
interface ComponentText {
  text: string;
  located: LocatedScripts;
  instance: LocatedScript;
  code: string;
  imports: TextImport[];
  /** What each import's source resolves to (null: nothing of the app), once needed. */
  targets: Array<string | null>;
  /** What it imports from each store module asked about, once needed. */
  bindings: Map<string, ComponentBindings>;
  /** Its scripts' code, the instance script's imports left out, once needed. */
  scriptCode?: string;
  /** Its markup (the scripts blanked) and its browser-only places (null: unclear), once needed. */
  markup?: { text: string; places: Array<[number, number]> | null };
}

/** The locals a component imports each export of one module under, and whether it imports a namespace leading there. */
interface ComponentBindings {
  locals: Map<string, Set<string>>;
  throughNamespace: boolean;
}

/** A reference in a script or in markup, with the nodes from the root down to it. */
interface Reference {
  file: ParsedFile;
  script: Script | undefined;
  node: Node;
  path: Node[];
  /** Markup only: inside an event handler, binding, action or transition. */
  browserDirective?: boolean;
}

/**
 * Another name for state and what it stands for: the store (`const alias = cart`), one of its
 * writing methods (`setter`; `always` when it stands for every mention of it in browser-only
 * markup), or its value (`const items = get(cart)`).
 */
interface Alias {
  reference: Reference;
  kind: 'store' | 'setter' | 'always' | 'value';
}

/** Functions that run their callback only in the browser. */
const BROWSER_ONLY_CALLS = new Set(['onMount', 'afterNavigate', 'beforeNavigate', 'onNavigate', 'afterUpdate', 'beforeUpdate', 'addEventListener', 'requestAnimationFrame', 'requestIdleCallback', '$effect', '$effect.pre', '$effect.root', 'attach']);
/** Methods that change what they are called on: on a property of state (`state.items.push()`), only these write. */
const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear', 'update']);
/** Methods that only read: calling them on state itself is no write. Any other method call on it may write. */
const READ_ONLY_METHODS = new Set([
  'subscribe', 'get', 'has', 'at', 'map', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'includes', 'indexOf', 'lastIndexOf',
  'slice', 'some', 'every', 'forEach', 'reduce', 'reduceRight', 'join', 'keys', 'values', 'entries', 'concat', 'flat', 'flatMap',
  'toSorted', 'toReversed', 'toSpliced', 'with', 'toString', 'toJSON', 'toLocaleString', 'valueOf', 'getTime', 'toISOString',
  'charAt', 'startsWith', 'endsWith', 'trim', 'split', 'toFixed', 'hasOwnProperty', 'snapshot',
]);
const ENTRY_EXPORTS: Array<{ file: RegExp; names: Set<string> | 'all'; runs: 'server' | 'browser' | 'route' | 'startup' }> = [
  { file: /^\+(?:page|layout)\.[cm]?[jt]s$/, names: new Set(['load']), runs: 'route' },
  { file: /^\+(?:page|layout)\.server\.[cm]?[jt]s$/, names: new Set(['load', 'actions']), runs: 'server' },
  { file: /^\+server\.[cm]?[jt]s$/, names: new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'fallback']), runs: 'server' },
  { file: /^hooks\.server\.[cm]?[jt]s$/, names: new Set(['handle', 'handleFetch', 'handleError', 'handleValidationError']), runs: 'server' },
  { file: /^hooks\.server\.[cm]?[jt]s$/, names: new Set(['init']), runs: 'startup' },
  { file: /^hooks\.[cm]?[jt]s$/, names: new Set(['reroute', 'transport']), runs: 'server' },
  { file: /^hooks\.client\.[cm]?[jt]s$/, names: 'all', runs: 'browser' },
];

/**
 * `textShortcuts: false` parses every component whose references are needed, where a
 * component's text may tell them without a parse, and reads every importer that mentions an
 * export, where its import statements may tell it names none: the same report, more slowly (for
 * the differential test of the text shortcuts).
 */
export function analyseLeaks(index: SourceIndex, modules: StoreModule[], rendering: ServerRendering, { textShortcuts = true } = {}): StateReport[] {
  return new LeakAnalysis(index, rendering, textShortcuts).run(modules);
}

class LeakAnalysis {
  private readonly functionContexts = new Map<string, Context>();
  private readonly scriptIndexes = new WeakMap<Script, Map<string, Reference[]>>();
  private readonly markupIndexes = new WeakMap<ParsedFile, Map<string, Reference[]>>();
  private readonly markupTexts = new WeakMap<ParsedFile, string>();
  private readonly bindings = new WeakMap<Script, Map<string, ImportedName[]>>();
  private readonly leaders = new Map<string, Set<string>>();
  private readonly importers = new Map<string, string[]>();
  private reverseImports: Map<string, string[]> | undefined;

  constructor(
    private readonly index: SourceIndex,
    private readonly rendering: ServerRendering,
    private readonly textShortcuts: boolean,
  ) {}

  run(modules: StoreModule[]): StateReport[] {
    const leaks: StateReport[] = [];
    const byState = new Map<string, StateReport>();
    const derivations: Array<{ leak: StateReport; sources: string[] }> = [];
    for (const module of modules) {
      const file = this.index.get(module.file);
      if (!file) continue;
      const syntax = this.index.syntax(module.script);
      const exportedAs = new Map<string, string>();
      for (const [exported, local] of syntax.localExports) if (!exportedAs.has(local)) exportedAs.set(local, exported);
      const declared = (local: string) => {
        const statement =
          module.script.ast.program.body.find((candidate) => topLevelBindings(candidate, [candidate]).includes(local)) ??
          (module.statefulExports.get('default') === local ? module.script.ast.program.body.find((candidate) => candidate.type === 'ExportDefaultDeclaration') : undefined);
        return lineColumn(file.text, module.script.offset + (statement?.start ?? 0));
      };
      for (const exported of module.constantStores) {
        leaks.push({ module: module.file, name: exported, ...declared(syntax.localExports.get(exported) ?? exported), class: 'constant', writes: [] });
      }
      for (const local of module.stores) {
        // (`export default writable(…)` has no local name: the module's plan gives it one.)
        const exports = [...new Set([...syntax.localExports, ...module.statefulExports].filter(([, candidate]) => candidate === local).map(([exported]) => exported))];
        const writes = this.writesOf(file, module.script, local, exports);
        const leak: StateReport = { module: module.file, name: exportedAs.get(local) ?? local, ...declared(local), class: classOf(writes), writes };
        leaks.push(leak);
        byState.set(`${module.file}\0${local}`, leak);
        const sources = this.derivationSources(file, module, local);
        if (sources.length > 0) derivations.push({ leak, sources });
      }
    }
    // A derived store changes when what it follows does: it takes the worst class of its sources.
    const rank: Record<LeakClass, number> = { constant: 0, latent: 1, leaks: 2 };
    for (const { leak, sources } of derivations) leak.derivedFrom = sources.map((key) => byState.get(key)?.name ?? key.split('\0')[1]!);
    // A source that is no store itself but code of its module holding one (`export const count =
    // { subscribe: store.subscribe }`) follows the stores that code reads.
    const storesBehind = (key: string): string[] => {
      if (byState.has(key)) return [key];
      const [path, local] = key.split('\0') as [string, string];
      const module = modules.find((candidate) => candidate.file === path);
      const item = module?.moved.find((candidate) => candidate.declared.includes(local));
      return item ? module!.stores.filter((store) => store !== local && item.refs.values.has(store)).map((store) => `${path}\0${store}`) : [];
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const { leak, sources } of derivations) {
        for (const source of sources.flatMap(storesBehind)) {
          const from = byState.get(source);
          if (from && rank[from.class] > rank[leak.class]) {
            leak.class = from.class;
            changed = true;
          }
        }
      }
    }
    return leaks.sort((a, b) => a.module.localeCompare(b.module) || a.name.localeCompare(b.name));
  }

  /** Every write of one piece of state: in its module, and wherever its exports are imported. */
  private writesOf(file: ParsedFile, script: Script, local: string, exports: string[]): StateWrite[] {
    const methods = mutatingMethods(script, local);
    const handed = functionMembers(script, local, methods, (name) => this.importedFunction(file, script, name)?.fn);
    const writes: Wanted = { handed };
    const references = this.fileReferences(file, script, new Set([local]), writes);
    for (const exported of exports) references.push(...this.importedReferences(file.path, exported, writes));
    const found: StateWrite[] = [];
    const add = (reference: Pick<Reference, 'file' | 'script' | 'node'>, where: Context) => {
      const context = this.resolve(where);
      const at = { file: reference.file.path, ...lineColumn(reference.file.text, this.offsetOf(reference)) };
      if (context.runs === 'server') found.push({ ...at, runs: 'server', ...(samePlace(context.at, at) ? {} : { via: context.at }) });
      else if (context.runs === 'startup') found.push({ ...at, runs: 'startup' });
      else found.push({ ...at, runs: 'browser' });
    };
    for (const reference of references) {
      if (isWrite(reference, methods, handed) || this.handedToWritingFunction(reference)) add(reference, this.contextOf(reference));
      // Handed to a child component as a prop (`<Child store={cart} />`): what the child does with it.
      for (const inChild of this.propWrites(reference, methods, handed, writes)) add(inChild, this.contextOf(inChild));
      // Under another name (`const alias = cart`, `const { set: setCart } = cart`), what that name does.
      for (const alias of this.aliasesOf(reference, writes)) {
        const writesIt =
          alias.kind === 'always' ||
          (alias.kind === 'setter' && isCalledOrHanded(alias.reference.node, alias.reference.path.at(-1))) ||
          (alias.kind === 'store' && (isWrite(alias.reference, methods, handed) || this.handedToWritingFunction(alias.reference))) ||
          // The store's value itself (`const items = get(cart)`): changing it changes what every request reads.
          (alias.kind === 'value' && isWrite(alias.reference));
        if (writesIt) add(alias.reference, this.contextOf(alias.reference));
      }
    }
    // `const { subscribe, set } = writable(…)`, or a start function keeping its `set` in a module
    // variable (`readable([], (_, u) => { update = u })`): calling it, here or where it is
    // imported, writes the store.
    const creators = svelteCreators(this.index.syntax(script));
    const isDefaultExpression = exports.includes('default') && this.index.syntax(script).localExports.get('default') === 'default';
    const init = storeValue(script, local, isDefaultExpression);
    for (const setter of [...destructuredSetters(script, local, creators), ...keptSetters(script, init, creators)]) {
      const setterExports = [...this.index.syntax(script).localExports].filter(([, candidate]) => candidate === setter).map(([exported]) => exported);
      const calls = [...this.fileReferences(file, script, new Set([setter])), ...setterExports.flatMap((exported) => this.importedReferences(file.path, exported))];
      for (const call of calls) if (!isDeclarationOf(call) && (call.browserDirective || isCalledOrHanded(call.node, call.path.at(-1)))) add(call, this.contextOf(call));
      // …and as a member of an object the module exports (`export default { subscribe, set }`):
      // `ui.set(…)` where it is imported calls it, and so does `$ui.open = …`.
      for (const { exported, keys } of objectsHolding(script, setter, this.index.syntax(script))) {
        for (const use of this.importedReferences(file.path, exported)) {
          const access = use.path.at(-1) as Node | undefined;
          const member = access && (access.type === 'MemberExpression' || access.type === 'OptionalMemberExpression') && access.object === use.node && !access.computed && access.property.type === 'Identifier' ? access.property.name : undefined;
          const callsSetter = member !== undefined && keys.has(member) && isCalledOrHanded(access!, use.path.at(-2));
          if (use.browserDirective || callsSetter || (isStoreValue(use.node) && isWrite(use))) add(use, this.contextOf(use));
        }
      }
    }
    // A dynamic import's module is not followed into its uses (`(await import('$lib/cart')).cart.set(…)`):
    // where the import runs, it may write what it takes.
    for (const exported of exports) for (const place of this.dynamicImportsTaking(file.path, exported)) add(place, this.contextOf(place));
    for (const write of ownWrites(this.index.syntax(script), init, script, (name) => this.importedFunction(file, script, name))) {
      // A start function runs when the store gets its first subscriber: where the store is used.
      const runs: Context = write.runs === 'subscribed' ? { runs: 'deferred', fn: { file, script, locals: [local] } } : { runs: write.runs };
      add({ file: write.in?.file ?? file, script: write.in?.script ?? script, node: write.node }, runs);
    }
    return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }

  /** The function a script imports as `local` from another module of the app (`import { createClock } from '$lib/stores'`), through re-exports. */
  private importedFunction(file: ParsedFile, script: Script, local: string): FactoryCode | undefined {
    for (const statement of this.index.syntax(script).imports) {
      const name = statement.names.find((candidate) => candidate.local === local && !candidate.typeOnly && candidate.imported !== '*');
      if (!name) continue;
      const target = this.index.resolve(statement.source, file.path);
      const origin = target ? this.index.resolveExport(target, name.imported) : undefined;
      const originFile = origin ? this.index.get(origin.module) : undefined;
      const originScript = originFile?.scripts.find((candidate) => candidate.kind !== 'instance');
      if (!origin || !originFile || !originScript) return undefined;
      const syntax = this.index.syntax(originScript);
      const originLocal = syntax.localExports.get(origin.exported);
      const fn = originLocal ? declaredValue(originScript, originLocal) : undefined;
      return fn && isFunction(fn) ? { file: originFile, script: originScript, syntax, fn } : undefined;
    }
    return undefined;
  }

  /** For a `derived(…)` / `$derived(…)` store: the module state and imported state its value reads. */
  private derivationSources(file: ParsedFile, module: StoreModule, local: string): string[] {
    for (const statement of module.script.ast.program.body) {
      const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
      if (declaration?.type !== 'VariableDeclaration') continue;
      for (const declarator of declaration.declarations) {
        if (!patternNames(declarator.id).includes(local) || declarator.init?.type !== 'CallExpression') continue;
        const callee = declarator.init.callee;
        const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.object.type === 'Identifier' ? callee.object.name : '';
        if (name !== 'derived' && name !== '$derived') return [];
        const read = freeReferences(declarator.init).values;
        const sources: string[] = [];
        const ownState = module.moved.flatMap((item) => item.declared);
        for (const other of ownState) if (other !== local && read.has(other)) sources.push(`${file.path}\0${other}`);
        for (const statement of this.index.syntax(module.script).imports) {
          const target = this.index.resolve(statement.source, file.path);
          for (const imported of statement.names) {
            if (!target || !read.has(imported.local) || imported.imported === '*') continue;
            const origin = this.index.resolveExport(target, imported.imported);
            const originFile = origin && this.index.get(origin.module);
            const originLocal = originFile && this.index.syntax(originFile.scripts[0]!).localExports.get(origin.exported);
            if (originLocal) sources.push(`${origin.module}\0${originLocal}`);
          }
        }
        return sources;
      }
    }
    return [];
  }

  /**
   * References to `names`, declared at the top level of `script`, in their own file: the script,
   * and for a component's module script its instance script and markup, which use them directly.
   */
  private fileReferences(file: ParsedFile, script: Script, names: ReadonlySet<string>, wanted: Wanted = 'all'): Reference[] {
    const references = this.scriptReferences(file, script, names, wanted);
    if (script.kind !== 'component-module') return references;
    const instance = file.scripts.find((candidate) => candidate.kind === 'instance');
    return [...references, ...(instance ? this.scriptReferences(file, instance, names, wanted) : this.markupReferences(file, names, wanted))];
  }

  /**
   * References to `names` in one script (free ones: a parameter of the same name is another thing)
   * and, for an instance script, in the markup. For `writes`, markup that cannot write them is not read.
   */
  private scriptReferences(file: ParsedFile, script: Script, names: ReadonlySet<string>, wanted: Wanted = 'all'): Reference[] {
    const byName = this.scriptIndex(file, script);
    const references: Reference[] = [];
    for (const name of names) {
      references.push(...(byName.get(name) ?? []));
      if (file.isComponent) references.push(...(byName.get(`$${name}`) ?? []));
    }
    if (script.kind === 'instance') references.push(...this.markupReferences(file, names, wanted));
    return references;
  }

  /**
   * Every free reference of a script by name, with its path, found in one walk. Free per
   * top-level statement: a module's own top-level names count, a parameter of the same name does not.
   */
  private scriptIndex(file: ParsedFile, script: Script): Map<string, Reference[]> {
    let byName = this.scriptIndexes.get(script);
    if (byName) return byName;
    byName = new Map();
    const free = new Set<Node>(script.ast.program.body.flatMap((statement) => freeReferences(statement).identifiers));
    walkWithPath(script.ast.program, (node, path) => {
      if (!free.has(node)) return;
      const name = (node as unknown as { name: string }).name;
      if (!byName!.has(name)) byName!.set(name, []);
      byName!.get(name)!.push({ file, script, node, path: [...path] });
    });
    this.scriptIndexes.set(script, byName);
    return byName;
  }


  private markupReferences(file: ParsedFile, names: ReadonlySet<string>, wanted: Wanted): Reference[] {
    // Cheap text checks first: Svelte's parser runs only for markup that mentions one of the names
    // (in a way that can write it, when only writes are wanted).
    let markup = this.markupTexts.get(file);
    if (markup === undefined) this.markupTexts.set(file, (markup = markupText(file)));
    if (![...names].some((name) => mentionsName(markup, name))) return [];
    if (wanted !== 'all' && ![...names].some((name) => mayWrite(markup, name, wanted.handed))) return [];
    let byName = this.markupIndexes.get(file);
    // A function whose every mention sits in an event handler or a browser-only directive is called
    // in the browser there, which is all a caller's place tells (only writes are reported by place).
    if (!byName && wanted === 'all' && mentionedOnlyInBrowserPlaces(markup, names)) {
      return [{ file, script: undefined, node: { type: 'Identifier', name: [...names][0]!, start: 0, end: 0 } as Node, path: [], browserDirective: true }];
    }
    if (!byName) {
      byName = new Map();
      const fragment = this.index.markup(file);
      for (const { node, path, browserDirective } of fragment ? markupIdentifiers(fragment) : []) {
        if (!byName.has(node.name)) byName.set(node.name, []);
        byName.get(node.name)!.push({ file, script: undefined, node, path, browserDirective });
      }
      this.markupIndexes.set(file, byName);
    }
    return [...names].flatMap((name) => [...(byName!.get(name) ?? []), ...(byName!.get(`$${name}`) ?? [])]);
  }

  /** References, in every file importing it, to export `exported` of `modulePath` (under any local name, through barrels). */
  private importedReferences(modulePath: string, exported: string, wanted: Wanted = 'all', only?: string): Reference[] {
    const references: Reference[] = [];
    const names = this.namesOfExport(modulePath, exported);
    const named = this.namesImported(modulePath);
    for (const importer of only ? [only] : this.importersOf(modulePath)) {
      const text = this.index.files.get(importer) ?? '';
      if (this.textShortcuts && !named.unclear.has(importer)) {
        // Its imports read plainly: it uses the export only if one of them names it.
        if (!names.some((name) => named.byName.get(name)?.has(importer))) continue;
      } else if (exported !== 'default' && !names.some((name) => mentionsWord(text, name)) && !this.importForms(importer, text).namespace) {
        // (A namespace's computed member, `state[name]`, need not name it.)
        continue;
      }
      if (wanted !== 'all' && !names.some((name) => mayWriteExport(text, name, wanted.handed, this.importForms(importer, text).namespace))) continue;
      const fromText = wanted === 'all' && exported !== 'default' ? this.referencesFromText(importer, modulePath, exported) : undefined;
      if (fromText) {
        references.push(...fromText);
        continue;
      }
      const file = this.index.get(importer);
      for (const script of file?.scripts ?? []) {
        const locals = new Set(this.importBindings(file!, script, this.leadingTo(modulePath)).filter((binding) => binding.module === modulePath && binding.exported === exported).map((binding) => binding.local));
        if (locals.size > 0) references.push(...this.scriptReferences(file!, script, locals, wanted));
        references.push(...this.namespaceMemberReferences(file!, script, modulePath, exported, wanted));
      }
    }
    return references;
  }

  private readonly importedNames = new Map<string, { byName: Map<string, Set<string>>; unclear: Set<string> }>();

  /**
   * Which importers of `modulePath` import which names from it or the modules handing it on, read
   * from their import statements (asked for every export and importer, so read once per module).
   * `unclear`: those whose imports do not read plainly, hand modules on themselves, or take a
   * whole namespace; for them, the text's mentions decide.
   */
  private namesImported(modulePath: string): { byName: Map<string, Set<string>>; unclear: Set<string> } {
    let known = this.importedNames.get(modulePath);
    if (known) return known;
    known = { byName: new Map(), unclear: new Set() };
    const leading = this.leadingTo(modulePath);
    for (const importer of this.importersOf(modulePath)) {
      const imports = this.textImports(importer);
      if (!imports || this.index.mayReExport(importer)) {
        known.unclear.add(importer);
        continue;
      }
      for (const statement of imports) {
        const target = statement.target;
        if (!target || !leading.has(target)) continue;
        for (const name of statement.names) {
          if (name.imported === '*' && !name.typeOnly) known.unclear.add(importer);
          if (name.typeOnly || name.imported === '*') continue;
          if (!known.byName.has(name.imported)) known.byName.set(name.imported, new Set());
          known.byName.get(name.imported)!.add(importer);
        }
      }
    }
    this.importedNames.set(modulePath, known);
    return known;
  }

  private readonly textImportsByPath = new Map<string, Array<TextImport & { target: string | undefined }> | undefined>();

  /**
   * A file's import statements read from its text (a component's, from each of its scripts), each
   * with the file it resolves to; undefined when they do not read plainly.
   */
  private textImports(path: string): Array<TextImport & { target: string | undefined }> | undefined {
    if (this.textImportsByPath.has(path)) return this.textImportsByPath.get(path);
    const text = this.index.files.get(path) ?? '';
    let imports: TextImport[] | undefined;
    if (!isComponentPath(path)) imports = readImportsFromText(text);
    else {
      const located = locateScripts(text);
      const perScript = located?.scripts.map((script) => readImportsFromText(text.slice(script.start, script.end)));
      imports = perScript?.every((found) => found !== undefined) ? (perScript.flat() as TextImport[]) : undefined;
    }
    const resolved = imports?.map((statement) => ({ ...statement, target: this.index.resolve(statement.source, path) }));
    this.textImportsByPath.set(path, resolved);
    return resolved;
  }

  private readonly exportNames = new Map<string, { byExport: Map<string, Set<string>>; namespaces: Set<string>; names: Map<string, string[]> }>();

  /**
   * The names export `exported` of `modulePath` goes by where it may be imported: its own, those
   * barrels give it (`export { cart as basket } from './cart'`), and those of namespaces holding it
   * (`export * as stores from './cart'`, used as `stores.cart`): all an importer through them names.
   */
  private namesOfExport(modulePath: string, exported: string): string[] {
    let known = this.exportNames.get(modulePath);
    if (!known) {
      known = { byExport: new Map(), namespaces: new Set(), names: new Map() };
      const leading = this.leadingTo(modulePath);
      for (const leader of leading) {
        const script = leader === modulePath ? undefined : this.index.get(leader)?.scripts[0];
        if (!script) continue;
        const syntax = this.index.syntax(script);
        for (const name of [...syntax.localExports.keys(), ...syntax.reExports.flatMap((reExport) => reExport.names.map((named) => named.exported))]) {
          const origin = this.index.resolveExport(leader, name);
          if (origin?.module !== modulePath) continue;
          if (!known.byExport.has(origin.exported)) known.byExport.set(origin.exported, new Set());
          known.byExport.get(origin.exported)!.add(name);
        }
        for (const name of [...syntax.localExports.keys(), ...syntax.reExports.flatMap((reExport) => reExport.namespace ?? [])]) {
          if (leading.has(this.index.namespaceExport(leader, name) ?? '')) known.namespaces.add(name);
        }
      }
      this.exportNames.set(modulePath, known);
    }
    let names = known.names.get(exported);
    if (!names) known.names.set(exported, (names = [...new Set([exported, ...(known.byExport.get(exported) ?? []), ...known.namespaces])]));
    return names;
  }

  /**
   * The dynamic imports, in files importing `modulePath` (through barrels too), that may take its
   * export `exported`: those that name it (`const { cart } = await import(…)`), and any other use of
   * the module in a file that mentions the name.
   */
  private dynamicImportsTaking(modulePath: string, exported: string): Reference[] {
    const places: Reference[] = [];
    const leading = this.leadingTo(modulePath);
    for (const importer of this.importersOf(modulePath)) {
      const text = this.index.files.get(importer) ?? '';
      if (!this.importForms(importer, text).dynamic) continue;
      const file = this.index.get(importer);
      for (const script of file?.scripts ?? []) {
        for (const dynamicImport of this.index.syntax(script).dynamicImports) {
          const target = this.index.resolve(dynamicImport.source, importer);
          if (!target || !leading.has(target)) continue;
          const taken = namesTakenFrom(script.ast.program, dynamicImport.node);
          const takesIt = taken
            ? taken.some((name) => { const origin = this.index.resolveExport(target, name); return origin?.module === modulePath && origin.exported === exported; })
            : exported === 'default' || this.namesOfExport(modulePath, exported).some((name) => mentionsWord(script.code, name));
          if (!takesIt) continue;
          walkWithPath(script.ast.program, (node, path) => {
            if (node === dynamicImport.node) places.push({ file: file!, script, node, path: [...path] });
          });
        }
      }
    }
    return places;
  }

  private readonly importFormsByPath = new Map<string, { namespace: boolean; dynamic: boolean }>();

  /**
   * Whether a file's text has a namespace import (`import * as state from …`) or a dynamic one
   * (`import('$lib/cart')`): asked for each export of each module it imports, so read once.
   */
  private importForms(path: string, text: string): { namespace: boolean; dynamic: boolean } {
    let found = this.importFormsByPath.get(path);
    if (found === undefined) this.importFormsByPath.set(path, (found = { namespace: NAMESPACE_IMPORT.test(text), dynamic: DYNAMIC_IMPORT.test(text) }));
    return found;
  }

  /**
   * The writes a child component of the app makes to state handed to it as a prop
   * (`<Child store={cart} />`, `<Child {cart} />`): the child's writes to that prop, in its script
   * and markup, and further down when it hands the prop on in turn.
   */
  private propWrites(reference: Reference, methods: ReadonlySet<string> | undefined, handed: ReadonlySet<string>, wanted: Wanted, depth = 0): Reference[] {
    if (reference.script || depth > 2) return [];
    const chain = [...reference.path, reference.node];
    const at = chain.findLastIndex((node) => (node.type as string) === 'Attribute');
    const component = at < 1 ? undefined : componentName(chain[at - 1]!);
    // Only the state itself as the value (`store={cart}`), not something computed from it.
    if (!component || chain.length - at !== 3) return [];
    const child = this.importedComponent(reference.file, component);
    const instance = child?.scripts.find((script) => script.kind === 'instance');
    const local = instance && propLocal(instance, (chain[at] as unknown as { name: string }).name);
    if (!child || !instance || !local) return [];
    const found: Reference[] = [];
    for (const inChild of this.scriptReferences(child, instance, new Set([local]), wanted)) {
      if (isDeclarationOf(inChild)) continue;
      if (isWrite(inChild, methods, handed) || this.handedToWritingFunction(inChild)) found.push(inChild);
      found.push(...this.propWrites(inChild, methods, handed, wanted, depth + 1));
    }
    return found;
  }

  /**
   * Whether a reference hands the state to a function of the app that writes what it is handed
   * (`rename(user, 'x')` with `function rename(target, name) { target.update(…) }`): the write
   * happens where the call is. A function of the same file or imported from another module of
   * the app, followed one call further when it hands its parameter on.
   */
  private handedToWritingFunction(reference: Reference, depth = 0): boolean {
    let current: Node = reference.node;
    let at = reference.path.length - 1;
    while (at >= 0 && TRANSPARENT.has(reference.path[at]!.type)) current = reference.path[at--]!;
    const call = reference.path[at];
    if ((call?.type !== 'CallExpression' && call?.type !== 'NewExpression') || call.callee.type !== 'Identifier' || depth > 2) return false;
    const index = call.arguments.indexOf(current as never);
    if (index < 0) return false;
    const script = reference.script ?? reference.file.scripts.find((candidate) => candidate.kind === 'instance');
    if (!script) return false;
    const own = declaredValue(script, call.callee.name);
    const fn = own && isFunction(own) ? { file: reference.file, script, fn: own } : this.importedFunction(reference.file, script, call.callee.name);
    const param = fn && (fn.fn as unknown as { params: Node[] }).params[index];
    if (!fn || param?.type !== 'Identifier') return false;
    const name = param.name;
    let writes = false;
    walkWithPath((fn.fn as unknown as { body: Node }).body, (node, path) => {
      if (writes || node.type !== 'Identifier' || node.name !== name || !isReferenceTo(node, path.at(-1))) return;
      const inner: Reference = { file: fn.file, script: fn.script, node, path };
      writes = isWrite(inner) || this.handedToWritingFunction(inner, depth + 1);
    });
    return writes;
  }

  /**
   * The names a reference to state gives it, with their references in the declaration's scope
   * (their own aliases included): `const alias = cart` (a `store` alias); `const { set: setCart } =
   * cart`, whose members known to be functions that write it are setters; and `const items =
   * get(cart)`, `const { list } = get(cart)`, the store's value. A top-level alias in an instance
   * script is also used in the markup.
   */
  private aliasesOf(reference: Reference, wanted: Wanted, depth = 0): Alias[] {
    const { file, script, path } = reference;
    if (!script || depth > 3) return [];
    let current: Node = reference.node;
    let at = path.length - 1;
    while (at >= 0 && TRANSPARENT.has(path[at]!.type)) current = path[at--]!;
    const ofValue = isSvelteGet(path[at], current);
    if (ofValue) {
      current = path[at--]!;
      while (at >= 0 && TRANSPARENT.has(path[at]!.type)) current = path[at--]!;
    }
    const declarator = path[at];
    if (declarator?.type !== 'VariableDeclarator' || declarator.init !== current) return [];
    const names = new Map<string, Alias['kind']>();
    if (declarator.id.type === 'Identifier') names.set(declarator.id.name, ofValue ? 'value' : 'store');
    if (declarator.id.type === 'ObjectPattern') {
      for (const property of declarator.id.properties) {
        const key = property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' ? property.key.name : undefined;
        if (!key || property.type !== 'ObjectProperty' || property.value.type !== 'Identifier') continue;
        // Of the value, a property is part of it (`const { list } = get(cart)`: `list.push(…)` changes it).
        if (ofValue) names.set(property.value.name, 'value');
        // Of the store, a member known to be a function that writes (`set`, `update`, a returned `add`); a property (`const { items } = cart`) is a value.
        else if (wanted !== 'all' && wanted.handed.has(key)) names.set(property.value.name, 'setter');
      }
    }
    if (names.size === 0) return [];
    // The scope the alias lives in: the innermost function around the declaration, or the script.
    const scopeAt = path.slice(0, at).findLastIndex(isFunction);
    const scope = scopeAt >= 0 ? (path[scopeAt] as unknown as { body: Node }).body : script.ast.program;
    const prefix = scopeAt >= 0 ? path.slice(0, scopeAt + 1) : [];
    const found: Alias[] = [];
    walkWithPath(scope, (node, inner) => {
      if (node.type !== 'Identifier' || !names.has(node.name) || !isReferenceTo(node, inner.at(-1))) return;
      const aliasReference: Reference = { file, script, node, path: [...prefix, ...inner] };
      // (Not the names being declared: `keys` in `const { keys } = get(indexes)` writes nothing.)
      if (node === declarator.id || inner.includes(declarator.id)) return;
      found.push({ reference: aliasReference, kind: names.get(node.name)! });
      if (names.get(node.name) === 'store') found.push(...this.aliasesOf(aliasReference, wanted, depth + 1));
    });
    if (scopeAt < 0 && script.kind === 'instance') {
      const named = (kind: Alias['kind']) => new Set([...names].filter(([, candidate]) => candidate === kind).map(([name]) => name));
      for (const markupReference of this.markupReferences(file, named('store'), wanted)) found.push({ reference: markupReference, kind: 'store' });
      // A value's change and a setter's call are no patterns the markup's text check knows: all their mentions are read.
      for (const markupReference of this.markupReferences(file, named('value'), 'all')) {
        if (!(markupReference.browserDirective && markupReference.path.length === 0)) found.push({ reference: markupReference, kind: 'value' });
      }
      for (const markupReference of this.markupReferences(file, named('setter'), 'all')) {
        if (!(markupReference.browserDirective && markupReference.path.length === 0)) {
          found.push({ reference: markupReference, kind: 'setter' });
          continue;
        }
        // One reference for every mention, all in the browser: placed at the first.
        const name = (markupReference.node as unknown as { name: string }).name;
        const start = Math.max(0, wordAt(this.markupTexts.get(file) ?? '', name));
        found.push({ reference: { ...markupReference, node: { ...markupReference.node, start, end: start + name.length } as Node }, kind: 'always' });
      }
    }
    return found;
  }

  /**
   * Uses of export `exported` of `modulePath` through a namespace import (`import * as state`, or
   * a name a barrel gives the module, `export * as state from './cart'`): `state.cart` is a
   * reference to `cart`, its member access the node. A computed member
   * (`state[name]`) may be any export, so it counts too.
   */
  private namespaceMemberReferences(file: ParsedFile, script: Script, modulePath: string, exported: string, wanted: Wanted): Reference[] {
    const leading = this.leadingTo(modulePath);
    const references: Reference[] = [];
    for (const statement of this.index.syntax(script).imports) {
      const imported = this.index.resolve(statement.source, file.path);
      if (!imported || !leading.has(imported)) continue;
      for (const namespace of statement.names) {
        // `import * as state from …`, or a name a module hands on as a namespace (`export * as state from …`).
        const target = namespace.typeOnly ? undefined : namespace.imported === '*' ? imported : this.index.namespaceExport(imported, namespace.imported);
        if (!target || !leading.has(target)) continue;
        for (const reference of this.scriptReferences(file, script, new Set([namespace.local]), wanted)) {
          // Markup whose every mention is in the browser, told by its text: one reference stands for them all.
          if (reference.browserDirective && reference.path.length === 0) {
            references.push(reference);
            continue;
          }
          const access = reference.path.at(-1) as Node | undefined;
          if (!access || (access.type !== 'MemberExpression' && access.type !== 'OptionalMemberExpression') || access.object !== reference.node) continue;
          const member = !access.computed && access.property.type === 'Identifier' ? access.property.name : access.property.type === 'StringLiteral' ? access.property.value : undefined;
          const origin = member === undefined ? undefined : this.index.resolveExport(target, member);
          if (member !== undefined && !(origin?.module === modulePath && origin.exported === exported)) continue;
          references.push({ ...reference, node: access, path: reference.path.slice(0, -1) });
        }
      }
    }
    return references;
  }

  /**
   * What parsing a component that names export `exported` of `modulePath` would give as its
   * references to it, read from its text: none when its scripts mention the names it is imported
   * under only in the import and its markup nowhere; one browser reference when every mention in
   * the markup is in an event handler or browser-only directive (what `markupReferences` gives for
   * such markup). Undefined when the text does not tell: then the component is parsed.
   */
  private referencesFromText(importer: string, modulePath: string, exported: string): Reference[] | undefined {
    if (!this.textShortcuts || !isComponentPath(importer)) return undefined;
    // Parsed already: the text stands in for the script's references (built for every name of it)
    // and the markup's, unless the markup's have been read from Svelte's parse; unparsable: none.
    const parsed = this.index.wasRead(importer) ? this.index.get(importer) : undefined;
    if (this.index.wasRead(importer) && (!parsed || this.markupIndexes.has(parsed))) return undefined;
    const component = this.componentText(importer);
    if (!component) return undefined;
    const { text, imports } = component;
    const bindings = component.bindings.get(modulePath) ?? this.componentBindings(importer, component, modulePath);
    // A namespace import's members are read from the tree (`state.cart.set(…)`).
    if (bindings.throughNamespace) return undefined;
    const locals = bindings.locals.get(exported) ?? new Set<string>();
    // Mentioned in a script outside the instance script's imports: a parse must tell what that does.
    const scriptCode = (component.scriptCode ??= component.located.scripts.map((script) => (script === component.instance ? blankRanges(component.code, imports) : text.slice(script.start, script.end))).join(' '));
    if ([...locals, exported].some((name) => mentionsName(scriptCode, name))) return undefined;
    if (locals.size === 0) return [];
    const markup = (component.markup ??= markupOf(blankScripts(text, component.located)));
    if (![...locals].some((name) => mentionsName(markup.text, name))) return [];
    if (!mentionedOnlyInBrowserPlaces(markup.text, locals, markup.places)) return undefined;
    const file: ParsedFile = parsed ?? { path: importer, text, isComponent: true, scripts: [], instanceInsertAt: 0 };
    return [{ file, script: undefined, node: { type: 'Identifier', name: [...locals][0]!, start: 0, end: 0 } as Node, path: [], browserDirective: true }];
  }

  /** What a component read as text imports from `modulePath`, through barrels: the locals of each export. Asked once per export of the module, so read once. */
  private componentBindings(importer: string, component: ComponentText, modulePath: string): ComponentBindings {
    const leading = this.leadingTo(modulePath);
    const bindings: ComponentBindings = { locals: new Map(), throughNamespace: false };
    component.imports.forEach((statement, i) => {
      const target = (component.targets[i] ??= this.index.resolve(statement.source, importer) ?? null);
      if (!target || !leading.has(target)) return;
      for (const name of statement.names) {
        if (name.imported === '*' && !name.typeOnly) bindings.throughNamespace = true;
        if (name.typeOnly || name.imported === '*') continue;
        const origin = this.index.resolveExport(target, name.imported);
        if (!origin && leading.has(this.index.namespaceExport(target, name.imported) ?? '')) bindings.throughNamespace = true;
        if (origin?.module !== modulePath) continue;
        if (!bindings.locals.has(origin.exported)) bindings.locals.set(origin.exported, new Set());
        bindings.locals.get(origin.exported)!.add(name.local);
      }
    });
    component.bindings.set(modulePath, bindings);
    return bindings;
  }

  private readonly componentTexts = new Map<string, ComponentText | undefined>();

  /** A component's scripts and instance-script imports as its text gives them; undefined when unclear. */
  private componentText(path: string): ComponentText | undefined {
    if (this.componentTexts.has(path)) return this.componentTexts.get(path);
    const text = this.index.files.get(path);
    const located = text === undefined ? undefined : locateScripts(text);
    const instance = located?.scripts.find((script) => script.kind === 'instance');
    const code = instance && text!.slice(instance.start, instance.end);
    const imports = code === undefined ? undefined : readImportsFromText(code);
    const found = imports && { text: text!, located: located!, instance: instance!, code: code!, imports, targets: [], bindings: new Map() };
    this.componentTexts.set(path, found);
    return found;
  }

  /**
   * What the value imports of a script from `targets` name, traced to the module that declares
   * them. Only those: tracing an import of a component would parse it.
   */
  private importBindings(file: ParsedFile, script: Script, targets: ReadonlySet<string>): Array<{ module: string; exported: string; local: string }> {
    let byTarget = this.bindings.get(script);
    if (!byTarget) {
      byTarget = new Map();
      this.bindings.set(script, byTarget);
      for (const statement of this.index.syntax(script).imports) {
        const target = this.index.resolve(statement.source, file.path);
        if (target) byTarget.set(target, [...(byTarget.get(target) ?? []), ...statement.names.filter((name) => !name.typeOnly && name.imported !== '*')]);
      }
    }
    const bindings: Array<{ module: string; exported: string; local: string }> = [];
    for (const [target, names] of byTarget) {
      if (!targets.has(target)) continue;
      for (const name of names) {
        const origin = this.index.resolveExport(target, name.imported);
        if (origin) bindings.push({ ...origin, local: name.local });
      }
    }
    return bindings;
  }

  /** The module and every module re-exporting it, directly or not. */
  private leadingTo(modulePath: string): ReadonlySet<string> {
    this.importersOf(modulePath);
    return this.leaders.get(modulePath)!;
  }

  /** App files whose imports reach `modulePath`, directly or through modules re-exporting it. */
  private importersOf(modulePath: string): string[] {
    if (!this.reverseImports) {
      this.reverseImports = new Map();
      for (const path of this.index.files.keys()) {
        if (!(isComponentPath(path) || (isScriptPath(path) && !isToolingFile(path))) || isTestFile(path) || !this.index.inAppScope(path)) continue;
        for (const target of this.index.importedPaths(path)) {
          if (!this.reverseImports.has(target)) this.reverseImports.set(target, []);
          this.reverseImports.get(target)!.push(path);
        }
      }
    }
    const known = this.importers.get(modulePath);
    if (known) return known;
    const found = new Set<string>();
    const leaders = new Set([modulePath]);
    const queue = [modulePath];
    while (queue.length > 0) {
      const target = queue.pop()!;
      for (const importer of this.reverseImports.get(target) ?? []) {
        if (found.has(importer) || importer === modulePath) continue;
        found.add(importer);
        if (this.index.mayReExport(importer)) {
          queue.push(importer);
          leaders.add(importer);
        }
      }
    }
    const importers = [...found];
    this.importers.set(modulePath, importers);
    this.leaders.set(modulePath, leaders);
    return importers;
  }

  private offsetOf(reference: Pick<Reference, 'script' | 'node'>): number {
    return (reference.script?.offset ?? 0) + reference.node.start!;
  }

  /** Where a reference runs, from the innermost enclosing node out. */
  private contextOf(reference: Reference): Context {
    const { file, script, node, path } = reference;
    const serverHere = (): Context =>
      this.rendering.runsOnServer(file.path) ? { runs: 'server', at: { file: file.path, ...lineColumn(file.text, this.offsetOf(reference)) } } : { runs: 'browser' };
    if (reference.browserDirective) return { runs: 'browser' };
    const chain = [...path, node];
    for (let i = chain.length - 1; i > 0; i--) if (isBrowserOnlyPlace(chain[i - 1]!, chain[i]!)) return { runs: 'browser' };
    // Markup renders on the server, functions in it included, unless under a browser-only directive
    // or handed to a child component, which decides when it calls them.
    if (!script) return this.callbackProp(file, chain) ?? serverHere();

    const statement = path[1] ?? node;
    const inFunction = chain.slice(1).some(isFunction);
    const locals = topLevelBindings(statement, chain);
    const isCallee = isCalled(chain);
    if (script.kind === 'instance') {
      // A function a declaration holds runs where it is called; one handed to a call while the
      // component initialises (`store.subscribe(…)`, `setTimeout(…)`) may run right then.
      return inFunction && locals.length > 0 && isHeldByDeclaration(chain) ? { runs: 'deferred', fn: { file, script, locals } } : serverHere();
    }
    const entry = this.entryContext(file, script, locals);
    if (entry) return entry;
    // A method of a class the module makes its one instance of (`export const session = new Session()`)
    // runs where that instance's methods are called, not when the class is made.
    const method = instanceMethod(script, chain);
    if (method) return { runs: 'deferred', fn: { file, script, locals: [method.instance], member: method.member } };
    // A module's own top level runs once, when it is first imported; what a declaration holds runs where the declaration is used.
    if (locals.length > 0 && (inFunction || !isCallee)) {
      const onlyThroughMethods = inFunction && this.handedToFactoryMethods(file, script, chain, locals);
      return { runs: 'deferred', fn: { file, script, locals, member: objectMember(chain, locals), ...(onlyThroughMethods ? { onlyThroughMethods } : {}) } };
    }
    return { runs: 'startup' };
  }

  /**
   * A function handed to a child component as a prop (`<Button click={() => …}>`, `action={save}`)
   * runs where the child calls the prop: the child's uses of it decide. Undefined when the child
   * or the prop cannot be found.
   */
  private callbackProp(file: ParsedFile, chain: Node[]): Context | undefined {
    const at = chain.findLastIndex((node) => (node.type as string) === 'Attribute');
    const component = at < 1 ? undefined : componentName(chain[at - 1]!);
    if (!component) return undefined;
    // A choice between values (`closeFunc={dismissable ? close : noop}`, `onclose={close ?? noop}`) hands on what it picks.
    const passed = chain.slice(at + 1).filter((node, i, all) => !((node.type === 'ConditionalExpression' && node.test !== all[i + 1]) || node.type === 'LogicalExpression'));
    // A function (`click={() => …}`), a name (`action={save}`) or a store's method (`action={cart.reset}`).
    const isMethod = passed.length === 3 && (passed[1]!.type === 'MemberExpression' || passed[1]!.type === 'OptionalMemberExpression');
    // …, or a member of an object handed as the prop (`interact={{ clear }}`): it runs where the child calls that member.
    const member = objectMemberPassed(passed);
    const handedOn = passed.some(isFunction) || ((passed.length === 2 || isMethod || member !== undefined) && (passed[0]!.type as string) === 'ExpressionTag');
    if (!handedOn) return undefined;
    const prop = (chain[at] as unknown as { name: string }).name;
    // A library's component (`<Tabs onValueChange>`, `<Select.Root onValueChange>`) cannot be
    // read: an `on…` prop is an event callback there, as Svelte's convention has it.
    if (/^on[a-z]/i.test(prop) && this.isLibraryComponent(file, component.split('.')[0]!)) return { runs: 'browser' };
    const child = this.importedComponent(file, component);
    const instance = child?.scripts.find((script) => script.kind === 'instance');
    const local = instance && propLocal(instance, prop);
    if (local) return { runs: 'deferred', fn: { file: child!, script: instance!, locals: [local], ...(member !== undefined ? { member } : {}) } };
    // An event prop the child does not name goes with the rest of its props (`<button {...rest}>`,
    // `<CommandPrimitive.Item {...rest}>`): when those are only spread onto elements or library
    // components, it is an event handler there.
    if (instance && /^on[a-z]/i.test(prop) && this.restSpreadOnlyOnElements(child!, instance, prop)) return { runs: 'browser' };
    return undefined;
  }

  /**
   * Whether event prop `prop`, which a component does not name, ends up only on elements or library
   * components: its rest props (`let { a, ...rest } = $props()`, Svelte 4's `$$restProps`) are used
   * only spread onto those, or onto a component of the app that does the same with `prop`
   * (`<Button {...rest}>` with `<button {...rest}>` inside).
   */
  private restSpreadOnlyOnElements(child: ParsedFile, instance: Script, prop: string): boolean {
    const key = `${child.path}\0${prop}`;
    let known = this.restSpreads.get(key);
    if (known === undefined) {
      this.restSpreads.set(key, false); // a component spreading into itself, in a cycle, settles nothing
      this.restSpreads.set(key, (known = this.findRestSpreadOnlyOnElements(child, instance, prop)));
    }
    return known;
  }

  /** Asked for every use of a component with an event prop it does not name: its markup is parsed once. */
  private readonly restSpreads = new Map<string, boolean>();

  private findRestSpreadOnlyOnElements(child: ParsedFile, instance: Script, prop: string): boolean {
    const rest = restPropsLocal(instance);
    const names = rest ? [rest] : ['$$restProps', '$$props'];
    const byName = this.scriptIndex(child, instance);
    if (names.some((name) => (byName.get(name) ?? []).some((reference) => reference.path.at(-1)?.type !== 'RestElement'))) return false;
    const fragment = this.index.markup(child);
    const uses = fragment ? markupIdentifiers(fragment).filter(({ node }) => names.includes(node.name)) : [];
    // Spread onto an element, or onto a library's component, where an `on…` prop is an event callback too.
    const ontoEventTarget = (node: Node | undefined): boolean => {
      if (ELEMENT_NODES.has(node?.type as string)) return true;
      if ((node?.type as string) !== 'Component') return false;
      const name = (node as Node & { name: string }).name;
      if (this.isLibraryComponent(child, name.split('.')[0]!)) return true;
      const next = this.importedComponent(child, name);
      const nextInstance = next?.scripts.find((script) => script.kind === 'instance');
      return next !== undefined && nextInstance !== undefined && !propLocal(nextInstance, prop) && this.restSpreadOnlyOnElements(next, nextInstance, prop);
    };
    return uses.length > 0 && uses.every(({ path }) => (path.at(-1)?.type as string) === 'SpreadAttribute' && ontoEventTarget(path.at(-2)));
  }

  /** Whether `name` is imported from a package: a package's name (not an alias such as `$lib`, `#lib`, `~`) that resolves to none of the app's files. */
  private isLibraryComponent(file: ParsedFile, name: string): boolean {
    for (const script of file.scripts) {
      for (const statement of this.index.syntax(script).imports) {
        if (statement.names.some((imported) => imported.local === name && !imported.typeOnly)) return PACKAGE_SPECIFIER.test(statement.source) && this.index.resolve(statement.source, file.path) === undefined;
      }
    }
    return false;
  }

  /**
   * The component of the app a script imports as `name`: by default import, through a barrel
   * (`import { Button } from '$lib/components/ui/button'`), or as a member of a barrel's namespace
   * (`<Command.Item>` with `import * as Command from '$lib/components/ui/command'`).
   */
  private importedComponent(file: ParsedFile, name: string): ParsedFile | undefined {
    const [head, member, ...deeper] = name.split('.');
    if (deeper.length > 0) return undefined;
    for (const script of file.scripts) {
      for (const statement of this.index.syntax(script).imports) {
        const imported = statement.names.find((candidate) => candidate.local === head && !candidate.typeOnly);
        if (!imported) continue;
        const target = this.index.resolve(statement.source, file.path);
        if (!target) return undefined;
        let origin: { module: string; exported: string } | undefined;
        if (member === undefined) {
          if (imported.imported === '*') return undefined;
          origin = isComponentPath(target) ? { module: target, exported: imported.imported } : this.index.resolveExport(target, imported.imported);
        } else {
          // `Command.Item`: an export of a namespace, imported whole or handed on by a barrel (`export * as Command`).
          const namespace = imported.imported === '*' ? target : this.index.namespaceExport(target, imported.imported);
          origin = namespace && !isComponentPath(namespace) ? this.index.resolveExport(namespace, member) : undefined;
        }
        return origin && origin.exported === 'default' && isComponentPath(origin.module) ? this.index.get(origin.module) : undefined;
      }
    }
    return undefined;
  }

  /** `load` in a `+page.ts`, `handle` in server hooks: SvelteKit calls these for each request. */
  private entryContext(file: ParsedFile, script: Script, locals: string[]): Context | undefined {
    if (script.kind !== 'module' || locals.length === 0) return undefined;
    const base = posix.basename(file.path);
    const inRoutes = file.path.startsWith(`${this.index.project.routesDir}/`);
    const inSrc = posix.dirname(file.path) === this.index.project.srcDir;
    const exported = [...this.index.syntax(script).localExports].filter(([, local]) => locals.includes(local)).map(([name]) => name);
    for (const entry of ENTRY_EXPORTS) {
      if (!entry.file.test(base) || !(base.startsWith('+') ? inRoutes : inSrc)) continue;
      if (entry.names !== 'all' && !exported.some((name) => (entry.names as Set<string>).has(name))) continue;
      if (entry.runs === 'browser') return { runs: 'browser' };
      if (entry.runs === 'startup') return { runs: 'startup' };
      if (entry.runs === 'route' && !this.rendering.runsOnServer(file.path)) return { runs: 'browser' };
      const at = script.ast.program.body.find((statement) => topLevelBindings(statement, [statement]).some((name) => locals.includes(name)));
      return { runs: 'server', at: { file: file.path, ...lineColumn(file.text, script.offset + (at?.start ?? 0)) } };
    }
    return undefined;
  }

  /**
   * Whether the code at the end of `chain` is in a callback handed to the factory the declaration
   * of `locals` calls (`const orders = createCollection({ onCreate: (o) => … })`), a factory of the
   * app that calls what it is handed only inside functions it returns other than `subscribe`.
   */
  private handedToFactoryMethods(file: ParsedFile, script: Script, chain: Node[], locals: string[]): boolean {
    if (locals.length !== 1) return false;
    const at = chain.findIndex((node) => node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.id.name === locals[0]);
    const declarator = chain[at];
    const call = chain[at + 1];
    if (declarator?.type !== 'VariableDeclarator' || call?.type !== 'CallExpression' || declarator.init !== call || call.callee.type !== 'Identifier') return false;
    if (!call.arguments.includes(chain[at + 2] as never)) return false;
    const own = declaredValue(script, call.callee.name);
    const factory = own && isFunction(own) ? own : this.importedFunction(file, script, call.callee.name)?.fn;
    return factory !== undefined && callsParametersOnlyInMethods(factory);
  }

  /** Follows deferred contexts to where the functions are called: server wins over browser. */
  private resolve(context: Context): Context {
    return context.runs === 'deferred' ? this.functionContext(context.fn) : context;
  }

  private functionContext(fn: FunctionRef): Context {
    const key = `${fn.file.path}\0${fn.script.kind}\0${fn.locals.join(',')}\0${fn.member ?? ''}\0${fn.onlyThroughMethods ?? ''}`;
    const known = this.functionContexts.get(key);
    if (known) return known;
    // Recursion adds nothing: while a function is being placed, its own calls count for nothing.
    this.functionContexts.set(key, { runs: 'nowhere' });
    // Its own module first, then importer by importer: the first call on the server settles it,
    // and the importers after it need not be parsed.
    const batches: Array<() => Reference[]> = [() => this.fileReferences(fn.file, fn.script, new Set(fn.locals)).filter((reference) => !isDeclarationOf(reference))];
    if (fn.script.kind !== 'instance') {
      for (const [exported, local] of this.index.syntax(fn.script).localExports) {
        if (!fn.locals.includes(local)) continue;
        for (const importer of this.importersOf(fn.file.path)) batches.push(() => this.importedReferences(fn.file.path, exported, 'all', importer));
      }
    }
    const reaching = fn.member === undefined ? undefined : membersReaching(fn.script, fn.locals[0]!, fn.member);
    let result: Context = { runs: 'nowhere' };
    for (const batch of batches) {
      for (const reference of batch()) {
        if ((reaching && !mayReachMember(reference, reaching)) || onlyTestsIt(reference) || (fn.onlyThroughMethods && onlyReadsStore(reference))) continue;
        const context = this.resolve(this.contextOf(reference));
        if (context.runs === 'server') {
          this.functionContexts.set(key, context);
          return context;
        }
        if (context.runs === 'browser' || (context.runs === 'startup' && result.runs === 'nowhere')) result = context;
      }
    }
    this.functionContexts.set(key, result);
    return result;
  }
}

/**
 * Whether a file's text that names export `exported` may write it, read without parsing: one of
 * the names it may be imported under (its own, an alias after `as`) is written somewhere. A superset.
 */
function mayWriteExport(text: string, exported: string, handed: ReadonlySet<string>, importsNamespace: boolean): boolean {
  // Through a namespace (`state.cart.set(…)`) the export is a member, which the patterns do not follow.
  if (exported === 'default' || importsNamespace) return true;
  const aliased = cachedPatterns(aliasPatterns, exported, (escaped) => new RegExp(`(?:^|[^\\w$])${escaped}\\s+as\\s+([\\w$]+)`, 'g'));
  const aliases = [...text.matchAll(aliased)].map((match) => match[1]!);
  return [exported, ...aliases].some((local) => mayWrite(text, local, handed) || mayBeAliased(text, local));
}

/** Whether `name` is given another name (`const alias = name`, `const { set } = name`, `const items = get(name)`), whose uses may write it. */
function mayBeAliased(text: string, name: string): boolean {
  return cachedPatterns(aliasedPatterns, name, (escaped) => new RegExp(`(?:^|[^=!<>])=\\s*(?:${escaped}\\s*(?![\\w$.(\\[\\s]|\\s*[?.(\\[])|get\\(\\s*${escaped}\\s*\\))`)).test(text);
}

/** The patterns of each name, made once: the same names are looked for in many files. */
const aliasPatterns = new Map<string, RegExp>();
const aliasedPatterns = new Map<string, RegExp>();
const writePatterns = new Map<string, RegExp>();

function cachedPatterns<T>(cache: Map<string, T>, name: string, make: (escaped: string) => T): T {
  let patterns = cache.get(name);
  if (!patterns) cache.set(name, (patterns = make(name.replace(/\$/g, '\\$'))));
  return patterns;
}

/**
 * Whether markup text may write `name`: an assignment, `++`/`--`, a method call on it or a
 * property, a binding, or being handed to a function or a component (`$name = …`, `name.count++`,
 * `name.set(…)`, `bind:value={$name}`, `rename(name, …)`, `store={name}`).
 * A superset, to skip parsing markup that only reads.
 */
function mayWrite(markup: string, name: string, handed: ReadonlySet<string> = new Set()): boolean {
  const methods = [...handed].map((method) => method.replace(/\$/g, '\\$'));
  const pattern = cachedPatterns(writePatterns, `${name}\0${methods.join('|')}`, () => {
    const escaped = name.replace(/\$/g, '\\$');
    const n = `\\$?${escaped}`;
    const assign = '(?:[-+*/%&|^?]*=(?!=)|\\+\\+|--)';
    // …, and one of its writing methods handed on as a value (`forEach(cart.add)`, `onclick={ui.toggle}`).
    const handedOn = methods.length > 0 ? `|(?:^|[^\\w$.])${escaped}\\s*\\??\\.(?:${methods.join('|')})\\s*[,)}]` : '';
    // …, and handed to a function as an argument (`rename(user, 'x')`), which may write it;
    // not to Svelte's readers (`get(user)`, `derived(user, …)`).
    const argument = `|(?<!(?<![\\w$.])(?:get|derived))\\((?:[^(){};]*?,)?\\s*${escaped}\\s*[,)]`;
    // …, and handed to a component as a prop (`store={cart}`, `{cart}`), which may write it.
    const prop = `|=\\{\\s*${escaped}\\s*\\}|\\s\\{\\s*${escaped}\\s*\\}(?=\\s*(?:\\/?>|[\\w:|-]+\\s*=|\\{))`;
    // …, and a change to its value read with `get` (`get(cart).items.push(…)`).
    const value = `|(?:^|[^\\w$.])get\\(\\s*${escaped}\\s*\\)\\s*(?:\\??\\.[\\w$]+|\\[[^\\]]*\\])+\\s*(?:${assign}|\\()`;
    return new RegExp(`(?:^|[^\\w$.])${n}\\s*(?:${assign}|(?:\\??\\.[\\w$]+|\\[[^\\]]*\\])+\\s*(?:${assign}|\\())|(?:\\+\\+|--)\\s*${n}\\b|bind:[\\w$|]+\\s*=\\s*\\{\\s*${n}\\b${handedOn}${argument}${prop}${value}`);
  });
  return pattern.test(markup);
}

/**
 * Whether every mention of `names` in a component's markup text (scripts taken out) lies inside an
 * event attribute or a browser-only directive (`onclick={…}`, `on:click|once={…}`, `bind:`, `use:`,
 * `transition:`, `in:`, `out:`, `animate:`, `{@attach …}`), read without parsing: the text
 * counterpart of `walkMarkup`'s browser places. False as soon as anything is unclear (a mention
 * anywhere else, a tag it cannot read to its end): then Svelte's parser decides.
 */
export function mentionedOnlyInBrowserPlaces(markup: string, names: Iterable<string>, places = browserPlaces(markup) ?? null): boolean {
  if (!places) return false;
  for (const name of names) {
    for (const mention of markup.matchAll(mentionPattern(name))) {
      if (!places.some(([open, close]) => mention.index > open && mention.index < close)) return false;
    }
  }
  return true;
}

/** A mention of `name` in code or markup: the name, or the store `$name`, as a whole word (`a.name` counts). */
function mentionPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w$])\\$?${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
}

/** Whether a text mentions `name` or the store `$name`, each as a whole word (`[$\w]+`): a search, with nothing built per file. */
const mentionsName = (text: string, name: string): boolean => mentionsWord(text, name) || mentionsWord(text, `$${name}`);

/** `bits-ui`, `@skeletonlabs/skeleton-svelte/components`: a package's name, not a path or an alias. */
const PACKAGE_SPECIFIER = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/|$)/i;

const NAMESPACE_IMPORT = /\bimport\s*\*\s*as\b/;
const DYNAMIC_IMPORT = /\bimport\s*\(/;


const markupOf = (text: string): NonNullable<ComponentText['markup']> => ({ text, places: browserPlaces(text) ?? null });

const isBrowserAttribute = (name: string) => /^on[a-z]/i.test(name) || /^(?:on|bind|use|transition|in|out|animate):/.test(name);

/** The value ranges of the browser-only attributes of every start tag; undefined for a tag it cannot read to its end. */
function browserPlaces(markup: string): Array<[number, number]> | undefined {
  const places: Array<[number, number]> = [];
  const skipSpace = (i: number) => {
    while (i < markup.length && /\s/.test(markup[i]!)) i++;
    return i;
  };
  for (const tag of markup.matchAll(/<[A-Za-z][\w:.-]*/g)) {
    // A component's `on…` attributes are props, called whenever it chooses (its `on:` directives are
    // Svelte 4 events, never dispatched while rendering on the server).
    const isComponent = /^<(?:[A-Z]|[\w-]*\.|svelte:(?:component|self)\b)/.test(tag[0]);
    let i = tag.index + tag[0].length;
    for (;;) {
      i = skipSpace(i);
      if (i >= markup.length) return undefined;
      if (markup[i] === '>' || markup.startsWith('/>', i)) break;
      if (markup[i] === '{') {
        // `{...spread}`, `{shorthand}`, `{@attach …}`
        const close = closingBrace(markup, i);
        if (close === -1) return undefined;
        if (/^\{\s*@attach\s/.test(markup.slice(i, i + 16))) places.push([i, close]);
        i = close + 1;
        continue;
      }
      const name = /^[^\s=/>{}"']+/.exec(markup.slice(i, i + 200))?.[0];
      if (!name) return undefined;
      i = skipSpace(i + name.length);
      if (markup[i] !== '=') continue;
      i = skipSpace(i + 1);
      const valueStart = i;
      if (markup[i] === '{') {
        i = closingBrace(markup, i);
      } else if (markup[i] === '"' || markup[i] === "'") {
        // A quoted value may hold expressions (`class="a {b}"`), whose braces may hold quotes.
        const quote = markup[i];
        for (i++; i < markup.length && markup[i] !== quote; i++) if (markup[i] === '{') i = closingBrace(markup, i);
      } else {
        while (i < markup.length && !/[\s>]/.test(markup[i]!)) i++;
        i--;
      }
      if (i < 0 || i >= markup.length) return undefined;
      if (isBrowserAttribute(name) && !(isComponent && /^on[a-z]/i.test(name))) places.push([valueStart, i]);
      i++;
    }
  }
  return places;
}

/** Index of the `}` closing the `{` at `open`, past strings, template literals and comments; -1 when unclear. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      if (--depth === 0) return i;
    } else if (c === '"' || c === "'") i = stringEnd(text, i);
    else if (c === '`') i = templateEnd(text, i);
    else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i);
    else if (c === '/' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) + 1;
    if (i < 0) return -1;
  }
  return -1;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[start]) return i;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

function templateEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '`') return i;
    else if (text[i] === '$' && text[i + 1] === '{') {
      i = closingBrace(text, i + 1);
      if (i < 0) return -1;
    }
  }
  return -1;
}

function classOf(writes: StateWrite[]): LeakClass {
  if (writes.some((write) => write.runs === 'server')) return 'leaks';
  return writes.length > 0 ? 'latent' : 'constant';
}

const samePlace = (a: SourceLocation, b: SourceLocation) => a.file === b.file && a.line === b.line && a.column === b.column;

const isFunction = (node: Node): boolean =>
  node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'ObjectMethod' || node.type === 'ClassMethod' || node.type === 'ClassPrivateMethod' || (node.type as string) === 'Property' && (node as unknown as { method: boolean }).method;

/** Wrappers that leave an expression what it is: `x!`, `(x)`, `x as T`, `x?.y`. */
const TRANSPARENT = new Set(['TSNonNullExpression', 'ParenthesizedExpression', 'TSAsExpression', 'TSSatisfiesExpression', 'TSTypeAssertion', 'ChainExpression']);

/** A function of the app and the module it is declared in. */
interface FactoryCode {
  file: ParsedFile;
  script: Script;
  syntax: ModuleSyntax;
  fn: Node;
}

/** A write a store's own code makes; `in` when that code is another module's (an imported factory). */
interface OwnWrite {
  node: Node;
  runs: 'subscribed' | 'startup' | 'browser';
  in?: { file: ParsedFile; script: Script };
}

/**
 * The writes a store's own code makes, which no use of it shows: its start function
 * (`readable(x, (set) => …)`, run when it gets its first subscriber) and the factory it is made by
 * (`createClock()`, of its module or imported: its code outside the methods it returns runs once,
 * when the module is imported, callbacks it registers included). Writes under a browser-only
 * place run in the browser.
 */
function ownWrites(syntax: ModuleSyntax, init: Node | undefined, script: Script, importedFunction: (local: string) => FactoryCode | undefined): OwnWrite[] {
  if (init?.type !== 'CallExpression') return [];
  const found = startFunctionWrites(init, [], svelteCreators(syntax));
  const callee = init.callee.type === 'Identifier' ? init.callee.name : undefined;
  const own = callee ? declaredValue(script, callee) : undefined;
  if (own && isFunction(own)) return [...found, ...factoryWrites(own, svelteCreators(syntax))];
  const imported = callee ? importedFunction(callee) : undefined;
  if (!imported) return found;
  const at = { file: imported.file, script: imported.script };
  return [...found, ...factoryWrites(imported.fn, svelteCreators(imported.syntax)).map((write) => ({ ...write, in: at }))];
}

/** What a top-level declaration of a script gives `name`: a variable's value, or the function declared. */
function declaredValue(script: Script, name: string): Node | undefined {
  for (const statement of script.ast.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) if (declarator.id.type === 'Identifier' && declarator.id.name === name && declarator.init) return unwrapTypeCast(declarator.init);
    }
    if (declaration?.type === 'FunctionDeclaration' && declaration.id?.name === name) return declaration;
  }
  return undefined;
}

/** What makes the state `local`: its declaration's value, or the expression of `export default writable(…)`. */
function storeValue(script: Script, local: string, isDefaultExpression: boolean): Node | undefined {
  const defaultExport = isDefaultExpression ? script.ast.program.body.find((statement) => statement.type === 'ExportDefaultDeclaration') : undefined;
  return defaultExport ? unwrapTypeCast(defaultExport.declaration) : declaredValue(script, local);
}

/**
 * The module variables a store's start function keeps its `set` or `update` in (`let update;
 * readable([], (_, u) => { update = u })`): calling them writes the store.
 */
function keptSetters(script: Script, init: Node | undefined, creators: SvelteCreators): string[] {
  if (init?.type !== 'CallExpression' || !isWritableOrReadable(init.callee, creators)) return [];
  const start = init.arguments[1];
  if (!start || !isFunction(start)) return [];
  const setters = new Set((start as unknown as { params: Node[] }).params.slice(0, 2).flatMap((param) => (param.type === 'Identifier' ? [param.name] : [])));
  const moduleNames = new Set(script.ast.program.body.flatMap((statement) => topLevelBindings(statement, [statement])));
  const kept = new Set<string>();
  walk(start, (node) => {
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && node.right.type === 'Identifier' && setters.has(node.right.name) && moduleNames.has(node.left.name)) kept.add(node.left.name);
  });
  return [...kept];
}

/**
 * The exports of a module that are object literals holding `name` as a member (`export default {
 * subscribe, set }`, `export const ui = { subscribe, set: save }`), with the keys it is held under.
 */
function objectsHolding(script: Script, name: string, syntax: ModuleSyntax): Array<{ exported: string; keys: Set<string> }> {
  const keysIn = (node: Node | null | undefined): Set<string> => {
    const keys = new Set<string>();
    const object = node && unwrapTypeCast(node);
    if (object?.type !== 'ObjectExpression') return keys;
    for (const property of object.properties) {
      if (property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' && property.value.type === 'Identifier' && property.value.name === name) keys.add(property.key.name);
    }
    return keys;
  };
  const found: Array<{ exported: string; keys: Set<string> }> = [];
  for (const statement of script.ast.program.body) {
    if (statement.type === 'ExportDefaultDeclaration') {
      const keys = keysIn(statement.declaration as Node);
      if (keys.size > 0) found.push({ exported: 'default', keys });
    }
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      const keys = declarator.id.type === 'Identifier' ? keysIn(declarator.init) : new Set<string>();
      if (keys.size === 0) continue;
      const local = (declarator.id as Node & { name: string }).name;
      for (const [exported, candidate] of syntax.localExports) if (candidate === local) found.push({ exported, keys });
    }
  }
  return found;
}

/**
 * For a name destructured from a store creator's call at the top level (`const { subscribe, set } =
 * writable(0)`): the locals of that pattern bound to its `set` and `update`, which write the store.
 */
function destructuredSetters(script: Script, local: string, creators: SvelteCreators): string[] {
  for (const statement of script.ast.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type !== 'ObjectPattern' || !patternNames(declarator.id).includes(local)) continue;
      const init = declarator.init && unwrapTypeCast(declarator.init);
      if (init?.type !== 'CallExpression' || !svelteCreatorNamed(init.callee, creators)) return [];
      return declarator.id.properties.flatMap((property) =>
        property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' && (property.key.name === 'set' || property.key.name === 'update') && property.value.type === 'Identifier' ? [property.value.name] : [],
      );
    }
  }
  return [];
}

/** The `set`/`update` calls of a start function (`readable(x, (set) => …)`): they run when the store gets its first subscriber. */
function startFunctionWrites(call: Node, above: Node[], creators: SvelteCreators): OwnWrite[] {
  if (call.type !== 'CallExpression' || !isWritableOrReadable(call.callee, creators)) return [];
  const start = call.arguments[1];
  if (!start || !isFunction(start)) return [];
  const setters = new Set((start as unknown as { params: Node[] }).params.slice(0, 2).flatMap((param) => (param.type === 'Identifier' ? [param.name] : [])));
  // `if (!browser) return set(false)`: a value that no request decides is the same for every request.
  const sameEveryTime = (node: Node, path: Node[]) => {
    const call = path.at(-1);
    if (call?.type !== 'CallExpression' || call.callee !== node || call.arguments.length > 1 || !isLiteralValue(call.arguments[0])) return false;
    return !path.slice(path.indexOf(start) + 1).some(isFunction) && decidedByEnvironmentOnly(start);
  };
  const found: OwnWrite[] = [];
  walkWithPath(start, (node, path) => {
    if (node.type !== 'Identifier' || !setters.has(node.name) || !isCalledOrHanded(node, path.at(-1)) || sameEveryTime(node, path)) return;
    found.push({ node, runs: underBrowserOnlyPlace([...above, call, ...path, node]) ? 'browser' : 'subscribed' });
  });
  return found;
}

/** `false`, `0`, `'dark'`, `null`, `undefined`, nothing: a value with nothing of a request in it. */
function isLiteralValue(node: Node | undefined): boolean {
  if (!node) return true;
  if (node.type === 'UnaryExpression' && node.operator === '-') return node.argument.type === 'NumericLiteral';
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0;
  return node.type === 'BooleanLiteral' || node.type === 'NumericLiteral' || node.type === 'StringLiteral' || node.type === 'NullLiteral' || (node.type === 'Identifier' && node.name === 'undefined');
}

/** Whether the only branches of a function's own code (its nested functions aside) are `browser` guards: what it does, it does for every request. */
function decidedByEnvironmentOnly(fn: Node): boolean {
  let decided = true;
  walkWithPath((fn as unknown as { body: Node }).body, (node, path) => {
    if (!decided || path.some(isFunction) || isFunction(node)) return;
    if (node.type === 'IfStatement' || node.type === 'ConditionalExpression') decided = guardsBrowser(node.test) || guardsServer(node.test);
    else if (node.type === 'LogicalExpression' || node.type === 'SwitchStatement' || node.type === 'TryStatement' || /^(?:For|ForIn|ForOf|While|DoWhile)Statement$/.test(node.type)) decided = false;
  });
  return decided;
}

/**
 * The writes a store factory makes to the state it binds (`const { subscribe, set } = writable(0)`,
 * `let count = $state(0)`) outside the methods it returns, which write where they are called:
 * run when the factory runs (at startup, for module-level state), or by what it sets up then.
 * Stores it makes with a start function write when subscribed.
 */
function factoryWrites(factory: Node, creators: SvelteCreators): OwnWrite[] {
  const factoryBody = (factory as unknown as { body: Node }).body;
  const inner = new Set<string>();
  const innerSetters = new Set<string>();
  if (factoryBody.type === 'BlockStatement') {
    for (const statement of factoryBody.body) {
      if (statement.type !== 'VariableDeclaration') continue;
      for (const declarator of statement.declarations) {
        const value = declarator.init && unwrapTypeCast(declarator.init);
        if (value?.type !== 'CallExpression' || !(isWritableOrReadable(value.callee, creators) || calleeName(value.callee) === '$state' || calleeName(value.callee) === '$state.raw')) continue;
        if (declarator.id.type === 'Identifier') inner.add(declarator.id.name);
        else if (declarator.id.type === 'ObjectPattern') {
          for (const property of declarator.id.properties) {
            if (property.type === 'ObjectProperty' && property.key.type === 'Identifier' && (property.key.name === 'set' || property.key.name === 'update') && property.value.type === 'Identifier') innerSetters.add(property.value.name);
          }
        }
      }
    }
  }
  const returned = new Set<Node>(factoryBody.type === 'BlockStatement' ? factoryBody.body.flatMap((statement) => (statement.type === 'ReturnStatement' && statement.argument ? [statement.argument] : [])) : [factoryBody]);
  const named = namedFunctionRuns(factoryBody, returned);
  const found: OwnWrite[] = [];
  walkWithPath(factory, (node, path) => {
    if (node.type === 'CallExpression') found.push(...startFunctionWrites(node, path, creators));
    if (node.type !== 'Identifier' || !isReferenceTo(node, path.at(-1))) return;
    const writes = (innerSetters.has(node.name) && isCalledOrHanded(node, path.at(-1))) || (inner.has(node.name) && isWrite({ node, path }));
    if (!writes) return;
    const chain = [...path, node];
    // A method the factory returns writes where it is called: its uses show that.
    const outerFunction = chain.slice(chain.indexOf(factoryBody) + 1).find(isFunction);
    if (outerFunction && chain.slice(0, chain.indexOf(outerFunction)).some((ancestor) => returned.has(ancestor))) return;
    const runs = outerFunction ? named.get(outerFunction) : undefined;
    if (runs === 'method') return;
    found.push({ node, runs: runs === 'browser' || underBrowserOnlyPlace(chain) ? 'browser' : 'startup' });
  });
  return found;
}

/** `writable(…)` or `readable(…)`: the stores a start function may set. */
const isWritableOrReadable = (callee: Node, creators: SvelteCreators): boolean => ['writable', 'readable'].includes(svelteCreatorNamed(callee, creators) ?? '');

/** `set(v)`, or `set` handed to a call (`.then(set)`). */
function isCalledOrHanded(node: Node, parent: Node | undefined): boolean {
  return (parent?.type === 'CallExpression' || parent?.type === 'OptionalCallExpression') && (parent.callee === node || parent.arguments.includes(node as never));
}

/** An identifier that names a binding, not a property key (`a.set`, `{ set: … }`). */
function isReferenceTo(node: Node, parent: Node | undefined): boolean {
  if (!parent) return true;
  if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.property === node) return parent.computed;
  if ((parent.type === 'ObjectProperty' || parent.type === 'ObjectMethod') && parent.key === node) return parent.computed;
  return !(parent.type === 'VariableDeclarator' && parent.id === node);
}

/**
 * Where the functions a factory declares by name (`function increment() {…}`, `const reset = () => …`)
 * run, from where they are mentioned: `method` when only a method it returns (or another such
 * function) uses them, which write where they are called; `browser` when every other mention is
 * under a browser-only place (`if (browser) autoLogin()`); else `startup`, with the factory
 * (`source.on('change', reset)`, a call in its own code).
 */
function namedFunctionRuns(factoryBody: Node, returned: Set<Node>): Map<Node, 'method' | 'browser' | 'startup'> {
  const named = new Map<string, Node>();
  if (factoryBody.type === 'BlockStatement') {
    for (const statement of factoryBody.body) {
      if (statement.type === 'FunctionDeclaration' && statement.id) named.set(statement.id.name, statement);
      if (statement.type === 'VariableDeclaration') {
        for (const declarator of statement.declarations) if (declarator.id.type === 'Identifier' && declarator.init && isFunction(declarator.init)) named.set(declarator.id.name, declarator.init);
      }
    }
  }
  // Each mention outside what is returned: in the browser, with the factory, or where another named function runs.
  const mentions = new Map<Node, Array<Node | 'browser' | 'startup'>>([...named.values()].map((fn) => [fn, []]));
  walkWithPath(factoryBody, (node, path) => {
    const fn = node.type === 'Identifier' ? named.get(node.name) : undefined;
    if (!fn || !isReferenceTo(node, path.at(-1)) || path.at(-1) === fn || path.some((ancestor) => returned.has(ancestor))) return;
    const chain = [...path, node];
    const outer = path.slice(path.indexOf(factoryBody) + 1).find(isFunction);
    mentions.get(fn)!.push(underBrowserOnlyPlace(chain) ? 'browser' : outer && mentions.has(outer) ? outer : 'startup');
  });
  const rank = { method: 0, browser: 1, startup: 2 } as const;
  const runs = new Map<Node, 'method' | 'browser' | 'startup'>([...named.values()].map((fn) => [fn, 'method']));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [fn, where] of mentions) {
      for (const mention of where) {
        const place = mention === 'browser' || mention === 'startup' ? mention : runs.get(mention)!;
        if (rank[place] > rank[runs.get(fn)!]) {
          runs.set(fn, place);
          grew = true;
        }
      }
    }
  }
  return runs;
}

function underBrowserOnlyPlace(chain: Node[]): boolean {
  for (let i = chain.length - 1; i > 0; i--) if (isBrowserOnlyPlace(chain[i - 1]!, chain[i]!)) return true;
  return false;
}

/**
 * Whether a reference writes what it names: assigns it or a property of it (`$cart = …`,
 * `counter.count++`, `delete map[k]`), calls a method of it that is not known to only read
 * (`cart.set()`, `cart.add()`; for an instance of a class of its module, a method that changes
 * `this`), calls a mutating method of a property (`state.items.push()`), or is bound
 * (`bind:value={$name}`).
 */
/**
 * `handedMethods`: the state's members known to be functions that write it, which write where
 * they are handed on as a value (`items.forEach(cart.add)`); a member not known to be one (a
 * property read, `src={user.avatar}`) is not a write when handed on.
 */
function isWrite({ node, path }: Pick<Reference, 'node' | 'path'>, classMethods?: ReadonlySet<string>, handedMethods?: ReadonlySet<string>): boolean {
  // `get(cart).items.push(…)`, `get(user).name = …`: a change to the store's value, as through `$cart`.
  let outer = path.length - 1;
  while (outer >= 0 && TRANSPARENT.has(path[outer]!.type)) outer--;
  if (isSvelteGet(path[outer], outer + 1 < path.length ? path[outer + 1]! : node)) return isWrite({ node: path[outer]!, path: path.slice(0, outer) });
  let current: Node = node;
  let method: string | undefined;
  let depth = 0;
  let i = path.length - 1;
  for (; i >= 0; i--) {
    const parent = path[i]!;
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === current) {
      method = !parent.computed && parent.property.type === 'Identifier' ? parent.property.name : undefined;
      depth++;
      current = parent;
    } else if (TRANSPARENT.has(parent.type)) {
      current = parent;
    } else {
      break;
    }
  }
  const parent = path[i] as (Node & Record<string, unknown>) | undefined;
  if (!parent) return false;
  switch (parent.type as string) {
    case 'AssignmentExpression':
      return parent.left === current;
    case 'UpdateExpression':
      return true;
    case 'UnaryExpression':
      return parent.operator === 'delete';
    case 'CallExpression':
    case 'OptionalCallExpression':
    case 'NewExpression': {
      if (depth === 0) return false;
      // `{@render $modal.content()}` renders a snippet the value holds: a read.
      if (parent.callee === current && rendered(path, i)) return false;
      // (`$cart.items` is the store's value: handing its member on writes nothing.)
      const handedOn = depth === 1 && !isStoreValue(node) && handedMethods?.has(method ?? '') === true;
      // A store's method handed to a call (`items.forEach(cart.add)`) runs where that call runs it.
      if (parent.callee !== current) return handedOn && (parent.arguments as Node[]).includes(current);
      if (depth > 1) return MUTATING_METHODS.has(method ?? '');
      return classMethods ? classMethods.has(method ?? '') : !READ_ONLY_METHODS.has(method ?? '');
    }
    case 'ExpressionTag':
    case 'OnDirective':
      // A store's method as an attribute's value (`onclick={ui.toggle}`, `on:click={ui.toggle}`, `action={cart.reset}`).
      if ((parent.type as string) === 'ExpressionTag' && (path[i - 1]?.type as string) !== 'Attribute') return false;
      return depth === 1 && !isStoreValue(node) && handedMethods?.has(method ?? '') === true && parent.expression === current;
    case 'BindDirective':
      return parent.expression === current;
    case 'ArrayPattern':
    case 'RestElement':
      return true;
    case 'ObjectProperty':
    case 'Property':
      return parent.value === current && path[i - 1]?.type === 'ObjectPattern';
    case 'ForOfStatement':
    case 'ForInStatement':
      return parent.left === current;
    default:
      return false;
  }
}

/**
 * Whether `call` is `get(node)`: Svelte's `get` reading a store's value (a function of the app
 * named `get` is read the same way, which may count a write too many, never one too few).
 */
const isSvelteGet = (call: Node | undefined, node: Node): call is Node =>
  call?.type === 'CallExpression' && call.callee.type === 'Identifier' && call.callee.name === 'get' && call.arguments[0] === node;

/** Whether the call at `path[at]` is what a `{@render …}` tag renders. */
function rendered(path: Node[], at: number): boolean {
  let i = at - 1;
  while (i >= 0 && TRANSPARENT.has(path[i]!.type)) i--;
  return (path[i]?.type as string) === 'RenderTag';
}

const isStoreValue = (node: Node) => (node as Node & { name?: string }).name?.startsWith('$') === true;

/**
 * The members of `local`'s state that are functions writing it, as its declaration shows: the
 * changing methods of a class instance; `set` and `update` of a store made by a call; the
 * function-valued members of an object literal it holds, or that its factory returns, one declared
 * in the module or imported from another of the app (`createCart()` returning
 * `{ subscribe, add: (item) => update(…) }`).
 */
function functionMembers(script: Script, local: string, classMethods: ReadonlySet<string> | undefined, importedFunction: (name: string) => Node | undefined): Set<string> {
  if (classMethods) return new Set(classMethods);
  const found = new Set<string>();
  const addFunctions = (object: Node) => {
    if (object.type !== 'ObjectExpression') return;
    for (const property of object.properties) {
      if (property.type === 'SpreadElement' || property.computed) continue;
      const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined;
      if (!key) continue;
      const isFunctionValue = property.type === 'ObjectMethod' ? property.kind === 'method' : isFunction(property.value) || (property.shorthand && (key === 'set' || key === 'update'));
      if (isFunctionValue && !READ_ONLY_METHODS.has(key)) found.add(key);
    }
  };
  const init = declaredValue(script, local);
  if (!init) return found;
  if (init.type === 'ObjectExpression') addFunctions(init);
  if (init.type === 'CallExpression') {
    found.add('set').add('update');
    const factory = init.callee.type === 'Identifier' ? (declaredValue(script, init.callee.name) ?? importedFunction(init.callee.name)) : undefined;
    const factoryBody = factory && (factory.type === 'FunctionDeclaration' || factory.type === 'FunctionExpression' || factory.type === 'ArrowFunctionExpression') ? factory.body : undefined;
    if (factoryBody?.type === 'BlockStatement') {
      for (const statement of factoryBody.body) if (statement.type === 'ReturnStatement' && statement.argument) addFunctions(statement.argument);
    } else if (factoryBody) {
      addFunctions(factoryBody.type === 'ParenthesizedExpression' ? factoryBody.expression : factoryBody);
    }
  }
  return found;
}

/**
 * For state that is an instance of a class declared in its module (`new Session()`), the methods
 * that change the instance: they assign or delete a property of `this`, call a mutating method on
 * one (`this.items.push()`), or call another such method. Undefined when the class is not known
 * or inherits methods, which then all count as writes.
 */
function mutatingMethods(script: Script, local: string): Set<string> | undefined {
  const body = script.ast.program.body;
  let className: string | undefined;
  for (const statement of body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      let init: Node | null | undefined = declarator.init;
      while (init && TRANSPARENT.has(init.type)) init = (init as unknown as { expression: Node }).expression;
      if (declarator.id.type === 'Identifier' && declarator.id.name === local && init?.type === 'NewExpression' && init.callee.type === 'Identifier') className = init.callee.name;
    }
  }
  const classNode = className && body.map((statement) => (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement)).find((node) => node?.type === 'ClassDeclaration' && node.id?.name === className);
  if (!classNode || classNode.type !== 'ClassDeclaration' || classNode.superClass) return undefined;
  const methods = new Map<string, Node>();
  for (const member of classNode.body.body) {
    // (`#bump()` too: a public method calling a private one that writes writes.)
    const key = memberName(member);
    if (!key) continue;
    if ((member.type === 'ClassMethod' || member.type === 'ClassPrivateMethod') && member.kind === 'method') methods.set(key, member.body);
    else if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') && member.value && (member.value.type === 'ArrowFunctionExpression' || member.value.type === 'FunctionExpression')) methods.set(key, member.value.body);
  }
  const mutating = new Set<string>();
  const calls = new Map<string, Set<string>>();
  for (const [name, methodBody] of methods) {
    const called = new Set<string>();
    calls.set(name, called);
    walkWithPath(methodBody, (node, path) => {
      if (node.type !== 'ThisExpression') return;
      if (isWrite({ node, path }, new Set())) mutating.add(name);
      const parent = path.at(-1);
      const grandparent = path.at(-2);
      if (parent?.type === 'MemberExpression' && parent.object === node && !parent.computed && grandparent?.type === 'CallExpression' && grandparent.callee === parent) {
        if (parent.property.type === 'Identifier') called.add(parent.property.name);
        else if (parent.property.type === 'PrivateName') called.add(`#${parent.property.id.name}`);
      }
    });
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, called] of calls) {
      if (!mutating.has(name) && [...called].some((other) => mutating.has(other))) {
        mutating.add(name);
        grew = true;
      }
    }
  }
  return mutating;
}

/** Whether `child`, directly under `parent`, only runs in the browser. */
function isBrowserOnlyPlace(parent: Node, child: Node): boolean {
  if ((parent.type === 'CallExpression' || parent.type === 'OptionalCallExpression') && parent.arguments.includes(child as never)) {
    return BROWSER_ONLY_CALLS.has(calleeName(parent.callee));
  }
  const node = parent as Node & Record<string, Node | undefined>;
  switch (parent.type as string) {
    case 'IfStatement':
    case 'ConditionalExpression':
    case 'IfBlock':
      if (node.consequent === child) return guardsBrowser(node.test!);
      if (node.alternate === child) return guardsServer(node.test!);
      return false;
    case 'LogicalExpression':
      if (node.right !== child) return false;
      return (node as unknown as { operator: string }).operator === '&&' ? guardsBrowser(node.left!) : (node as unknown as { operator: string }).operator === '||' && guardsServer(node.left!);
    case 'BlockStatement':
    case 'Program':
    case 'Fragment': {
      // `if (!browser) return;` above it in the same block.
      const body = ((node.body ?? node.nodes) as unknown as Node[] | undefined) ?? [];
      const position = body.indexOf(child);
      return body.slice(0, Math.max(position, 0)).some((statement) => statement.type === 'IfStatement' && guardsServer(statement.test) && exits(statement.consequent));
    }
    default:
      return false;
  }
}

/** `browser`, `BROWSER`, `typeof window !== 'undefined'`, `!building && browser`… */
function guardsBrowser(test: Node): boolean {
  if (test.type === 'Identifier') return test.name === 'browser' || test.name === 'BROWSER';
  if (test.type === 'LogicalExpression' && test.operator === '&&') return guardsBrowser(test.left) || guardsBrowser(test.right);
  if (test.type === 'UnaryExpression' && test.operator === '!') return guardsServer(test.argument);
  if (test.type === 'BinaryExpression' && (test.operator === '!==' || test.operator === '!=')) return isTypeofGlobal(test.left) || isTypeofGlobal(test.right);
  return false;
}

function guardsServer(test: Node): boolean {
  if (test.type === 'UnaryExpression' && test.operator === '!') return guardsBrowser(test.argument);
  if (test.type === 'LogicalExpression' && test.operator === '||') return guardsServer(test.left) || guardsServer(test.right);
  if (test.type === 'BinaryExpression' && (test.operator === '===' || test.operator === '==')) return isTypeofGlobal(test.left) || isTypeofGlobal(test.right);
  return false;
}

const isTypeofGlobal = (node: Node): boolean => node.type === 'UnaryExpression' && node.operator === 'typeof' && node.argument.type === 'Identifier' && ['window', 'document', 'localStorage', 'navigator'].includes(node.argument.name);

const exits = (node: Node): boolean =>
  node.type === 'ReturnStatement' || node.type === 'ThrowStatement' || (node.type === 'BlockStatement' && node.body.length > 0 && exits(node.body.at(-1)!));

function calleeName(callee: Node): string {
  if (callee.type === 'Identifier') return callee.name;
  if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && callee.property.type === 'Identifier') {
    const object = callee.object.type === 'Identifier' ? callee.object.name : '';
    return object.startsWith('$') ? `${object}.${callee.property.name}` : callee.property.name;
  }
  return '';
}

/**
 * Whether the outermost function around the last node of `chain` is what a top-level declaration
 * holds (`function f`, `const f = () => …`, a handler in an object), not a callback handed to a
 * call made while the declaration runs (`const stop = store.subscribe(() => …)`).
 */
function isHeldByDeclaration(chain: Node[]): boolean {
  const outermost = chain.findIndex((node, i) => i > 0 && isFunction(node));
  for (let i = outermost - 1; i > 1; i--) {
    const node = chain[i]!;
    if (node.type === 'CallExpression' || node.type === 'NewExpression' || node.type === 'OptionalCallExpression' || node.type === 'TaggedTemplateExpression') return false;
  }
  return true;
}

/**
 * The method of an object literal a top-level `const` holds that the innermost node of `chain`
 * sits in (`sync` for code in `const polling = { sync() {…} }`), when that is what it is.
 */
function objectMember(chain: Node[], locals: string[]): string | undefined {
  if (locals.length !== 1) return undefined;
  const at = chain.findIndex((node, i) => node.type === 'ObjectExpression' && chain[i - 1]?.type === 'VariableDeclarator' && (chain[i - 1] as Node & { id: Node }).id.type === 'Identifier' && ((chain[i - 1] as Node & { id: Node & { name?: string } }).id.name === locals[0]));
  const property = at === -1 ? undefined : chain[at + 1];
  if (!property || (property.type !== 'ObjectMethod' && property.type !== 'ObjectProperty') || property.computed) return undefined;
  if (property.type === 'ObjectProperty' && !isFunction(property.value)) return undefined;
  return property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined;
}

/** A class member's name: `run`, `'run'`, or `#run` for a private one; undefined when computed. */
function memberName(member: Node): string | undefined {
  if (!('key' in member) || ('computed' in member && member.computed)) return undefined;
  const key = member.key as Node;
  return key.type === 'Identifier' ? key.name : key.type === 'StringLiteral' ? key.value : key.type === 'PrivateName' ? `#${key.id.name}` : undefined;
}

const METHOD_MEMBERS = new Set(['ClassMethod', 'ClassPrivateMethod', 'ClassProperty', 'ClassPrivateProperty', 'ClassAccessorProperty']);

/** The top-level class a script declares as `name`. */
function topLevelClass(script: Script, name: string): Extract<Node, { type: 'ClassDeclaration' }> | undefined {
  for (const statement of script.ast.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (declaration?.type === 'ClassDeclaration' && declaration.id?.name === name) return declaration;
  }
  return undefined;
}

/** The members of a class's instances (not static ones, not the constructor). */
function instanceMembers(classNode: Extract<Node, { type: 'ClassDeclaration' }>): Node[] {
  return classNode.body.body.filter((member) => METHOD_MEMBERS.has(member.type) && !('static' in member && member.static) && !(member.type === 'ClassMethod' && member.kind === 'constructor'));
}

/**
 * For code in a method of a top-level class that the module makes exactly one instance of at its
 * top level (`export const session = new Session()`): that instance and the method.
 */
function instanceMethod(script: Script, chain: Node[]): { instance: string; member: string } | undefined {
  const statement = chain[1];
  const declaration = statement?.type === 'ExportNamedDeclaration' || statement?.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
  const classNode = declaration?.type === 'ClassDeclaration' ? declaration : undefined;
  if (!classNode?.id) return undefined;
  const member = chain.find((node) => classNode.body.body.includes(node as never));
  if (!member || !instanceMembers(classNode).includes(member)) return undefined;
  // A field's value runs when the instance is made; a method or a field holding a function, when called.
  if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty' || member.type === 'ClassAccessorProperty') && !(member.value && isFunction(member.value) && chain.includes(member.value))) return undefined;
  const name = memberName(member);
  const instances: string[] = [];
  for (const top of script.ast.program.body) {
    const declaration = top.type === 'ExportNamedDeclaration' ? top.declaration : top;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      const init = declarator.init && unwrapTypeCast(declarator.init);
      if (declarator.id.type === 'Identifier' && init?.type === 'NewExpression' && init.callee.type === 'Identifier' && init.callee.name === classNode.id.name) instances.push(declarator.id.name);
    }
  }
  return name !== undefined && instances.length === 1 ? { instance: instances[0]!, member: name } : undefined;
}

/**
 * The members of the object `local` holds through which `member` may run: itself, and every member
 * that names one of those (`this.sync()`, `polling.sync`) or reaches members by a computed key.
 */
function membersReaching(script: Script, local: string, member: string): Set<string> {
  const properties: Node[] = [];
  for (const statement of script.ast.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type !== 'Identifier' || declarator.id.name !== local) continue;
      const init = declarator.init && unwrapTypeCast(declarator.init);
      if (init?.type === 'ObjectExpression') properties.push(...init.properties);
      // An instance of a class of the module (`new Session()`): its members.
      const classNode = init?.type === 'NewExpression' && init.callee.type === 'Identifier' ? topLevelClass(script, init.callee.name) : undefined;
      if (classNode) properties.push(...instanceMembers(classNode));
    }
  }
  const nameOf = (property: Node) => (property.type === 'ObjectMethod' || property.type === 'ObjectProperty' || METHOD_MEMBERS.has(property.type) ? memberName(property) : undefined);
  const reaching = new Set([member]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const property of properties) {
      const name = nameOf(property);
      // A spread or computed member may be anything: every use of the object may reach the method.
      if (name === undefined) return new Set(['*']);
      if (reaching.has(name)) continue;
      // `this` or the object itself used other than to read a member by name (`const self = this`,
      // `run(this)`) may reach anything.
      let names = false;
      let selves = 0;
      let memberReads = 0;
      walk(property, (node) => {
        if (node.type === 'ThisExpression' || (node.type === 'Identifier' && node.name === local)) selves++;
        if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && (node.object.type === 'ThisExpression' || (node.object.type === 'Identifier' && node.object.name === local))) {
          memberReads++;
          const read = node.computed ? undefined : node.property.type === 'Identifier' ? node.property.name : node.property.type === 'PrivateName' ? `#${node.property.id.name}` : undefined;
          if (read === undefined || reaching.has(read)) names = true;
        }
      });
      if (selves > memberReads) names = true;
      if (names) {
        reaching.add(name);
        grew = true;
      }
    }
  }
  return reaching;
}

/** Whether a use of an object may run one of `reaching` members: any use but reading another member by name. */
function mayReachMember(reference: Reference, reaching: Set<string>): boolean {
  if (reaching.has('*')) return true;
  // `$mode` reads the store: of its members Svelte calls only `subscribe`.
  if (isStoreValue(reference.node)) return reaching.has('subscribe');
  const parent = reference.path.at(-1) as (Node & { object?: Node; property?: Node & { name?: string }; computed?: boolean }) | undefined;
  const isMemberOf = (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && parent.object === reference.node;
  if (!isMemberOf || parent.computed || parent.property?.type !== 'Identifier') return true;
  return reaching.has(parent.property.name!);
}

/** A use of a store that only reads it: its value (`$orders`), or a read-only method (`orders.subscribe(…)`). */
function onlyReadsStore(reference: Reference): boolean {
  if (isStoreValue(reference.node)) return true;
  const parent = reference.path.at(-1);
  return (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && parent.object === reference.node && !parent.computed && parent.property.type === 'Identifier' && READ_ONLY_METHODS.has(parent.property.name);
}

/**
 * Whether a factory calls what its parameters hand it (`options.onCreate(item)`, `callback()`)
 * only inside functions it does not run itself: not in its own code, not in a `subscribe` it
 * returns, not in a store's start function. Then only the methods it returns run them.
 */
function callsParametersOnlyInMethods(factory: Node): boolean {
  const params = new Set((factory as unknown as { params: Node[] }).params.flatMap((param) => patternNames(param)));
  const body = (factory as unknown as { body: Node }).body;
  let onlyInMethods = true;
  walkWithPath(body, (node, path) => {
    if (!onlyInMethods || (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression')) return;
    let callee: Node = node.callee;
    while (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') callee = callee.object;
    if (callee.type !== 'Identifier' || !params.has(callee.name)) return;
    const functions = path.filter(isFunction);
    const inSubscribe = path.some((ancestor) => (ancestor.type === 'ObjectProperty' || ancestor.type === 'ObjectMethod') && !ancestor.computed && ancestor.key.type === 'Identifier' && ancestor.key.name === 'subscribe');
    const inStart = path.some((ancestor, i) => ancestor.type === 'CallExpression' && ancestor.arguments.indexOf(path[i + 1] as never) >= 1 && isFunction(path[i + 1]!));
    if (functions.length === 0 || inSubscribe || inStart) onlyInMethods = false;
  });
  return onlyInMethods;
}

/**
 * Whether a reference to a function only tests its value (`!refresh`, `typeof save`, `save ? … : …`,
 * the left of `save && …`, `{#if save}`, `save === undefined`): it neither calls the function nor
 * hands it on, so where it sits says nothing of where the function runs.
 */
function onlyTestsIt(reference: Reference): boolean {
  const parent = reference.path.at(-1) as (Node & { operator?: string; test?: Node; left?: Node }) | undefined;
  switch (parent?.type as string | undefined) {
    case 'UnaryExpression':
      return parent!.operator === '!' || parent!.operator === 'typeof' || parent!.operator === 'void';
    case 'BinaryExpression':
      return ['===', '!==', '==', '!='].includes(parent!.operator!);
    case 'LogicalExpression':
      return parent!.operator === '&&' && parent!.left === reference.node;
    case 'ConditionalExpression':
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'IfBlock':
      return parent!.test === reference.node;
    default:
      return false;
  }
}

/** The local a component's prop is read under: `export let click` (Svelte 4), `let { click: onClick } = $props()` (runes). */
function propLocal(instance: Script, prop: string): string | undefined {
  for (const statement of instance.ast.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (statement.type === 'ExportNamedDeclaration' && declarator.id.type === 'Identifier' && declarator.id.name === prop) return prop;
      const init = declarator.init;
      const isProps = init?.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === '$props';
      if (!isProps || declarator.id.type !== 'ObjectPattern') continue;
      for (const property of declarator.id.properties) {
        if (property.type !== 'ObjectProperty' || property.computed) continue;
        const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined;
        if (key !== prop) continue;
        const value = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
        return value.type === 'Identifier' ? value.name : undefined;
      }
    }
  }
  return undefined;
}

/** The local holding the rest of a component's props: `rest` in `let { a, ...rest } = $props()`. */
function restPropsLocal(instance: Script): string | undefined {
  for (const statement of instance.ast.program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const declarator of statement.declarations) {
      const init = declarator.init;
      const isProps = init?.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === '$props';
      if (!isProps || declarator.id.type !== 'ObjectPattern') continue;
      const rest = declarator.id.properties.find((property) => property.type === 'RestElement');
      return rest?.type === 'RestElement' && rest.argument.type === 'Identifier' ? rest.argument.name : undefined;
    }
  }
  return undefined;
}

/** Markup nodes that are DOM elements: an `on…` attribute spread onto one is an event handler. */
const ELEMENT_NODES = new Set(['RegularElement', 'SvelteElement']);

/**
 * For a prop's value chain (`ExpressionTag`, `ObjectExpression`, property, …): the member of the
 * object literal whose value is the name or function at the end (`{{ clear }}`, `{{ clear: () => … }}`).
 * Markup expressions are ESTree (`Property`); scripts' are Babel's (`ObjectProperty`).
 */
function objectMemberPassed(passed: Node[]): string | undefined {
  const [, object, property, value] = passed;
  if (!property || object?.type !== 'ObjectExpression' || (property.type !== 'ObjectProperty' && (property.type as string) !== 'Property')) return undefined;
  const isValue = passed.length === 4 ? (property as Node & { value: Node }).value === value : value !== undefined && isFunction(value);
  return isValue ? memberName(property) : undefined;
}

/** The name a markup node renders a component by: `<Card>`, `<Command.Item>`, or `<svelte:component this={Card}>`. */
function componentName(node: Node): string | undefined {
  const element = node as Node & { name?: string; expression?: Node };
  if ((element.type as string) === 'Component') return element.name;
  return (element.type as string) === 'SvelteComponent' && element.expression?.type === 'Identifier' ? element.expression.name : undefined;
}

/** Whether the reference is called (`helper()`), as opposed to handed on as a value. */
function isCalled(chain: Node[]): boolean {
  const node = chain.at(-1)!;
  const parent = chain.at(-2);
  return (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.callee === node;
}

/** The names the top-level `statement` binds in the declaration that contains the last node of `chain`. */
function topLevelBindings(statement: Node, chain: Node[]): string[] {
  const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
  if (!declaration) return [];
  switch (declaration.type) {
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
      return declaration.id ? [declaration.id.name] : statement.type === 'ExportDefaultDeclaration' ? ['default'] : [];
    case 'VariableDeclaration': {
      const declarator = declaration.declarations.find((candidate) => chain.includes(candidate)) ?? (declaration.declarations.length === 1 ? declaration.declarations[0] : undefined);
      return declarator ? patternNames(declarator.id) : [];
    }
    default:
      return statement.type === 'ExportDefaultDeclaration' ? ['default'] : [];
  }
}

/** The name in a function's or variable's own declaration is no use of it. */
function isDeclarationOf({ node, path }: Reference): boolean {
  const parent = path.at(-1);
  return (parent?.type === 'FunctionDeclaration' || parent?.type === 'ClassDeclaration') && parent.id === node || (parent?.type === 'VariableDeclarator' && parent.id === node);
}

/** Depth-first walk with the path from the root to each node's parent. */
function walkWithPath(root: Node, visit: (node: Node, path: Node[]) => void): void {
  const path: Node[] = [];
  const step = (node: Node) => {
    visit(node, path);
    path.push(node);
    for (const child of children(node)) step(child);
    path.pop();
  };
  step(root);
}

const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'range', 'typeAnnotation', 'typeParameters', 'returnType', 'typeArguments', 'superTypeParameters', 'metadata', 'parent']);

function children(node: Node): Node[] {
  const found: Node[] = [];
  for (const key of Object.keys(node)) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNodeLike(item)) found.push(item);
    } else if (isNodeLike(value)) {
      found.push(value);
    }
  }
  return found;
}

const isNodeLike = (value: unknown): value is Node => typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** An identifier in a markup expression that names a binding: not a property name (`a.cart`, `{ cart: 1 }`). */
function isMarkupReference(node: Node, parent: Node | undefined): boolean {
  const holder = parent as (Node & Record<string, unknown>) | undefined;
  if (!holder) return true;
  if (holder.type === 'MemberExpression') return holder.object === node || holder.computed === true;
  if ((holder.type as string) === 'Property') return holder.value === node;
  return true;
}

/** Markup nodes that are components, whose attributes are props (Svelte's parser names them so). */
const COMPONENT_NODES = new Set(['Component', 'SvelteComponent', 'SvelteSelf']);

/** Markup directives whose expressions run only in the browser. */
const BROWSER_DIRECTIVES = new Set(['OnDirective', 'BindDirective', 'UseDirective', 'TransitionDirective', 'AnimateDirective', 'AttachTag']);

/** Every identifier of a component's markup that refers to a script's binding, with whether it sits in a browser-only place. */
export function markupIdentifiers(fragment: unknown): Array<{ node: Node & { name: string }; path: Node[]; browserDirective: boolean }> {
  const found: Array<{ node: Node & { name: string }; path: Node[]; browserDirective: boolean }> = [];
  const seen = new Set<Node>();
  walkMarkup(fragment as Node, [], false, (node, path, browserDirective) => {
    if (node.type !== 'Identifier' || seen.has(node) || !isMarkupReference(node, path.at(-1))) return;
    seen.add(node); // a shorthand property holds the same node as key and value
    found.push({ node, path: [...path], browserDirective });
  });
  return found;
}

/** Walks Svelte's markup tree, telling for each node whether it sits in a browser-only directive or event attribute. */
function walkMarkup(node: Node, path: Node[], browser: boolean, visit: (node: Node, path: Node[], browser: boolean) => void): void {
  const type = node.type as string;
  const name = (node as unknown as { name?: unknown }).name;
  // `onclick={…}` on an element is an event handler; on a component it is a prop like any other,
  // which the component may call while it renders.
  const isEventAttribute = type === 'Attribute' && typeof name === 'string' && /^on[a-z]/i.test(name) && !COMPONENT_NODES.has(path.at(-1)?.type as string);
  const inBrowser = browser || BROWSER_DIRECTIVES.has(type) || isEventAttribute;
  visit(node, path, inBrowser);
  path.push(node);
  for (const child of children(node)) walkMarkup(child, path, inBrowser, visit);
  path.pop();
}
