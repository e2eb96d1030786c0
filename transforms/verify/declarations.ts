/**
 * Checks on the top level of each written script: no name declared twice (an import and a local
 * function, two imports), no name that was an import (hoisted, usable anywhere) and is now a
 * `const` used by a statement before it (a ReferenceError while the component initialises), and
 * no name left in use with its declaration or import gone.
 */
import type { Node, Statement } from '@babel/types';
import { declaredNames, freeReferences, patternNames, walk } from '../analyse/ast.js';
import type { ParsedFile } from '../analyse/parse.js';
import { lineColumn, mentionsWord } from '../text.js';
import type { SourceLocation } from '../types.js';

export interface DeclarationProblem extends SourceLocation {
  reason: string;
}

interface Declaration {
  name: string;
  kind: 'import' | 'local';
  /** Offset in the file. */
  at: number;
  /** The top-level statement and its position among the script's statements. */
  statement: Statement;
  order: number;
  scriptIndex: number;
}

/**
 * What the checks need of a file's top-level declarations before the run: how often each name is
 * declared, which names were imports, and every name bound at the top level (type-only imports too).
 */
export interface DeclarationsBefore {
  counts: Map<string, number>;
  imported: Set<string>;
  bound: Set<string>;
  /** The code of every top-level statement but imports. */
  statements: Set<string>;
}

export function declarationsBefore(before: ParsedFile | undefined): DeclarationsBefore {
  const declarations = before ? topLevelDeclarations(before) : [];
  return {
    counts: countByName(declarations),
    imported: new Set(declarations.filter((declaration) => declaration.kind === 'import').map((declaration) => declaration.name)),
    bound: new Set([...declarations.map((declaration) => declaration.name), ...(before ? typeOnlyImports(before) : [])]),
    statements: new Set(before ? topLevelStatements(before).map(({ code }) => unindented(code)) : []),
  };
}

/** Problems the run introduces in `after`, a written version of the file `before` describes. */
export function findDeclarationProblems(after: ParsedFile, before: DeclarationsBefore): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  const declarationsAfter = topLevelDeclarations(after);
  const at = (offset: number) => ({ file: after.path, ...lineColumn(after.text, offset) });

  const countBefore = before.counts;
  const seen = new Map<string, Declaration>();
  for (const declaration of declarationsAfter) {
    const first = seen.get(declaration.name);
    if (!first) {
      seen.set(declaration.name, declaration);
      continue;
    }
    if ((countBefore.get(declaration.name) ?? 0) > 1) continue; // declared twice already: not the run's doing
    problems.push({ ...at(declaration.at), reason: `\`${declaration.name}\` would be declared twice at the top level of this file (also at line ${lineColumn(after.text, first.at).line})` });
  }

  // Names that were imports before and are locals now: nothing above their declaration may use them.
  const importedBefore = before.imported;
  for (const declaration of declarationsAfter) {
    if (declaration.kind !== 'local' || !importedBefore.has(declaration.name)) continue;
    const script = after.scripts[declaration.scriptIndex]!;
    const uses = (statement: Statement) => {
      const { values } = freeReferences(statement);
      // In a component `$cart` reads the store `cart`.
      return values.has(declaration.name) || (after.isComponent && values.has(`$${declaration.name}`));
    };
    const earlier = script.ast.program.body.slice(0, declaration.order).find((statement) => statement.type !== 'ImportDeclaration' && uses(statement));
    if (earlier) {
      problems.push({ ...at(script.offset + earlier.start!), reason: `this statement uses \`${declaration.name}\` before the line that now declares it (line ${lineColumn(after.text, declaration.at).line})` });
    }
  }
  problems.push(...unboundNames(after, before, declarationsAfter));
  problems.push(...mergedStatements(after, before));
  return problems;
}

/**
 * Statements of the file that a line the run put before them swallowed: without semicolons,
 * `const { cart } = getCartContext()` followed by `[1, 2].forEach(…)` is one statement that indexes
 * the call's result. It parses, so only this tells: a statement now ends with a whole statement
 * of before (and is not one itself), with more than `export` in front of it. Statements that moved
 * into a function (`create…Context()`) are read there.
 */
function mergedStatements(after: ParsedFile, before: DeclarationsBefore): DeclarationProblem[] {
  if (before.statements.size === 0) return [];
  const problems: DeclarationProblem[] = [];
  for (const statement of topLevelStatements(after, { functionBodies: true })) {
    // (Moved code is indented one level more: lines are compared without their indentation.)
    const code = unindented(statement.code);
    if (before.statements.has(code)) continue;
    for (const swallowed of before.statements) {
      if (code.length <= swallowed.length || !code.endsWith(swallowed)) continue;
      if (/^\s*(?:export(?:\s+default)?|declare)\s*$/.test(code.slice(0, -swallowed.length))) continue;
      problems.push({ file: after.path, ...lineColumn(after.text, statement.offset), reason: `the statement \`${firstLine(swallowed)}\` would run into the code the run puts before it (\`${firstLine(code)}\`), which changes what it does` });
      break;
    }
  }
  return problems;
}

const unindented = (code: string): string => code.replace(/\n[ \t]+/g, '\n');

const firstLine = (code: string): string => {
  const line = code.trim().split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
};

/**
 * The code of each top-level statement but imports, with its offset in the file; with
 * `functionBodies`, also of each statement in a top-level function's body (moved code lands in `create…Context()`).
 */
function topLevelStatements(file: ParsedFile, { functionBodies = false } = {}): Array<{ code: string; offset: number }> {
  return file.scripts.flatMap((script) => {
    const of = (statement: Statement) => ({ code: script.code.slice(statement.start!, statement.end!), offset: script.offset + statement.start! });
    return script.ast.program.body.flatMap((statement) => {
      if (statement.type === 'ImportDeclaration') return [];
      const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
      const body = functionBodies && declaration?.type === 'FunctionDeclaration' ? declaration.body.body : [];
      return [of(statement), ...body.map(of)];
    });
  });
}

/**
 * Names the run left unbound: declared or imported at the top level before, still used after
 * (as a value, `$name`, or in `typeof name`), and declared nowhere at the top level any more. An
 * import taken away while a use of it stays would fail to compile or type-check.
 */
function unboundNames(after: ParsedFile, before: DeclarationsBefore, declarationsAfter: Declaration[]): DeclarationProblem[] {
  const boundAfter = new Set([...declarationsAfter.map((declaration) => declaration.name), ...typeOnlyImports(after)]);
  // Only a name bound before and not after can be left unbound: most written files have none, and
  // only statements whose text names one need their references read.
  const unbound = [...before.bound].filter((name) => !boundAfter.has(name));
  if (unbound.length === 0) return [];
  const reported = new Set<string>();
  const problems: DeclarationProblem[] = [];
  for (const script of after.scripts) {
    for (const statement of script.ast.program.body) {
      if (statement.type === 'ImportDeclaration') continue;
      // (An identifier may be spelled with escapes, `\u0063art`, which a text search cannot see.)
      const code = script.code.slice(statement.start!, statement.end!);
      if (!code.includes('\\u') && !unbound.some((name) => mentionsWord(code, name) || mentionsWord(code, `$${name}`))) continue;
      const { values, typeQueries, identifiers } = freeReferences(statement);
      // (`typeof name` is read without scopes: a name declared inside the statement, a parameter of
      // `create…Context({ cart })`, may be what it names.)
      const declaredInside = namesDeclaredIn(statement);
      for (const used of [...values, ...[...typeQueries].filter((name) => !declaredInside.has(name))]) {
        // In a component `$cart` reads the store `cart`.
        const name = after.isComponent && used.startsWith('$') && !before.bound.has(used) ? used.slice(1) : used;
        if (!before.bound.has(name) || boundAfter.has(name) || reported.has(name)) continue;
        reported.add(name);
        const node = identifiers.find((identifier) => identifier.name === used) ?? statement;
        problems.push({ file: after.path, ...lineColumn(after.text, script.offset + node.start!), reason: `\`${name}\` is used here, but the run would leave it declared nowhere in this file` });
      }
    }
  }
  return problems;
}

/** Every name declared anywhere inside a statement: variables, functions, classes, parameters, catch clauses. */
function namesDeclaredIn(statement: Statement): Set<string> {
  const names = new Set<string>();
  walk(statement, (node) => {
    if (node.type === 'VariableDeclarator') for (const name of patternNames(node.id)) names.add(name);
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) names.add(node.id.name);
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'ObjectMethod' || node.type === 'ClassMethod') {
      for (const param of node.params) for (const name of patternNames(param as Node)) names.add(name);
    }
    if (node.type === 'CatchClause' && node.param) for (const name of patternNames(node.param)) names.add(name);
  });
  return names;
}

/** Names a file's `import type` statements and specifiers bring in. */
function typeOnlyImports(file: ParsedFile): string[] {
  return file.scripts.flatMap((script) =>
    script.ast.program.body.flatMap((statement) =>
      statement.type !== 'ImportDeclaration'
        ? []
        : statement.specifiers.filter((specifier) => statement.importKind === 'type' || statement.importKind === 'typeof' || (specifier.type === 'ImportSpecifier' && (specifier.importKind === 'type' || specifier.importKind === 'typeof'))).map((specifier) => specifier.local.name),
    ),
  );
}

/** Value declarations at the top level of a file (a component's scripts share one top level). */
function topLevelDeclarations(file: ParsedFile): Declaration[] {
  const declarations: Declaration[] = [];
  file.scripts.forEach((script, scriptIndex) => {
    script.ast.program.body.forEach((statement, order) => {
      const add = (name: string, kind: Declaration['kind'], node: Node) => declarations.push({ name, kind, at: script.offset + node.start!, statement, order, scriptIndex });
      if (statement.type === 'ImportDeclaration') {
        if (statement.importKind === 'type' || statement.importKind === 'typeof') return;
        for (const specifier of statement.specifiers) {
          if (specifier.type === 'ImportSpecifier' && (specifier.importKind === 'type' || specifier.importKind === 'typeof')) continue;
          add(specifier.local.name, 'import', specifier);
        }
        return;
      }
      const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
      if (!declaration || declaration.type === 'TSDeclareFunction' || (declaration as { declare?: boolean }).declare) return;
      for (const name of declaredNames(declaration)) add(name, 'local', declaration);
    });
  });
  return declarations;
}

function countByName(declarations: Declaration[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { name } of declarations) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
