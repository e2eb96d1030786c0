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
import { endOf, namesInUse, replaceImportClause, rewriteSpecifierList, startOf, statement, type ScriptEditor } from './script-edits.js';

/** Which accessor a script calls: `get…` in components, `init…` in the root layout, `create…` in tests (state of their own). */
export type Accessor = 'get' | 'init' | 'create';

export interface ContextCall {
  plan: ModulePlan;
  /** The local name the accessor is imported under. */
  callee: string;
  /** `bundleKey: local` pairs to destructure; empty for a bare call. */
  bindings: Array<{ key: string; local: string }>;
  /** For a namespace import: the object it becomes, spreading the renamed namespace and the bundle. */
  namespace?: { local: string; module: string };
  /** Destructure from this local (a namespace object holding the bundle) instead of calling again. */
  from?: string;
}

export interface ConsumerRewrite {
  calls: ContextCall[];
  /** New import lines for accessors that no existing import could carry (next to a namespace import). */
  imports: string[];
}

/**
 * Replaces the stateful specifiers of each import with the accessor and returns the calls the
 * script must make, in the order of the imports. The caller inserts them after the imports.
 * A namespace import keeps working as an object: `import * as n` becomes `import * as nModule`
 * plus `const n = { ...nModule, ...getCartContext() }`.
 */
export function rewriteConsumerImports(editor: ScriptEditor, uses: ConsumerUse[], accessor: Accessor, typeSpecifiers: ReadonlyMap<Node, string | null> = new Map()): ConsumerRewrite {
  const taken = new Set<string>();
  const calls = new Map<ModulePlan, ContextCall>();
  const namespaceCalls: ContextCall[] = [];
  const imports: string[] = [];
  const importAs = (wanted: string): { callee: string; specifier: string } => {
    const callee = unusedName(wanted, [], namesInUse(editor, taken));
    taken.add(callee);
    return { callee, specifier: callee === wanted ? wanted : `${wanted} as ${callee}` };
  };

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
      const typeSpecifier = typeSpecifiers.get(specifier);
      if (typeSpecifier !== undefined) {
        if (typeSpecifier !== null) list.push(typeSpecifier);
        continue;
      }
      if (!use) {
        if (specifier.type === 'ImportSpecifier') list.push(specifier);
        continue;
      }
      if (use.name.imported === '*') {
        const module = unusedName(`${use.name.local}Module`, [], namesInUse(editor, taken));
        taken.add(module);
        editor.edits.overwrite(startOf(editor, specifier.local), endOf(editor, specifier.local), module);
        namespaceCalls.push({ plan: use.plan, callee: '', bindings: [], namespace: { local: use.name.local, module } });
        continue;
      }
      let call = calls.get(use.plan);
      if (!call) {
        // The accessor takes the place of the first name it replaces.
        const { callee, specifier: imported } = importAs(use.plan.names[accessor]);
        call = { plan: use.plan, callee, bindings: [] };
        calls.set(use.plan, call);
        list.push(imported);
      }
      if (!call.bindings.some((binding) => binding.local === use.name.local)) call.bindings.push({ key: use.bundleKey, local: use.name.local });
    }
    const dropsLeadingBinding = importStatement.node.specifiers.some((specifier) => specifier.type === 'ImportDefaultSpecifier' && (usesBySpecifier.has(specifier) || typeSpecifiers.has(specifier)));
    if (dropsLeadingBinding) replaceImportClause(editor, importStatement.node, list);
    else if (list.length !== importStatement.node.specifiers.filter((specifier) => specifier.type === 'ImportSpecifier').length || list.some((item) => typeof item === 'string')) {
      rewriteSpecifierList(editor, importStatement.node, list);
    }
  }

  // The accessor runs once per module: named imports of a module also imported as a namespace
  // destructure from the namespace object.
  for (const call of namespaceCalls) {
    const named = calls.get(call.plan);
    if (named && !named.from) {
      call.callee = named.callee;
      named.from = call.namespace!.local;
    } else if (named) {
      call.callee = named.callee;
    } else {
      const { callee, specifier } = importAs(call.plan.names[accessor]);
      call.callee = callee;
      const source = uses.find((use) => use.plan === call.plan && use.name.imported === '*')!.statement.node.source;
      imports.push(statement(editor.style, `import { ${specifier} } from ${editor.text.slice(startOf(editor, source), endOf(editor, source))}`));
      calls.set(call.plan, { plan: call.plan, callee, bindings: [], from: call.namespace!.local });
    }
  }
  const bindingCalls = [...calls.values()].filter((call) => call.bindings.length > 0);
  return { calls: [...namespaceCalls, ...bindingCalls], imports };
}

/** `const { cart: c, addItem } = getCartContext();`, a bare `initCartContext();`, or a namespace object. */
export function contextCallLine(style: CodeStyle, call: ContextCall): string {
  if (call.namespace) return statement(style, `const ${call.namespace.local} = { ...${call.namespace.module}, ...${call.callee}() }`);
  if (call.bindings.length === 0) return statement(style, `${call.callee}()`);
  const pattern = call.bindings.map(({ key, local }) => (key === local ? key : `${key}: ${local}`)).join(', ');
  return statement(style, `const { ${pattern} } = ${call.from ?? `${call.callee}()`}`);
}
