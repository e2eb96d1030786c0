/**
 * Which calls create a store: `writable`/`readable`/`derived` from `svelte/store` under any import
 * form, and calls of store factories: functions of this module that return a store (or an object
 * with `subscribe`), factories imported from other modules of the app, and configured ones
 * (`persisted` from svelte-persisted-store).
 *
 * In runes modules (`.svelte.js` / `.svelte.ts`, and component module scripts) state is also made
 * by `$state`, `$state.raw`, `$derived` and `$derived.by`, by functions that keep such state and
 * return something (`createCounter()`), and by `new` of a class with `$state` fields.
 */
import type { CallExpression, ClassBody, Expression, NewExpression, Node, Statement } from '@babel/types';
import { childNodes, walk } from './ast.js';
import type { ModuleSyntax } from './module-syntax.js';

const STORE_CREATORS = new Set(['writable', 'readable', 'derived']);
const STATE_RUNES = new Set(['$state', '$state.raw', '$derived', '$derived.by']);
/** Reactive built-ins: `new SvelteMap()` at module level is shared state like `$state`. */
const REACTIVE_CLASSES = new Set(['SvelteMap', 'SvelteSet', 'SvelteDate', 'SvelteURL', 'SvelteURLSearchParams']);

/** `.svelte.js` / `.svelte.ts` modules, where runes work outside components. */
export const isRunesModulePath = (path: string): boolean => /\.svelte\.[cm]?[jt]s$/.test(path);

/**
 * What `imported`, imported from `source` by the module being analysed, creates: `writable`,
 * `readable` or `derived` (re-exported from `svelte/store` by a module of the app), `factory` (a
 * store factory or state class), or undefined.
 */
export type ImportedFactoryCheck = (source: string, imported: string) => string | undefined;

export interface StoreCall {
  /** `writable`, `readable`, `derived`, `rune` for `$state`/`$derived`, or `factory` for a custom factory or state class. */
  creator: string;
  call: CallExpression | NewExpression;
}

export interface StoreCalls {
  creatorOf(node: Node): StoreCall | undefined;
  /** Local names of the store factories and state classes this module defines. */
  factories: Set<string>;
}

/** Svelte's store creators as a module imports them: local names (`writable as w`) and namespaces (`import * as store`). */
export interface SvelteCreators {
  names: Map<string, string>;
  namespaces: Set<string>;
}

export function svelteCreators(syntax: ModuleSyntax): SvelteCreators {
  const found: SvelteCreators = { names: new Map(), namespaces: new Set() };
  for (const statement of syntax.imports) {
    if (statement.source !== 'svelte/store') continue;
    for (const name of statement.names) {
      if (name.typeOnly) continue;
      if (name.imported === '*') found.namespaces.add(name.local);
      else if (STORE_CREATORS.has(name.imported)) found.names.set(name.local, name.imported);
    }
  }
  return found;
}

/** Which of Svelte's creators a callee names (`writable`, `w`, `store.readable`), if any. */
export function svelteCreatorNamed(callee: Node, { names, namespaces }: SvelteCreators): string | undefined {
  if (callee.type === 'Identifier') return names.get(callee.name);
  const isNamespaced = callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && namespaces.has(callee.object.name) && callee.property.type === 'Identifier' && STORE_CREATORS.has(callee.property.name);
  return isNamespaced ? (callee.property as { name: string }).name : undefined;
}

export function recogniseStoreCalls(body: Statement[], syntax: ModuleSyntax, isImportedFactory: ImportedFactoryCheck, runes: boolean): StoreCalls {
  const svelte = svelteCreators(syntax);
  const creators = new Map<string, string | undefined>(svelte.names);
  // An imported name is looked up only when code calls it: telling whether it is a factory may
  // mean parsing the module it comes from, and most imports of a module are no factories.
  const imported = new Map<string, { source: string; imported: string }>();
  for (const statement of syntax.imports) {
    for (const name of statement.names) {
      if (name.typeOnly || statement.source === 'svelte/store') continue;
      if (statement.source === 'svelte/reactivity' && REACTIVE_CLASSES.has(name.imported)) {
        creators.set(name.local, 'factory');
      } else if (name.imported !== '*') {
        imported.set(name.local, { source: statement.source, imported: name.imported });
      }
    }
  }
  const creatorNamed = (name: string): string | undefined => {
    if (!creators.has(name)) {
      const from = imported.get(name);
      creators.set(name, from && isImportedFactory(from.source, from.imported));
    }
    return creators.get(name);
  };

  const creatorOf = (node: Node): StoreCall | undefined => {
    const call = unwrapTypeCast(node);
    // `new Auth()`: a factory here is a class whose instances hold `$state`.
    if (call.type === 'NewExpression') return call.callee.type === 'Identifier' && creatorNamed(call.callee.name) === 'factory' ? { creator: 'factory', call } : undefined;
    if (call.type !== 'CallExpression') return undefined;
    const callee = call.callee;
    if (runes && STATE_RUNES.has(calleeName(callee))) return { creator: 'rune', call };
    const creator = callee.type === 'Identifier' ? creatorNamed(callee.name) : svelteCreatorNamed(callee, svelte);
    return creator ? { creator, call } : undefined;
  };
  const isStoreCall = (node: Node): boolean => creatorOf(node) !== undefined;

  // Factories: top-level functions returning a store or an object with `subscribe` (or, with runes,
  // keeping state and returning anything), and classes with state fields. A factory may call
  // another factory, so repeat until no new factory appears.
  const functions = topLevelFunctions(body);
  const classes = topLevelClasses(body);
  const factories = new Set<string>();
  const isStateClass = (node: ClassNode): boolean =>
    hasStateFields(node.body, isStoreCall) ||
    hasSubscribeMethod(node.body) ||
    // A class extending a state class inherits its state.
    (node.superClass?.type === 'Identifier' && creatorNamed(node.superClass.name) === 'factory');
  for (let found = true; found; ) {
    found = false;
    const candidates = [
      ...[...functions].map(([name, fn]) => [name, () => returnsStore(fn, creatorOf)] as const),
      ...[...classes].map(([name, node]) => [name, () => isStateClass(node)] as const),
    ];
    for (const [name, isFactory] of candidates) {
      if (creatorNamed(name) !== undefined || !isFactory()) continue;
      creators.set(name, 'factory');
      factories.add(name);
      found = true;
    }
  }
  return { creatorOf, factories };
}

/** `$state`, `$state.raw`, `writable`: the callee as written, for simple names and one-level members. */
function calleeName(callee: Node): string {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && callee.property.type === 'Identifier' && !callee.computed) {
    return `${callee.object.name}.${callee.property.name}`;
  }
  return '';
}

type ClassNode = Extract<Node, { type: 'ClassDeclaration' | 'ClassExpression' }>;

/** `class A {}`, `export default class A {}`, `const A = class {}`. */
function topLevelClasses(body: Statement[]): Map<string, ClassNode> {
  const classes = new Map<string, ClassNode>();
  for (const statement of body) {
    const declaration = statement.type === 'ExportDefaultDeclaration' ? statement.declaration : unwrapExport(statement);
    if (declaration?.type === 'ClassDeclaration' && declaration.id) classes.set(declaration.id.name, declaration);
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        const init = declarator.init && unwrapTypeCast(declarator.init);
        if (declarator.id.type === 'Identifier' && init?.type === 'ClassExpression') classes.set(declarator.id.name, init);
      }
    }
  }
  return classes;
}

/** A class whose instances are stores: it has a `subscribe` method (the store contract). */
function hasSubscribeMethod(classBody: ClassBody): boolean {
  return classBody.body.some(
    (member) =>
      (member.type === 'ClassMethod' || ((member.type === 'ClassProperty' || member.type === 'ClassAccessorProperty') && member.value && /Function/.test(member.value.type))) &&
      !member.static &&
      !member.computed &&
      member.key.type === 'Identifier' &&
      member.key.name === 'subscribe',
  );
}

/** Does the class keep state: a field initialised with a rune or store, or `this.x = $state()` in its constructor? */
function hasStateFields(classBody: ClassBody, isStoreCall: (node: Node) => boolean): boolean {
  return classBody.body.some((member) => {
    if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty') && member.value) return isStoreCall(member.value);
    if (member.type !== 'ClassMethod' || member.kind !== 'constructor') return false;
    let found = false;
    walk(member.body, (node) => {
      if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && node.left.object.type === 'ThisExpression' && isStoreCall(node.right)) found = true;
    });
    return found;
  });
}

/**
 * A creation that runs when `node` is evaluated: inside an object or array literal
 * (`{ auth: new Auth() }`), an argument (`wrap(writable(0))`), a callback handed to a call
 * (`keys.map(() => writable(0))`), an IIFE. Functions that are only defined (`() => writable(0)`,
 * an object's methods) do not run, and neither do class bodies, except their static members.
 */
export function eagerCreation(node: Node, creatorOf: (node: Node) => StoreCall | undefined): StoreCall | undefined {
  let found: StoreCall | undefined;
  const isFunction = (child: Node) => /Function|Method/.test(child.type);
  const visit = (current: Node): void => {
    found ??= creatorOf(current);
    if (found) return;
    if (current.type === 'ClassDeclaration' || current.type === 'ClassExpression') {
      if (current.superClass) visit(current.superClass);
      for (const member of current.body.body) {
        if (member.type === 'StaticBlock') visit(member);
        else if ((member.type === 'ClassProperty' || member.type === 'ClassPrivateProperty' || member.type === 'ClassAccessorProperty') && member.static && member.value) visit(member.value);
      }
      return;
    }
    // A function runs here only when it is called on the spot or handed to a call (`.map(cb)`).
    const calls = current.type === 'CallExpression' || current.type === 'NewExpression' || current.type === 'OptionalCallExpression';
    for (const child of childNodes(current)) if (calls || !isFunction(child)) visit(child);
  };
  if (!isFunction(node)) visit(node);
  return found;
}

export function unwrapTypeCast(node: Node): Node {
  while (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'TSNonNullExpression' || node.type === 'ParenthesizedExpression') {
    node = node.expression;
  }
  return node;
}

type FunctionNode = Extract<Node, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }>;

function topLevelFunctions(body: Statement[]): Map<string, FunctionNode> {
  const functions = new Map<string, FunctionNode>();
  for (const statement of body) {
    const declaration = statement.type === 'ExportDefaultDeclaration' ? statement.declaration : unwrapExport(statement);
    if (declaration?.type === 'FunctionDeclaration' && declaration.id) functions.set(declaration.id.name, declaration);
    if (declaration?.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        const init = declarator.init && unwrapTypeCast(declarator.init);
        if (declarator.id.type === 'Identifier' && (init?.type === 'ArrowFunctionExpression' || init?.type === 'FunctionExpression')) {
          functions.set(declarator.id.name, init);
        }
      }
    }
  }
  return functions;
}

/** Does `fn` return a store: a store call, a local bound to one, or an object with `subscribe`? */
function returnsStore(fn: FunctionNode, creatorOf: (node: Node) => StoreCall | undefined): boolean {
  const isStoreCall = (node: Node) => creatorOf(node) !== undefined;
  const storeLocals = new Set<string>();
  let keepsRuneState = false;
  const returned: Expression[] = [];
  if (fn.body.type !== 'BlockStatement') returned.push(fn.body);
  else {
    walk(fn.body, (node) => {
      if (node !== fn.body && /Function|Class/.test(node.type)) return false;
      if (node.type === 'ReturnStatement' && node.argument) returned.push(node.argument);
      const creator = node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init ? creatorOf(node.init) : undefined;
      if (creator) storeLocals.add((node as { id: { name: string } }).id.name);
      if (creator?.creator === 'rune') keepsRuneState = true;
    });
  }
  // A function keeping rune state and returning something hands out that state (`createCounter()`).
  if (keepsRuneState && returned.length > 0) return true;
  return returned.some((expression) => {
    const value = unwrapTypeCast(expression);
    if (isStoreCall(value)) return true;
    if (value.type === 'Identifier') return storeLocals.has(value.name);
    return (
      value.type === 'ObjectExpression' &&
      value.properties.some(
        (property) =>
          (property.type === 'ObjectProperty' || property.type === 'ObjectMethod') &&
          !property.computed &&
          property.key.type === 'Identifier' &&
          property.key.name === 'subscribe',
      )
    );
  });
}

function unwrapExport(statement: Statement): Node | undefined {
  if (statement.type === 'ExportNamedDeclaration') return statement.declaration ?? undefined;
  return statement;
}
