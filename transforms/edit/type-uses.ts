/**
 * Imports of a stateful export used only as a type become the context's type, so that type
 * annotations keep meaning what they meant:
 *
 *   import type { cart } from '$lib/cart';        import type { CartContext } from '$lib/cart';
 *   let items: typeof cart;                  ->   let items: CartContext['cart'];
 */
import type { Node } from '@babel/types';
import { typeQueriesOf } from '../analyse/ast.js';
import type { ImportStatement } from '../analyse/module-syntax.js';
import type { ModulePlan, TypeUse } from '../plan.js';
import { unusedName } from '../text.js';
import { endOf, namesInUse, replaceImportClause, rewriteSpecifierList, startOf, type ScriptEditor } from './script-edits.js';

/**
 * What each import specifier of a type use becomes: the type's specifier (`CartContext`, or
 * `type CartContext` in a value import), or null where another specifier of the same statement
 * already brings it. Rewrites every `typeof` of the imported names on the way.
 */
export function rewriteTypeQueries(editor: ScriptEditor, uses: TypeUse[]): Map<Node, string | null> {
  const { style } = editor;
  const typeLocals = new Map<ModulePlan, string>();
  const taken = new Set<string>();
  const typeLocal = (plan: ModulePlan): string => {
    let local = typeLocals.get(plan);
    if (!local) {
      local = unusedName(plan.names.type, [], namesInUse(editor, taken));
      taken.add(local);
      typeLocals.set(plan, local);
    }
    return local;
  };

  const replacements = new Map<Node, string | null>();
  const given = new Set<string>();
  for (const use of [...uses].sort((a, b) => a.name.node.start! - b.name.node.start!)) {
    const local = typeLocal(use.plan);
    for (const { node, path } of typeQueriesOf(editor.script.ast.program, use.name.local)) {
      const indexed = [use.bundleKey, ...path].map((key) => `[${style.quote}${key}${style.quote}]`).join('');
      editor.edits.overwrite(startOf(editor, node), endOf(editor, node), `${local}${indexed}`);
    }
    const statementKey = `${use.statement.node.start}:${local}`;
    const specifier = local === use.plan.names.type ? local : `${use.plan.names.type} as ${local}`;
    replacements.set(use.name.node, given.has(statementKey) ? null : isTypeImport(use.statement) ? specifier : `type ${specifier}`);
    given.add(statementKey);
  }
  return replacements;
}

/** Rewrites an import statement whose only changes are type uses. */
export function replaceTypeSpecifiers(editor: ScriptEditor, statement: ImportStatement, replacements: ReadonlyMap<Node, string | null>): void {
  const list: Array<Node | string> = [];
  let dropsLeadingBinding = false;
  for (const specifier of statement.node.specifiers) {
    const replacement = replacements.get(specifier);
    if (replacement === undefined) {
      if (specifier.type === 'ImportSpecifier') list.push(specifier);
      continue;
    }
    if (specifier.type !== 'ImportSpecifier') dropsLeadingBinding = true;
    if (replacement !== null) list.push(replacement);
  }
  if (dropsLeadingBinding) replaceImportClause(editor, statement.node, list);
  else rewriteSpecifierList(editor, statement.node, list);
}

const isTypeImport = (statement: ImportStatement): boolean => statement.node.importKind === 'type';
