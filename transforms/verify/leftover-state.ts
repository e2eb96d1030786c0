/**
 * A migrated module keeps no state at module level: after the run, nothing at its top level
 * (outside the generated `create…`, `init…` and `get…`) makes a store or rune state when the
 * module loads. An independent look at the output, so that a module is reported migrated only
 * when the leak is really gone.
 */
import type { Statement } from '@babel/types';
import { declaredNames } from '../analyse/ast.js';
import type { ParsedFile } from '../analyse/parse.js';
import type { SourceIndex } from '../analyse/source-index.js';
import { eagerCreation, isRunesModulePath, recogniseStoreCalls } from '../analyse/store-calls.js';
import type { ModulePlan } from '../plan.js';
import { lineColumn } from '../text.js';
import type { Blocker } from '../types.js';

export function leftoverState(after: ParsedFile, plan: ModulePlan, index: SourceIndex): Blocker | undefined {
  const script = after.scripts[0];
  if (!script) return undefined;
  const body = script.ast.program.body;
  // Factories imported from other modules are the planning's business; this look needs no resolving.
  const { creatorOf } = recogniseStoreCalls(body, index.syntax(script), () => undefined, isRunesModulePath(after.path));
  const generated = new Set([plan.names.create, plan.names.init, plan.names.get]);
  // Stores that never change stay on purpose (`skipped` unless --all).
  const constants = new Set(plan.module.constantStores.map((exported) => index.syntax(plan.module.script).localExports.get(exported) ?? exported));
  for (const statement of body) {
    if (isGenerated(statement, generated) || declaredNames(statement).some((name) => constants.has(name))) continue;
    const made = eagerCreation(statement, creatorOf);
    if (!made) continue;
    return {
      file: after.path,
      ...lineColumn(after.text, script.offset + made.call.start!),
      reason: 'state would still be made here at module level after the migration, shared by every request; hold it in an exported `const` the migration can move, then run again',
    };
  }
  return undefined;
}

function isGenerated(statement: Statement, generated: Set<string>): boolean {
  const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
  if (declaration?.type === 'FunctionDeclaration') return generated.has(declaration.id?.name ?? '');
  // `const [getCartContext, setCartContext] = createContext()` in the create-context style.
  return declaration?.type === 'VariableDeclaration' && declaration.declarations.every((declarator) => declarator.id.type === 'ArrayPattern');
}
