/** The import and export statements of one script, in a shape the planner can query. */
import type { ExportNamedDeclaration, ExportAllDeclaration, ImportDeclaration, Node, Statement } from '@babel/types';
import { declaredNames, walk } from './ast.js';
import type { Script } from './parse.js';

export interface ImportedName {
  /** The exported name asked for; `default` for default imports, `*` for namespace imports. */
  imported: string;
  local: string;
  typeOnly: boolean;
  node: Node;
}

export interface ImportStatement {
  source: string;
  node: ImportDeclaration;
  names: ImportedName[];
}

export interface ReExportStatement {
  source: string;
  node: ExportNamedDeclaration | ExportAllDeclaration;
  /** Named re-exports (`export { a as b } from`); empty for `export *`. */
  names: Array<{ imported: string; exported: string; typeOnly: boolean; node: Node }>;
  /** `export * from` (star) or `export * as ns from` (namespace). */
  star: 'all' | 'namespace' | null;
  /** The name a namespace re-export gives the module (`ns`; not type-only). */
  namespace?: string;
}

export interface ModuleSyntax {
  imports: ImportStatement[];
  reExports: ReExportStatement[];
  /** Exported name -> local binding, for exports of the module's own bindings. */
  localExports: Map<string, string>;
  /** `import('…')` with a literal specifier. */
  dynamicImports: Array<{ source: string; node: Node }>;
}

const moduleName = (node: Node): string => (node.type === 'Identifier' ? node.name : node.type === 'StringLiteral' ? node.value : '');

export function readModuleSyntax(script: Script): ModuleSyntax {
  const syntax: ModuleSyntax = { imports: [], reExports: [], localExports: new Map(), dynamicImports: [] };
  for (const statement of script.ast.program.body) readStatement(statement, syntax);
  if (script.code.includes('import(')) {
    walk(script.ast.program, (node) => {
      if (node.type === 'CallExpression' && node.callee.type === 'Import' && node.arguments[0]?.type === 'StringLiteral') {
        syntax.dynamicImports.push({ source: node.arguments[0].value, node });
      }
      if (node.type === 'ImportExpression' && node.source.type === 'StringLiteral') {
        syntax.dynamicImports.push({ source: node.source.value, node });
      }
    });
  }
  return syntax;
}

function readStatement(statement: Statement, syntax: ModuleSyntax): void {
  switch (statement.type) {
    case 'ImportDeclaration': {
      const statementTypeOnly = statement.importKind === 'type' || statement.importKind === 'typeof';
      syntax.imports.push({
        source: statement.source.value,
        node: statement,
        names: statement.specifiers.map((specifier) => ({
          imported:
            specifier.type === 'ImportDefaultSpecifier' ? 'default' : specifier.type === 'ImportNamespaceSpecifier' ? '*' : moduleName(specifier.imported),
          local: specifier.local.name,
          typeOnly: statementTypeOnly || (specifier.type === 'ImportSpecifier' && (specifier.importKind === 'type' || specifier.importKind === 'typeof')),
          node: specifier,
        })),
      });
      return;
    }
    case 'ExportAllDeclaration':
      syntax.reExports.push({ source: statement.source.value, node: statement, names: [], star: 'all' });
      return;
    case 'ExportNamedDeclaration': {
      const statementTypeOnly = statement.exportKind === 'type';
      if (statement.source) {
        const reExport: ReExportStatement = { source: statement.source.value, node: statement, names: [], star: null };
        for (const specifier of statement.specifiers) {
          if (specifier.type === 'ExportNamespaceSpecifier') {
            reExport.star = 'namespace';
            if (!statementTypeOnly) reExport.namespace = moduleName(specifier.exported);
          } else if (specifier.type === 'ExportSpecifier') {
            reExport.names.push({
              imported: moduleName(specifier.local),
              exported: moduleName(specifier.exported),
              typeOnly: statementTypeOnly || specifier.exportKind === 'type',
              node: specifier,
            });
          } else {
            reExport.names.push({ imported: 'default', exported: moduleName(specifier.exported), typeOnly: statementTypeOnly, node: specifier });
          }
        }
        syntax.reExports.push(reExport);
        return;
      }
      if (statementTypeOnly) return;
      if (statement.declaration) {
        if (statement.declaration.type === 'TSTypeAliasDeclaration' || statement.declaration.type === 'TSInterfaceDeclaration') return;
        for (const name of declaredNames(statement.declaration)) syntax.localExports.set(name, name);
      }
      for (const specifier of statement.specifiers) {
        if (specifier.type === 'ExportSpecifier' && specifier.exportKind !== 'type') {
          syntax.localExports.set(moduleName(specifier.exported), specifier.local.name);
        }
      }
      return;
    }
    case 'ExportDefaultDeclaration': {
      const declaration = statement.declaration;
      const local =
        declaration.type === 'Identifier'
          ? declaration.name
          : (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id
            ? declaration.id.name
            : 'default';
      syntax.localExports.set('default', local);
      return;
    }
  }
}

/** Whether only spaces and tabs stand between `at` and the start of its line or a `;` before it. */
function startsStatement(code: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (code[i] === ' ' || code[i] === '\t')) i--;
  return i < 0 || code[i] === '\n' || code[i] === ';';
}

/** An import statement read from text alone, with its range in the code. */
export interface TextImport {
  start: number;
  end: number;
  source: string;
  names: Array<{ imported: string; local: string; typeOnly: boolean }>;
}

const IDENTIFIER = '[A-Za-z_$][\\w$]*';
const IMPORT_STATEMENT = new RegExp(
  `import(?:\\s+(type)(?=[\\s{*]))?\\s*(?:(${IDENTIFIER})\\s*(?:,\\s*)?)?(?:\\*\\s*as\\s+(${IDENTIFIER})|\\{([^{}]*)\\})?\\s*from\\s*(["'])([^"'\\n]+)\\5|import\\s*(["'])([^"'\\n]+)\\7`,
  'y',
);
const SPECIFIER = new RegExp(`^(type\\s+)?(${IDENTIFIER})(?:\\s+as\\s+(${IDENTIFIER}))?$`);

/**
 * The static import statements of a script's code, read without parsing it, for the cheap checks
 * that spare a parse. Undefined as soon as anything is unclear: every `import` in the code (in a
 * comment, a string, `import(…)` or `import.meta` too) must start a line (or follow a `;`), outside
 * a block comment, and begin a plain import statement; every name in braces must be a plain `name`,
 * `name as local` or `type name`.
 */
export function readImportsFromText(code: string): TextImport[] | undefined {
  const imports: TextImport[] = [];
  for (const keyword of code.matchAll(/(?<![\w$.])import(?![\w$])/g)) {
    // A statement starts its line, outside a block comment: `// import …` and `/* import … */` are not imports.
    if (!startsStatement(code, keyword.index) || (keyword.index >= 2 && code.lastIndexOf('/*', keyword.index - 2) > code.lastIndexOf('*/', keyword.index - 2))) return undefined;
    IMPORT_STATEMENT.lastIndex = keyword.index;
    const match = IMPORT_STATEMENT.exec(code);
    if (!match) return undefined;
    const [whole, typeKeyword, defaultName, namespace, list, , source, , sideEffectSource] = match;
    const typeOnly = Boolean(typeKeyword);
    const names: TextImport['names'] = [];
    if (defaultName) names.push({ imported: 'default', local: defaultName, typeOnly });
    if (namespace) names.push({ imported: '*', local: namespace, typeOnly });
    for (const item of list?.split(',') ?? []) {
      const trimmed = item.trim();
      if (trimmed === '') continue;
      const specifier = SPECIFIER.exec(trimmed);
      if (!specifier) return undefined;
      names.push({ imported: specifier[2]!, local: specifier[3] ?? specifier[2]!, typeOnly: typeOnly || Boolean(specifier[1]) });
    }
    imports.push({ start: keyword.index, end: keyword.index + whole.length, source: (source ?? sideEffectSource)!, names });
  }
  return imports;
}
