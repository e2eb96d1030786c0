/**
 * Unit tests after the migration: what they import from a store module they get from its
 * exported `create…Context()`, as state of their own, and `import('./cart')` gives the module
 * together with such state.
 */
import type { Node } from '@babel/types';
import type { ParsedFile, Script } from '../analyse/parse.js';
import { importSpecifier } from '../analyse/resolve.js';
import type { SourceIndex } from '../analyse/source-index.js';
import type { RenderOutsideLayout } from '../outside-layout.js';
import { initOrder, type ConsumerUse, type ModulePlan } from '../plan.js';
import { unusedName } from '../text.js';
import { contextCallLine, rewriteConsumerImports } from './consumer.js';
import type { FileEdits } from './file-edits.js';
import { insertAfterImports, namesInUse, quoted, statement, type ScriptEditor } from './script-edits.js';

/**
 * Rewrites every test's imports of state, and its dynamic imports of store modules. Returns, per
 * test script, what a render of a component reading that state hands it (`giveTestsTheirContext`).
 */
export function rewriteTests(
  edits: FileEdits,
  migrating: ModulePlan[],
  usesByFile: Map<ParsedFile, ConsumerUse[]>,
  renders: RenderOutsideLayout[],
  parametersOf: ReadonlyMap<ModulePlan, ModulePlan[]>,
  typeSpecifiers: ReadonlyMap<Node, string | null>,
  index: SourceIndex,
): Map<Script, Map<ModulePlan, string>> {
  const createdByTests = new Map<Script, Map<ModulePlan, string>>();
  for (const uses of usesByFile.values()) {
    const editor = edits.editor(uses[0]!.file, uses[0]!.script);
    const rendered = new Set(renders.filter((render) => render.option && render.script === editor.script).flatMap((render) => render.plans));
    createdByTests.set(editor.script, giveTestStateOfItsOwn(editor, uses, rendered, parametersOf, typeSpecifiers, index));
  }
  // `await import('./cart')` in a test: the module, with the state `createCartContext()` makes.
  for (const plan of migrating) {
    for (const { file, script, node } of plan.testImports) {
      edits.editor(file, script).edits.appendLeft(script.offset + node.end!, `.then((module) => ({ ...module, ...module.${plan.names.create}() }))`);
    }
  }
  return createdByTests;
}

/**
 * A unit test's imports of state become state of its own: `const { cart } = createCartContext();`.
 * A module whose state needs other modules' gets theirs handed in, made first, and a component
 * the test renders gets the same state the test uses, as the module gave them both before:
 *
 *   const cartContext = createCartContext();
 *   const checkoutContext = createCheckoutContext(cartContext);
 *   const { cart } = cartContext;
 *
 * Returns, per module, what the render option hands over (a bundle, or a call).
 */
function giveTestStateOfItsOwn(editor: ScriptEditor, uses: ConsumerUse[], rendered: ReadonlySet<ModulePlan>, parametersOf: ReadonlyMap<ModulePlan, ModulePlan[]>, typeSpecifiers: ReadonlyMap<Node, string | null>, index: SourceIndex): Map<ModulePlan, string> {
  const { calls, imports } = rewriteConsumerImports(editor, uses, 'create', typeSpecifiers);
  const direct = new Map(calls.map((call) => [call.plan, call.callee]));
  const needed = initOrder(calls.map((call) => call.plan));
  const isParameter = new Set(needed.flatMap((plan) => parametersOf.get(plan) ?? []));
  const taken = new Set<string>();
  const fresh = (wanted: string) => {
    const name = unusedName(wanted, [], namesInUse(editor, taken));
    taken.add(name);
    return name;
  };
  const newImports: string[] = [];
  const bundles = new Map<ModulePlan, string>();
  const lines: string[] = [];
  for (const plan of needed) {
    const parameters = parametersOf.get(plan) ?? [];
    if (parameters.length === 0 && !isParameter.has(plan) && !rendered.has(plan)) continue;
    let create = direct.get(plan);
    if (!create) {
      create = fresh(plan.names.create);
      newImports.push(statement(editor.style, `import { ${create === plan.names.create ? create : `${plan.names.create} as ${create}`} } from ${quoted(editor.style, importSpecifier(uses[0]!.file.path, plan.module.file, index.project, index.files))}`));
    }
    const bundle = fresh(plan.names.type[0]!.toLowerCase() + plan.names.type.slice(1));
    lines.push(statement(editor.style, `const ${bundle} = ${create}(${parameters.map((parameter) => bundles.get(parameter)!).join(', ')})`));
    bundles.set(plan, bundle);
  }
  for (const call of calls) {
    const bundle = bundles.get(call.plan);
    if (bundle && call.namespace) lines.push(statement(editor.style, `const ${call.namespace.local} = { ...${call.namespace.module}, ...${bundle} }`));
    else lines.push(contextCallLine(editor.style, bundle && !call.from ? { ...call, from: bundle } : call));
  }
  insertAfterImports(editor, [...imports, ...newImports, '', ...lines]);
  return new Map([...rendered].flatMap((plan) => (bundles.has(plan) ? [[plan, bundles.get(plan)!] as const] : direct.has(plan) ? [[plan, `${direct.get(plan)}()`] as const] : [])));
}
