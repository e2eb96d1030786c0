/**
 * The root layout inits every migrated module first thing in its instance script, so each request
 * gets fresh state before any page or component asks for it. The layout (or its script) is created
 * when missing; where the layout itself uses a store it destructures from the init call.
 */
import type { Node } from '@babel/types';
import type { Project } from '../analyse/project.js';
import { layoutSpecifier } from '../init-import.js';
import type { ConsumerUse, ModulePlan } from '../plan.js';
import { detectStyle, newFileStyle, unusedName, type CodeStyle } from '../text.js';
import { contextCallLine, rewriteConsumerImports, type ContextCall } from './consumer.js';
import { insertAfterImports, namesInUse, quoted, statement } from './script-edits.js';
import type { FileEdits } from './file-edits.js';

/** Adds the init calls for `plans` (in init order) to the root layout, creating what is missing. */
export function initInRootLayout(edits: FileEdits, plans: ModulePlan[], uses: ConsumerUse[], project: Project, typeSpecifiers: ReadonlyMap<Node, string | null>): void {
  const path = project.rootLayout;
  const layout = edits.index.get(path);
  const instance = layout?.scripts.find((script) => script.kind === 'instance');

  if (layout && instance) {
    const editor = edits.editor(layout, instance);
    const rewrite = rewriteConsumerImports(editor, uses, 'init', typeSpecifiers);
    const { imports, lines } = initLines(editor.style, namesInUse(editor), plans, rewrite.calls, (plan) => layoutSpecifier(plan, edits.index));
    insertAfterImports(editor, [...rewrite.imports, ...imports, '', ...lines]);
    return;
  }

  const existing = edits.files.get(path);
  const settings = project.style;
  // A new layout (or a new script in a layout of markup only, which shows no habits of its own)
  // follows the app's settings, else writes like the first store module it inits.
  const modelStyle = newFileStyle(edits.files.get(plans[0]!.module.file) ?? '', settings, project.usualIndent);
  const style = existing === undefined ? modelStyle : detectStyle(existing, modelStyle);
  const { imports, lines } = initLines(style, new Set(), plans, [], (plan) => layoutSpecifier(plan, edits.index));
  const { eol, indent } = style;
  const body = [...imports, '', ...lines];
  if (existing === undefined && project.svelteMajor >= 5) body.push('', statement(style, 'let { children } = $props()'));
  const open = project.typescript ? '<script lang="ts">' : '<script>';
  const script = [open, ...body.map((line) => (line ? indent + line : '')), '</script>'].join(eol);

  if (existing === undefined) {
    const markup = project.svelteMajor >= 5 ? '{@render children()}' : '<slot />';
    edits.create(path, script + eol + eol + markup + eol);
    return;
  }
  // A layout with markup only: the new script goes first (after a module script, if any).
  const at = layout?.instanceInsertAt ?? 0;
  edits.forFile(path).appendLeft(at, at === 0 ? script + eol + eol : eol + eol + script);
}

function initLines(
  style: CodeStyle,
  namesInLayout: Iterable<string>,
  plans: ModulePlan[],
  calls: ContextCall[],
  specifierOf: (plan: ModulePlan) => string,
): { imports: string[]; lines: string[] } {
  // Inits reached through one specifier (a workspace package's entry) share one import.
  const importedBySpecifier = new Map<string, string[]>();
  const lines: string[] = [];
  const taken = new Set(calls.map((call) => call.callee));
  for (const plan of plans) {
    const existing = calls.filter((candidate) => candidate.plan === plan);
    if (existing.length > 0) {
      lines.push(...existing.map((call) => contextCallLine(style, call)));
      continue;
    }
    const callee = unusedName(plan.names.init, [], new Set([...namesInLayout, ...taken]));
    taken.add(callee);
    const specifier = callee === plan.names.init ? callee : `${plan.names.init} as ${callee}`;
    const source = specifierOf(plan);
    importedBySpecifier.set(source, [...(importedBySpecifier.get(source) ?? []), specifier]);
    lines.push(contextCallLine(style, { plan, callee, bindings: [] }));
  }
  const imports = [...importedBySpecifier].map(([source, names]) => statement(style, `import { ${names.join(', ')} } from ${quoted(style, source)}`));
  return { imports, lines };
}
