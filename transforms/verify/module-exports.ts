/**
 * What a module exports, values and types alike, read from its syntax tree: the names an
 * `import { … }`, `import type { … }` or `export { … } from` of it may ask for.
 */
import type { Statement } from '@babel/types';
import { declaredNames } from '../analyse/ast.js';
import type { ParsedFile } from '../analyse/parse.js';

export interface ExportSet {
  names: Set<string>;
  /** Some names cannot be told (`export *` from a package, `export =`): any name may be there. */
  open: boolean;
}

/** A module's exports as its own text gives them: its names, and the sources of its `export *`, not yet followed. */
export interface ExportFacts {
  names: Set<string>;
  stars: string[];
  /** `export =`: any name may be there. */
  open: boolean;
}

export function exportFacts(file: ParsedFile): ExportFacts {
  const facts: ExportFacts = { names: new Set(), stars: [], open: false };
  if (file.isComponent) facts.names.add('default');
  for (const script of file.scripts) {
    if (script.kind === 'instance') continue;
    for (const statement of script.ast.program.body) addExports(statement, facts);
  }
  return facts;
}

/**
 * The module's exports. `resolveStar` gives the exports of an `export * from` source (undefined
 * when it is not a file of the app); `default` never comes through a star.
 */
export function moduleExports(facts: ExportFacts, resolveStar: (source: string) => ExportSet | undefined): ExportSet {
  const exports: ExportSet = { names: new Set(facts.names), open: facts.open };
  for (const source of facts.stars) {
    const star = resolveStar(source);
    if (!star) exports.open = true;
    else {
      for (const name of star.names) if (name !== 'default') exports.names.add(name);
      exports.open ||= star.open;
    }
  }
  return exports;
}

function addExports(statement: Statement, facts: ExportFacts): void {
  switch (statement.type) {
    case 'ExportNamedDeclaration':
      if (statement.declaration) for (const name of exportedDeclarationNames(statement.declaration)) facts.names.add(name);
      for (const specifier of statement.specifiers) {
        const exported = specifier.exported;
        facts.names.add(exported.type === 'Identifier' ? exported.name : exported.value);
      }
      return;
    case 'ExportDefaultDeclaration':
      facts.names.add('default');
      return;
    case 'ExportAllDeclaration':
      facts.stars.push(statement.source.value);
      return;
    case 'TSExportAssignment':
      facts.open = true;
      return;
  }
}

function exportedDeclarationNames(declaration: Statement): string[] {
  switch (declaration.type) {
    case 'TSTypeAliasDeclaration':
    case 'TSInterfaceDeclaration':
    case 'TSDeclareFunction':
      return declaration.id ? [declaration.id.name] : [];
    case 'TSModuleDeclaration':
      return declaration.id.type === 'Identifier' ? [declaration.id.name] : [];
    default:
      return declaredNames(declaration);
  }
}
