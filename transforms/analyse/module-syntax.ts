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
          if (specifier.type === 'ExportNamespaceSpecifier') reExport.star = 'namespace';
          else if (specifier.type === 'ExportSpecifier') {
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
