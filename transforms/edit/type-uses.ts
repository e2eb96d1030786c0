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

/** A piece of text to put in place of [start, end) of the file: `CartContext['cart']` for `typeof cart`. */
export interface Replacement {
  start: number;
  end: number;
  text: string;
}

export interface TypeUseEdits {
  /**
   * What each import specifier of a type use becomes: the type's specifier (`CartContext`, or
   * `type CartContext` in a value import), or null where another specifier of the same statement
   * already brings it.
   */
  specifiers: Map<Node, string | null>;
  /** Every `typeof` of the imported names, as the context type. */
  queries: Replacement[];
}

/** The edits the type uses of one script need; the caller applies them. */
export function typeUseEdits(editor: ScriptEditor, uses: TypeUse[]): TypeUseEdits {
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

  const edits: TypeUseEdits = { specifiers: new Map(), queries: [] };
  const given = new Set<string>();
  for (const use of [...uses].sort((a, b) => a.name.node.start! - b.name.node.start!)) {
    const local = typeLocal(use.plan);
    for (const { node, path } of typeQueriesOf(editor.script.ast.program, use.name.local)) {
      edits.queries.push({ start: startOf(editor, node), end: endOf(editor, node), text: indexedType(editor, local, [use.bundleKey, ...path]) });
    }
    const statementKey = `${use.statement.node.start}:${local}`;
    const specifier = local === use.plan.names.type ? local : `${use.plan.names.type} as ${local}`;
    edits.specifiers.set(use.name.node, given.has(statementKey) ? null : isTypeImport(use.statement) ? specifier : `type ${specifier}`);
    given.add(statementKey);
  }
  return edits;
}

/** `CartContext['cart']['subscribe']`, in the file's quotes. */
export function indexedType(editor: Pick<ScriptEditor, 'style'>, type: string, path: string[]): string {
  const { quote } = editor.style;
  return type + path.map((key) => `[${quote}${key}${quote}]`).join('');
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
