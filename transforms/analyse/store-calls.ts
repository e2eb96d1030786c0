/**
 * Which calls create a store: `writable`/`readable`/`derived` from `svelte/store` under any import
 * form, and calls of store factories: functions of this module that return a store (or an object
 * with `subscribe`), factories imported from other modules of the app, and configured ones
 * (`persisted` from svelte-persisted-store).
 */
import type { CallExpression, Expression, Node, Statement } from '@babel/types';
import { walk } from './ast.js';
import type { ModuleSyntax } from './module-syntax.js';

const STORE_CREATORS = new Set(['writable', 'readable', 'derived']);

/** Whether `imported`, imported from `source` by the module being analysed, is a store factory. */
export type ImportedFactoryCheck = (source: string, imported: string) => boolean;

export interface StoreCall {
  /** `writable`, `readable`, `derived`, or `factory` for a custom store factory. */
  creator: string;
  call: CallExpression;
}

export interface StoreCalls {
  creatorOf(node: Node): StoreCall | undefined;
  /** Local names of the store factories this module defines. */
  factories: Set<string>;
}

export function recogniseStoreCalls(body: Statement[], syntax: ModuleSyntax, isImportedFactory: ImportedFactoryCheck): StoreCalls {
  const creators = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of syntax.imports) {
    for (const name of statement.names) {
      if (name.typeOnly) continue;
      if (statement.source === 'svelte/store') {
        if (name.imported === '*') namespaces.add(name.local);
        else if (STORE_CREATORS.has(name.imported)) creators.set(name.local, name.imported);
      } else if (name.imported !== '*' && isImportedFactory(statement.source, name.imported)) {
        creators.set(name.local, 'factory');
      }
    }
  }

  const creatorOf = (node: Node): StoreCall | undefined => {
    const call = unwrapTypeCast(node);
    if (call.type !== 'CallExpression') return undefined;
    const callee = call.callee;
    if (callee.type === 'Identifier') {
      const creator = creators.get(callee.name);
      return creator ? { creator, call } : undefined;
    }
    const isNamespaced =
      callee.type === 'MemberExpression' &&
      callee.object.type === 'Identifier' &&
      namespaces.has(callee.object.name) &&
      callee.property.type === 'Identifier' &&
      STORE_CREATORS.has(callee.property.name);
    return isNamespaced ? { creator: (callee.property as { name: string }).name, call } : undefined;
  };
  const isStoreCall = (node: Node): boolean => creatorOf(node) !== undefined;

  // Factories: top-level functions returning a store or an object with `subscribe`. A factory may
  // call another factory, so repeat until no new factory appears.
  const functions = topLevelFunctions(body);
  const factories = new Set<string>();
  for (let found = true; found; ) {
    found = false;
    for (const [name, fn] of functions) {
      if (creators.has(name) || !returnsStore(fn, isStoreCall)) continue;
      creators.set(name, 'factory');
      factories.add(name);
      found = true;
    }
  }
  return { creatorOf, factories };
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
    const declaration = unwrapExport(statement);
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
function returnsStore(fn: FunctionNode, isStoreCall: (node: Node) => boolean): boolean {
  const storeLocals = new Set<string>();
  const returned: Expression[] = [];
  if (fn.body.type !== 'BlockStatement') returned.push(fn.body);
  else {
    walk(fn.body, (node) => {
      if (node !== fn.body && /Function|Class/.test(node.type)) return false;
      if (node.type === 'ReturnStatement' && node.argument) returned.push(node.argument);
      if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && isStoreCall(node.init)) storeLocals.add(node.id.name);
    });
  }
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
