/**
 * Finding module-scoped state in one module: the stores it creates at top level, and every
 * top-level declaration that reads or writes them (transitively). Those are "stateful" and move
 * into the context bundle; everything else (types, constants, pure functions, the factories
 * themselves) stays where it is.
 */
import type { Node, Statement } from '@babel/types';
import type { Blocker } from '../types.js';
import { posix } from 'node:path';
import { lineColumn, unusedName } from '../text.js';
import { declaredNames, freeReferences, identifierNames, patternNames, typeQueriesOf, walk, type References } from './ast.js';
import { eagerCreation, isRunesModulePath, recogniseStoreCalls, unwrapTypeCast, type ImportedFactoryCheck, type StoreCall } from './store-calls.js';
import type { ModuleSyntax } from './module-syntax.js';
import type { ParsedFile, Script } from './parse.js';

export interface TopLevelItem {
  statement: Statement;
  /** Local names the statement declares. */
  declared: string[];
  refs: References;
}

export interface StoreModule {
  file: string;
  script: Script;
  /** Local names bound directly to a store that can change. */
  stores: string[];
  /** Exported stores that never change (a `readable` constant, a `derived` of such): not migrated unless asked. */
  constantStores: string[];
  /** Statements that move into `create…`, in source order. */
  moved: TopLevelItem[];
  /** Local names declared by moved statements. */
  statefulLocals: Set<string>;
  /** Exported name -> local name, for the exports that join the bundle. */
  statefulExports: Map<string, string>;
  /** Imported locals, stateful exports of other store modules, that the moved code uses. */
  usedImports: Set<string>;
  /** Reasons found in the module itself why it cannot be migrated. */
  problems: Blocker[];
  /** `typeof cart` in code that stays: becomes `CartContext['cart']`. */
  typeQueries: TypeQueryRewrite[];
}

/** A `typeof` of moved state, and the bundle key and properties it becomes the context type's index by. */
export interface TypeQueryRewrite {
  node: Node;
  path: string[];
  /**
   * For state imported from another store module (`keyof typeof colors` in a helper that stays):
   * its local name. The query names that module's context type, and `path` starts after the key.
   */
  imported?: string;
}

/** Cheap text check: can this module create a store, or rune state, at all? */
export function mayDeclareStores(text: string): boolean {
  return text.includes('svelte/store') || text.includes('subscribe') || text.includes('$state') || text.includes('$derived') || text.includes('svelte/reactivity');
}

/** Runes make state in `.svelte.js` / `.svelte.ts` modules and in component module scripts. */
const usesRunes = (file: ParsedFile, script: Script): boolean => script.kind === 'component-module' || isRunesModulePath(file.path);

/**
 * The module's state, or undefined if it has none. `importedState` holds the imported locals that
 * are another store module's stateful exports: code using them is stateful too, and moves.
 */
export function findStoreModule(
  file: ParsedFile,
  syntax: ModuleSyntax,
  importedState: ReadonlySet<string>,
  isImportedFactory: ImportedFactoryCheck,
  { all = false }: { all?: boolean } = {},
): StoreModule | undefined {
  const script = file.scripts[0]!;
  const body = script.ast.program.body;
  const { creatorOf } = recogniseStoreCalls(body, syntax, isImportedFactory, usesRunes(file, script));

  // A `readable` with no start function, or a `derived` of such stores only, holds the same value
  // for everyone forever: not a leak. Unless `all` is set, it stays a module-level constant.
  const stores: string[] = [];
  const constantStores: string[] = [];
  const defaultLocal = defaultExportLocal(file, script);
  const addStore = (call: StoreCall, names: string[]) => {
    if (!all && isConstantStore(call, constantStores)) constantStores.push(...names);
    else stores.push(...names);
  };
  // State made anywhere in a declaration's value moves with it: `keys.map(() => writable(0))`,
  // `wrap(writable(0))`, an IIFE. Only a direct call can be a constant store.
  const madeAnywhere = (node: Node): StoreCall | undefined => {
    const direct = creatorOf(node);
    if (direct) return direct;
    const nested = eagerCreation(node, creatorOf);
    return nested && { ...nested, creator: 'nested' };
  };
  for (const statement of body) {
    if (statement.type === 'ExportDefaultDeclaration') {
      const call = madeAnywhere(statement.declaration);
      if (call && defaultLocal) addStore(call, [defaultLocal]);
      continue;
    }
    const declaration = unwrapExport(statement);
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      const call = declarator.init && madeAnywhere(declarator.init);
      if (call) addStore(call, patternNames(declarator.id));
    }
  }
  // Module-level bindings that code fills with state later: `i ??= new Auth()` in a getter (a lazy
  // singleton), `cache[key] = writable()`, `registry.set(key, writable())`.
  for (const name of bindingsGivenState(body, creatorOf)) if (!stores.includes(name)) stores.push(name);
  const localExports = new Map(syntax.localExports);
  if (defaultLocal) localExports.set('default', defaultLocal);
  const stranded = strandedState(file, script, body, creatorOf);
  if (stores.length === 0 && importedState.size === 0 && stranded.length === 0) {
    return constantStores.length > 0 ? constantStoreModule(file, script, localExports, constantStores) : undefined;
  }

  const items: TopLevelItem[] = body
    .filter((statement) => !isModuleSyntaxOnly(statement))
    .map((statement) => ({
      statement,
      declared: statement.type === 'ExportDefaultDeclaration' ? [defaultLocal!] : declaredNames(statement),
      refs: freeReferences(unwrapExport(statement) ?? statement),
    }));

  // What an item's code reaches: its own references, and those of the module's functions and
  // classes it calls (`let nextId` bumped by the factory a store is made by is state too).
  const declaredBy = new Map(items.flatMap((item) => item.declared.map((name) => [name, item] as const)));
  const reached = new Map<TopLevelItem, Set<string>>();
  const reach = (item: TopLevelItem): Set<string> => {
    let names = reached.get(item);
    if (names) return names;
    reached.set(item, (names = new Set(item.refs.values)));
    for (const name of [...names]) {
      const callee = declaredBy.get(name);
      if (callee && callee !== item && isCallable(callee.statement)) for (const inner of reach(callee)) names.add(inner);
    }
    return names;
  };
  const statefulLocals = new Set([...stores, ...importedState]);
  const moved = new Set<TopLevelItem>(items.filter((item) => item.declared.some((name) => statefulLocals.has(name))));
  // Fixpoint: whatever uses state is state; a mutable `let` that stateful code uses is state too.
  for (let changed = true; changed; ) {
    changed = false;
    for (const item of items) {
      if (moved.has(item)) continue;
      const usesState = [...item.refs.values].some((name) => statefulLocals.has(name));
      const isMutableUsedByState =
        unwrapExport(item.statement)?.type === 'VariableDeclaration' &&
        (unwrapExport(item.statement) as { kind: string }).kind !== 'const' &&
        [...moved].some((other) => item.declared.some((name) => reach(other).has(name)));
      if (usesState || isMutableUsedByState) {
        moved.add(item);
        for (const name of item.declared) statefulLocals.add(name);
        changed = true;
      }
    }
  }

  // A moved function's overload signatures (`function read(path: string): string;`) go with it:
  // TypeScript wants them right above its body, and its callers their types.
  const movedFunctions = new Set([...moved].map((item) => unwrapExport(item.statement)).flatMap((declaration) => (declaration?.type === 'FunctionDeclaration' && declaration.id ? [declaration.id.name] : [])));
  for (const item of items) {
    const declaration = unwrapExport(item.statement);
    if (declaration?.type === 'TSDeclareFunction' && !declaration.declare && declaration.id && movedFunctions.has(declaration.id.name)) moved.add(item);
  }

  // Imported state is not the module's own: re-exporting it does not make a bundle entry.
  const ownState = new Set([...moved].flatMap((item) => item.declared));
  const statefulExports = new Map<string, string>();
  for (const [exported, local] of localExports) if (ownState.has(local)) statefulExports.set(exported, local);
  const usedImports = new Set([...moved].flatMap((item) => [...item.refs.values].filter((name) => importedState.has(name))));

  // What stays at module level must hold no state.
  const movedStatements = new Set([...moved].map((item) => item.statement));
  const left = stranded.filter(({ statement }) => !movedStatements.has(statement)).map(({ problem }) => problem);
  const typeQueries = typeQueriesOfMovedState(file, script, moved, statefulLocals, statefulExports, importedState);
  const problems = [...left, ...findProblems(file, script, items, moved), ...typeQueries.problems];
  return {
    file: file.path,
    script,
    stores,
    constantStores: exportedAs(localExports, constantStores),
    moved: items.filter((item) => moved.has(item)),
    statefulLocals,
    statefulExports,
    usedImports,
    problems,
    typeQueries: typeQueries.rewrites,
  };
}

function isConstantStore({ creator, call }: StoreCall, constantStores: string[]): boolean {
  if (creator === 'readable') return call.arguments.length <= 1;
  if (creator !== 'derived') return false;
  const source = call.arguments[0];
  const sources = source?.type === 'ArrayExpression' ? source.elements : [source];
  return sources.every((node) => node?.type === 'Identifier' && constantStores.includes(node.name));
}

/** A module whose only stores never change: reported, left alone. */
function constantStoreModule(file: ParsedFile, script: Script, localExports: Map<string, string>, constantStores: string[]): StoreModule {
  return {
    file: file.path,
    script,
    stores: [],
    constantStores: exportedAs(localExports, constantStores),
    moved: [],
    statefulLocals: new Set(),
    statefulExports: new Map(),
    usedImports: new Set(),
    problems: [],
    typeQueries: [],
  };
}

function exportedAs(localExports: Map<string, string>, locals: string[]): string[] {
  return [...localExports].filter(([, local]) => locals.includes(local)).map(([exported]) => exported);
}

/**
 * The local name a non-identifier default export gets when it moves into `create…`: its own name
 * (`export default function addItem`), else the module's name (`count.ts`: `count`).
 */
function defaultExportLocal(file: ParsedFile, script: Script): string | undefined {
  const statement = script.ast.program.body.find((node) => node.type === 'ExportDefaultDeclaration');
  if (!statement || statement.declaration.type === 'Identifier') return undefined;
  const declaration = statement.declaration;
  if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) return declaration.id.name;
  const stem = posix.basename(file.path).replace(/(?:\.svelte)?\.[cm]?[jt]s$/, '');
  const words = (stem === 'index' ? posix.basename(posix.dirname(file.path)) : stem).split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((word, i) => (i === 0 ? word[0]!.toLowerCase() : word[0]!.toUpperCase()) + word.slice(1)).join('');
  return unusedName(/^[A-Za-z_$]/.test(camel) ? camel : `store${camel}`, [], identifierNames(script.ast.program));
}

/** The name an export has in the context bundle: its exported name, or its local name for the default export. */
export function bundleKey(module: Pick<StoreModule, 'statefulExports'>, exported: string): string {
  return exported === 'default' ? module.statefulExports.get('default')! : exported;
}

function findProblems(
  file: ParsedFile,
  script: Script,
  items: TopLevelItem[],
  moved: Set<TopLevelItem>,
): Blocker[] {
  const problems: Blocker[] = [];
  const at = (node: Node, reason: string): Blocker => ({ file: file.path, ...lineColumn(file.text, script.offset + node.start!), reason });

  for (const item of items) {
    const { statement } = item;
    if (moved.has(item) && statement.type === 'ExportNamedDeclaration' && statement.declaration?.type === 'VariableDeclaration' && statement.declaration.kind !== 'const') {
      problems.push(at(statement, `exported \`${statement.declaration.kind}\` ${item.declared.join(', ')} holds state; importers see reassignments live, which a context value cannot do, so make it a store or a const first`));
    }
    const exportedClass = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : undefined;
    if (moved.has(item) && exportedClass?.type === 'ClassDeclaration') {
      const named = exportedClass.id ? `exported class ${exportedClass.id.name}` : 'the exported class';
      problems.push(at(statement, `${named} uses module-level state, so it would move into context and could no longer be imported as a class or used as a type; hand it the state through its constructor instead`));
    }
  }
  return problems;
}

/**
 * `typeof cart` in code that stays module-level (`export type CartStore = typeof cart`) names a
 * value that moves: it becomes the context's type, `CartContext['cart']`, when `cart` is exported
 * and the code holding it is not used by the moved code (whose type the context type is: that
 * would be circular). Otherwise the module is held back.
 */
function typeQueriesOfMovedState(
  file: ParsedFile,
  script: Script,
  moved: Set<TopLevelItem>,
  statefulLocals: Set<string>,
  statefulExports: Map<string, string>,
  importedState: ReadonlySet<string>,
): { rewrites: TypeQueryRewrite[]; problems: Blocker[] } {
  const rewrites: TypeQueryRewrite[] = [];
  const problems: Blocker[] = [];
  const movedStatements = new Set([...moved].map((item) => item.statement));
  const namesInMovedCode = new Set([...moved].flatMap((item) => [...identifierNames(item.statement)]));
  const exportedAs = new Map([...statefulExports].map(([exported, local]) => [local, exported]));
  for (const statement of script.ast.program.body) {
    if (movedStatements.has(statement) || statement.type === 'ImportDeclaration') continue;
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    const declared = declaration ? typeOrValueNames(declaration) : [];
    const usedByMovedCode = declared.some((name) => namesInMovedCode.has(name));
    for (const local of statefulLocals) {
      for (const query of typeQueriesOf(statement, local)) {
        if (importedState.has(local)) {
          rewrites.push({ node: query.node, path: query.path, imported: local });
          continue;
        }
        const exported = exportedAs.get(local);
        if (exported !== undefined && !usedByMovedCode) {
          rewrites.push({ node: query.node, path: [bundleKey({ statefulExports }, exported), ...query.path] });
          continue;
        }
        const why = exported === undefined ? `\`${local}\` is not exported, so no context type names it` : 'the moved code uses this declaration, so naming the context type here would be circular';
        problems.push({ file: file.path, ...lineColumn(file.text, script.offset + query.node.start!), reason: `\`typeof ${local}\` names a value that moves into context, and ${why}; write the type out instead (for a store, \`Writable<…>\`; for \`$state\`, the type of its value), then run again` });
      }
    }
  }
  return { rewrites, problems };
}

/** Names a top-level declaration binds, types included. */
function typeOrValueNames(declaration: Node): string[] {
  if ((declaration.type === 'TSTypeAliasDeclaration' || declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSEnumDeclaration') && declaration.id) return [declaration.id.name];
  return declaredNames(declaration);
}

/**
 * Top-level `let`/`var`/`const` bindings that code anywhere in the module fills with state: an
 * assignment to the binding or to one of its properties, or a call of one of its methods, whose
 * value makes state (`i ??= new Auth()`, `cache[k] = writable(0)`, `registry.set(k, writable(0))`).
 */
function bindingsGivenState(body: Statement[], creatorOf: (node: Node) => StoreCall | undefined): string[] {
  const variables = new Set(
    body.flatMap((statement) => {
      const declaration = unwrapExport(statement);
      return declaration?.type === 'VariableDeclaration' ? declaration.declarations.flatMap((declarator) => patternNames(declarator.id)) : [];
    }),
  );
  if (variables.size === 0) return [];
  const makesState = (node: Node) => creatorOf(node) !== undefined || eagerCreation(node, creatorOf) !== undefined;
  const found = new Set<string>();
  for (const statement of body) {
    walk(statement, (node) => {
      if (node.type === 'AssignmentExpression') {
        const root = rootIdentifier(node.left);
        if (root && variables.has(root) && makesState(node.right)) found.add(root);
      }
      if (node.type === 'CallExpression' && (node.callee.type === 'MemberExpression' || node.callee.type === 'OptionalMemberExpression')) {
        const root = rootIdentifier(node.callee.object);
        if (root && variables.has(root) && node.arguments.some(makesState)) found.add(root);
      }
    });
  }
  return [...found];
}

/** `cache` for `cache`, `cache[k]`, `cache.a.b`. */
function rootIdentifier(node: Node): string | undefined {
  let current = unwrapTypeCast(node);
  while (current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression') current = unwrapTypeCast(current.object);
  return current.type === 'Identifier' ? current.name : undefined;
}

/**
 * State made at module level where no binding holds it, so it cannot move into context: a store
 * handed to a call (`register(writable(0))`), made in a top-level loop, held by a static class field.
 */
function strandedState(file: ParsedFile, script: Script, body: Statement[], creatorOf: (node: Node) => StoreCall | undefined): Array<{ statement: Statement; problem: Blocker }> {
  const problems: Array<{ statement: Statement; problem: Blocker }> = [];
  for (const statement of body) {
    const declaration = unwrapExport(statement) ?? statement;
    if (declaration.type === 'VariableDeclaration' || declaration.type === 'ImportDeclaration' || /Function|^TS/.test(declaration.type)) continue;
    if (statement.type === 'ExportDefaultDeclaration' && !/Class/.test(statement.declaration.type)) continue;
    const isClass = declaration.type === 'ClassDeclaration' || (statement.type === 'ExportDefaultDeclaration' && statement.declaration.type === 'ClassDeclaration');
    const made = eagerCreation(statement.type === 'ExportDefaultDeclaration' ? statement.declaration : declaration, creatorOf);
    if (!made) continue;
    const where = isClass ? 'a static class field holds state' : 'state is made here at module level';
    problems.push({
      statement,
      problem: {
        file: file.path,
        ...lineColumn(file.text, script.offset + made.call.start!),
        reason: `${where}, which every request shares and which the migration cannot move (no top-level \`const\` holds it); hold it in an exported \`const\` or an instance field, then run again`,
      },
    });
  }
  return problems;
}

/** A function or class declaration, or a `const` holding a function: code that runs when called. */
function isCallable(statement: Statement): boolean {
  const declaration = statement.type === 'ExportDefaultDeclaration' ? statement.declaration : unwrapExport(statement);
  if (declaration?.type === 'FunctionDeclaration' || declaration?.type === 'ClassDeclaration') return true;
  return (
    declaration?.type === 'VariableDeclaration' &&
    declaration.declarations.every((declarator) => declarator.init && /Function|Class/.test(unwrapTypeCast(declarator.init).type))
  );
}

function unwrapExport(statement: Statement): Node | undefined {
  if (statement.type === 'ExportNamedDeclaration') return statement.declaration ?? undefined;
  return statement;
}

function isModuleSyntaxOnly(statement: Statement): boolean {
  return (
    statement.type === 'ImportDeclaration' ||
    (statement.type === 'ExportDefaultDeclaration' && statement.declaration.type === 'Identifier') ||
    statement.type === 'ExportAllDeclaration' ||
    (statement.type === 'ExportNamedDeclaration' && !statement.declaration) ||
    statement.type === 'TSTypeAliasDeclaration' ||
    statement.type === 'TSInterfaceDeclaration' ||
    (statement.type === 'ExportNamedDeclaration' && (statement.declaration?.type === 'TSTypeAliasDeclaration' || statement.declaration?.type === 'TSInterfaceDeclaration'))
  );
}

/**
 * Recognises calls that create a store: `writable`/`readable`/`derived` from `svelte/store` under
 * any import form, and calls of factories defined in this module that return a store.
 */

/** Exported names of the store factories `file` defines (`export function createCounter() { return writable(0) }`). */
export function exportedFactories(file: ParsedFile, syntax: ModuleSyntax, isImportedFactory: ImportedFactoryCheck): Set<string> {
  const script = file.scripts[0]!;
  const { factories } = recogniseStoreCalls(script.ast.program.body, syntax, isImportedFactory, usesRunes(file, script));
  return new Set([...syntax.localExports].filter(([, local]) => factories.has(local)).map(([exported]) => exported));
}
