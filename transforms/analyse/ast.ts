/**
 * Small AST utilities over Babel's tree: a generic walk, the names a pattern binds, and the free
 * references of a piece of code (the names it uses that it does not declare itself), which is what
 * tells whether a top-level declaration reads a store.
 */
import type { Node, LVal, Identifier } from '@babel/types';

const NON_CHILD_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'tokens', 'comments', 'range']);

export function childNodes(node: Node): Node[] {
  const children: Node[] = [];
  for (const key of Object.keys(node)) {
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Visits every node depth-first; returning `false` from `enter` skips the node's children. */
export function walk(node: Node, enter: (node: Node) => void | false): void {
  if (enter(node) === false) return;
  for (const child of childNodes(node)) walk(child, enter);
}

/** Names bound by a declaration pattern: `{ a, b: [c, ...d] = x }` binds a, c, d. */
export function patternNames(pattern: LVal | Node | null | undefined, names: string[] = []): string[] {
  if (!pattern) return names;
  switch (pattern.type) {
    case 'Identifier':
      names.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties) {
        patternNames(property.type === 'RestElement' ? property.argument : (property.value as LVal), names);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) patternNames(element, names);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, names);
      break;
    case 'RestElement':
      patternNames(pattern.argument, names);
      break;
    case 'TSParameterProperty':
      patternNames(pattern.parameter, names);
      break;
  }
  return names;
}

/** Names a statement declares in the scope it stands in (not counting `var` hoisted out of blocks). */
export function declaredNames(statement: Node): string[] {
  switch (statement.type) {
    case 'VariableDeclaration':
      return statement.declarations.flatMap((declarator) => patternNames(declarator.id));
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'TSEnumDeclaration':
      return statement.id ? [statement.id.name] : [];
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
      return statement.declaration ? declaredNames(statement.declaration) : [];
    default:
      return [];
  }
}

export interface References {
  /** Names read or written as values. */
  values: Set<string>;
  /** Names used in type positions through `typeof name`. */
  typeQueries: Set<string>;
  /** Identifier nodes of value references, with their names. */
  identifiers: Identifier[];
}

type Scope = { names: Set<string>; parent: Scope | null };

const isBound = (scope: Scope | null, name: string): boolean => {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
};

/** Free references of `node`: names it uses that are not declared inside it. */
export function freeReferences(node: Node): References {
  const refs: References = { values: new Set(), typeQueries: new Set(), identifiers: [] };
  visit(node, null, refs);
  return refs;
}

function blockScope(statements: readonly Node[], parent: Scope | null, extra: string[] = []): Scope {
  return { names: new Set([...extra, ...statements.flatMap(declaredNames)]), parent };
}

function visit(node: Node | null | undefined, scope: Scope | null, refs: References): void {
  if (!node) return;
  switch (node.type) {
    case 'Identifier':
      if (!isBound(scope, node.name)) {
        refs.values.add(node.name);
        refs.identifiers.push(node);
      }
      return;
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      visit(node.object, scope, refs);
      if (node.computed) visit(node.property, scope, refs);
      return;
    case 'ObjectProperty':
    case 'ClassProperty':
    case 'ClassAccessorProperty':
      if (node.computed) visit(node.key, scope, refs);
      visit(node.value as Node | null, scope, refs);
      return;
    case 'ClassPrivateProperty':
      visit(node.value, scope, refs);
      return;
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      if (node.type !== 'ClassPrivateMethod' && node.computed) visit(node.key, scope, refs);
      visitFunction(node, scope, refs);
      return;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      visitFunction(node, scope, refs);
      return;
    case 'ClassDeclaration':
    case 'ClassExpression': {
      const inner: Scope = { names: new Set(node.id ? [node.id.name] : []), parent: scope };
      visit(node.superClass, scope, refs);
      for (const member of node.body.body) visit(member, inner, refs);
      return;
    }
    case 'VariableDeclarator':
      visitPatternDefaults(node.id, scope, refs);
      visit(node.init, scope, refs);
      return;
    case 'BlockStatement':
    case 'StaticBlock':
    case 'Program': {
      const inner = blockScope(node.body, scope);
      for (const statement of node.body) visit(statement, inner, refs);
      return;
    }
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const head = node.type === 'ForStatement' ? node.init : node.left;
      const inner = blockScope(head ? [head] : [], scope);
      for (const child of childNodes(node)) visit(child, inner, refs);
      return;
    }
    case 'CatchClause': {
      const inner: Scope = { names: new Set(patternNames(node.param)), parent: scope };
      visit(node.body, inner, refs);
      return;
    }
    case 'LabeledStatement':
      visit(node.body, scope, refs);
      return;
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'ImportDeclaration':
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
    case 'TSDeclareFunction':
    case 'TSModuleDeclaration':
      collectTypeQueries(node, refs);
      return;
    case 'ExportNamedDeclaration':
      if (node.declaration) visit(node.declaration, scope, refs);
      else if (!node.source) for (const specifier of node.specifiers) if (specifier.type === 'ExportSpecifier') visit(specifier.local, scope, refs);
      return;
    case 'MetaProperty':
    case 'PrivateName':
      return;
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
    case 'TSNonNullExpression':
    case 'TSInstantiationExpression':
      visit(node.expression, scope, refs);
      if ('typeAnnotation' in node) collectTypeQueries(node.typeAnnotation, refs);
      return;
  }
  if (node.type.startsWith('TS')) {
    collectTypeQueries(node, refs);
    return;
  }
  for (const key of Object.keys(node)) {
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (key === 'typeAnnotation' || key === 'typeParameters' || key === 'returnType' || key === 'typeArguments' || key === 'superTypeParameters') {
      if (isNode(value)) collectTypeQueries(value, refs);
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, scope, refs);
    } else if (isNode(value)) {
      visit(value, scope, refs);
    }
  }
}

type FunctionLike = Extract<Node, { params: unknown; body: unknown }>;

function visitFunction(node: FunctionLike, scope: Scope | null, refs: References): void {
  const params = (node.params as Node[]).flatMap((param) => patternNames(param));
  const ownName = node.type === 'FunctionExpression' && node.id ? [node.id.name] : [];
  const inner: Scope = { names: new Set([...params, ...ownName, 'arguments']), parent: scope };
  for (const param of node.params as Node[]) visitPatternDefaults(param, inner, refs);
  if ('returnType' in node && node.returnType) collectTypeQueries(node.returnType, refs);
  const body = node.body as Node;
  if (body.type === 'BlockStatement') {
    const bodyScope = blockScope(body.body, inner, hoistedVars(body));
    for (const statement of body.body) visit(statement, bodyScope, refs);
  } else {
    visit(body, inner, refs);
  }
}

/** `var` declarations anywhere in a function body (outside nested functions) belong to the function scope. */
function hoistedVars(body: Node): string[] {
  const names: string[] = [];
  walk(body, (node) => {
    if (node !== body && /Function|Class/.test(node.type)) return false;
    if (node.type === 'VariableDeclaration' && node.kind === 'var') {
      for (const declarator of node.declarations) patternNames(declarator.id, names);
    }
  });
  return names;
}

/** In a binding pattern only default values and computed keys are references. */
function visitPatternDefaults(pattern: Node | null | undefined, scope: Scope | null, refs: References): void {
  if (!pattern) return;
  walk(pattern, (node) => {
    if (node.type === 'AssignmentPattern') {
      visitPatternDefaults(node.left, scope, refs);
      visit(node.right, scope, refs);
      return false;
    }
    if (node.type === 'ObjectProperty' && node.computed) visit(node.key, scope, refs);
    if (node.type === 'TSTypeAnnotation') {
      collectTypeQueries(node, refs);
      return false;
    }
  });
}

function collectTypeQueries(node: Node, refs: References): void {
  walk(node, (child) => {
    if (child.type === 'TSTypeQuery' && child.exprName.type === 'Identifier') refs.typeQueries.add(child.exprName.name);
    if (child.type === 'TSTypeQuery' && child.exprName.type === 'TSQualifiedName') {
      let left: Node = child.exprName;
      while (left.type === 'TSQualifiedName') left = left.left;
      if (left.type === 'Identifier') refs.typeQueries.add(left.name);
    }
  });
}

const identifierNamesCache = new WeakMap<Node, ReadonlySet<string>>();

/**
 * Every name a piece of code declares or uses, values and types, but not property names
 * (`canvas.getContext`, `{ key: 1 }`) nor words in comments and strings: what a generated name
 * must not be.
 */
export function identifierNames(root: Node): ReadonlySet<string> {
  let names = identifierNamesCache.get(root);
  if (!names) {
    const found = new Set<string>();
    const visit = (node: Node): void => {
      if (node.type === 'Identifier') {
        found.add(node.name);
        if (node.typeAnnotation) visit(node.typeAnnotation);
        return;
      }
      for (const key of Object.keys(node)) {
        if (NON_CHILD_KEYS.has(key)) continue;
        const isPropertyName =
          ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && key === 'property' && !node.computed) ||
          (key === 'key' && 'computed' in node && !node.computed && node.type !== 'ObjectProperty') ||
          (node.type === 'ObjectProperty' && key === 'key' && !node.computed && !node.shorthand);
        if (isPropertyName) continue;
        const value = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(value)) {
          for (const item of value) if (isNode(item)) visit(item);
        } else if (isNode(value)) {
          visit(value);
        }
      }
    };
    visit(root);
    identifierNamesCache.set(root, (names = found));
  }
  return names;
}

/** `typeof x`, `typeof x.a.b`: the type query and the property path after `x`. */
export interface TypeQueryOf {
  node: Node;
  path: string[];
}

/** Every `typeof name` (and `typeof name.a.b`) in `root`, in source order. */
export function typeQueriesOf(root: Node, name: string): TypeQueryOf[] {
  const found: TypeQueryOf[] = [];
  walk(root, (node) => {
    if (node.type !== 'TSTypeQuery') return;
    const path: string[] = [];
    let entity: Node = node.exprName;
    while (entity.type === 'TSQualifiedName') {
      path.unshift(entity.right.name);
      entity = entity.left;
    }
    if (entity.type === 'Identifier' && entity.name === name && !node.typeParameters) found.push({ node, path });
  });
  return found;
}

/**
 * The names code takes from a dynamic import's module when it reads them at once by name:
 * `(await import(…)).share`, `const { share } = await import(…)`. Undefined for any other use.
 */
export function namesTakenFrom(root: Node, importNode: Node): string[] | undefined {
  let found: string[] | undefined;
  let seen = false;
  const path: Node[] = [];
  const visit = (node: Node): void => {
    if (node === importNode) {
      seen = true;
      const [awaited, user] = [path.at(-1), path.at(-2)];
      if (awaited?.type !== 'AwaitExpression') return;
      if ((user?.type === 'MemberExpression' || user?.type === 'OptionalMemberExpression') && user.object === awaited && !user.computed && user.property.type === 'Identifier') found = [user.property.name];
      if (user?.type === 'VariableDeclarator' && user.init === awaited && user.id.type === 'ObjectPattern') {
        const keys = user.id.properties.map((property) => (property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' ? property.key.name : undefined));
        if (keys.every((key) => key !== undefined)) found = keys as string[];
      }
      return;
    }
    path.push(node);
    for (const child of childNodes(node)) if (found === undefined && !seen) visit(child);
    path.pop();
  };
  visit(root);
  return found;
}
