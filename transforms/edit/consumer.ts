/**
 * Rewrites a component's instance script: imported stateful names become one destructuring call
 * at the top level, so `$cart` in markup, `$:` statements and handlers keep working unchanged.
 *
 *   import { cart as c, addItem, TAX } from '$lib/cart';
 *     ->
 *   import { getCartContext, TAX } from '$lib/cart';
 *   const { cart: c, addItem } = getCartContext();
 */
import type { Node } from '@babel/types';
import type { ImportStatement } from '../analyse/module-syntax.js';
import type { ConsumerUse, ModulePlan } from '../plan.js';
import { unusedName, type CodeStyle } from '../text.js';
import { replaceImportClause, rewriteSpecifierList, statement, type ScriptEditor } from './script-edits.js';

/** Which accessor a component calls: `get…` everywhere, `init…` in the root layout. */
export type Accessor = 'get' | 'init';

export interface ContextCall {
  plan: ModulePlan;
  /** The local name the accessor is imported under. */
  callee: string;
  /** `bundleKey: local` pairs to destructure; empty for a bare call. */
  bindings: Array<{ key: string; local: string }>;
}

/**
 * Replaces the stateful specifiers of each import with the accessor and returns the calls the
 * script must make, in the order of the imports. The caller inserts them after the imports.
 */
export function rewriteConsumerImports(editor: ScriptEditor, uses: ConsumerUse[], accessor: Accessor): ContextCall[] {
  const taken = new Set<string>();
  const calls = new Map<ModulePlan, ContextCall>();

  const byStatement = new Map<ImportStatement, ConsumerUse[]>();
  for (const use of uses) {
    if (!byStatement.has(use.statement)) byStatement.set(use.statement, []);
    byStatement.get(use.statement)!.push(use);
  }
  const statements = [...byStatement.keys()].sort((a, b) => a.node.start! - b.node.start!);

  for (const importStatement of statements) {
    const usesBySpecifier = new Map<Node, ConsumerUse>(byStatement.get(importStatement)!.map((use) => [use.name.node, use]));
    const list: Array<Node | string> = [];
    for (const specifier of importStatement.node.specifiers) {
      const use = usesBySpecifier.get(specifier);
      if (!use) {
        if (specifier.type === 'ImportSpecifier') list.push(specifier);
        continue;
      }
      let call = calls.get(use.plan);
      if (!call) {
        // The accessor takes the place of the first name it replaces.
        const wanted = use.plan.names[accessor];
        const callee = unusedName(wanted, [editor.script.code], taken);
        taken.add(callee);
        call = { plan: use.plan, callee, bindings: [] };
        calls.set(use.plan, call);
        list.push(callee === wanted ? wanted : `${wanted} as ${callee}`);
      }
      if (!call.bindings.some((binding) => binding.local === use.name.local)) call.bindings.push({ key: use.bundleKey, local: use.name.local });
    }
    const keepsLeadingBinding = importStatement.node.specifiers.every((specifier) => specifier.type === 'ImportSpecifier' || !usesBySpecifier.has(specifier));
    if (keepsLeadingBinding) rewriteSpecifierList(editor, importStatement.node, list);
    else replaceImportClause(editor, importStatement.node, list);
  }
  return [...calls.values()];
}

/** `const { cart: c, addItem } = getCartContext();`, or a bare `initCartContext();`. */
export function contextCallLine(style: CodeStyle, call: ContextCall): string {
  if (call.bindings.length === 0) return statement(style, `${call.callee}()`);
  const pattern = call.bindings.map(({ key, local }) => (key === local ? key : `${key}: ${local}`)).join(', ');
  return statement(style, `const { ${pattern} } = ${call.callee}()`);
}
