/**
 * Places that render a migrated consumer outside the root layout: component tests and `mount()`,
 * `hydrate()`, `render()` or `new Component()` calls. After migration such a component asks for
 * context nobody set, so the report lists each place with the init calls it now needs. A unit
 * test's plain `render(Component)` is given the `context` option instead.
 */
import type { Node } from '@babel/types';
import { walk } from './analyse/ast.js';
import { isComponentPath, isScriptPath } from './analyse/parse.js';
import { importSpecifier } from './analyse/resolve.js';
import type { SourceIndex } from './analyse/source-index.js';
import type { ModulePlan } from './plan.js';
import { lineColumn } from './text.js';
import type { ContextNeed } from './types.js';
import type { ParsedFile, Script } from './analyse/parse.js';
import { keyModuleFor } from './analyse/project.js';
import { isTestFile } from './analyse/store-modules.js';
import type { FileEdits } from './edit/file-edits.js';
import { insertAfterImports, quoted, statement, type ScriptEditor } from './edit/script-edits.js';

const RENDER_CALLS = new Set(['mount', 'hydrate', 'render']);

/** One place rendering a migrated consumer by hand, with what it needs. */
export interface RenderOutsideLayout {
  need: ContextNeed;
  file: ParsedFile;
  script: Script;
  call: Node;
  plans: ModulePlan[];
  /**
   * In a unit test, with Symbol keys (key-module style) and modules that make their state on their
   * own: the `context` render option that sets it all up, and the imports it takes.
   */
  option?: { text: string; imports: Array<{ name: string; from: string; creates?: ModulePlan }> };
}

export function findRendersOutsideLayout(index: SourceIndex, migrating: ModulePlan[]): RenderOutsideLayout[] {
  if (migrating.length === 0) return [];
  const needsOf = contextNeeds(index, migrating);
  const found: RenderOutsideLayout[] = [];

  for (const [path, text] of index.files) {
    // Cheap text check first: a default import of a component, and a call that may render it.
    if (!(isScriptPath(path) || isComponentPath(path)) || !/\bimport\s+[\w$]+\s+from\s*['"][^'"]+\.svelte['"]/.test(text)) continue;
    if (!/\b(?:mount|hydrate|render)\s*\(|\bnew\s+[A-Z]/.test(text)) continue;
    const file = index.get(path);
    for (const script of file?.scripts ?? []) {
      const components = new Map<string, string>();
      for (const statement of index.syntax(script).imports) {
        const target = index.resolve(statement.source, path);
        const defaultImport = statement.names.find((name) => name.imported === 'default');
        if (target && defaultImport && isComponentPath(target)) components.set(defaultImport.local, target);
      }
      if (components.size === 0) continue;
      walk(script.ast.program, (node) => {
        const rendered = renderedComponent(node);
        const component = rendered && components.get(rendered);
        const plans = component ? needsOf(component) : [];
        if (plans.length === 0) return;
        const option = isTestFile(path) && index.project.contextStyle === 'key-module' && plans.every((plan) => plan.dependencies.length === 0) ? contextOption(path, plans, index) : undefined;
        const inits = plans.map((plan) => `${plan.names.init}() from ${importSpecifier(path, plan.module.file, index.project, index.files)}`).join(', ');
        const imports = option && [...new Set(option.imports.map((entry) => entry.from))].map((from) => `${option.imports.filter((entry) => entry.from === from).map((entry) => entry.name).join(', ')} from ${from}`).join(', ');
        found.push({
          need: {
            file: path,
            ...lineColumn(file!.text, script.offset + node.start!),
            component: component!,
            needs: plans.map((plan) => plan.names.init),
            reason: option
              ? `renders ${component} outside the root layout, so nothing sets the context it now reads; give it its context with the render option \`${option.text}\` (importing ${imports})`
              : `renders ${component} outside the root layout, so nothing sets the context it now reads; render it inside a small wrapper component whose script first calls ${inits}`,
          },
          file: file!,
          script,
          call: node,
          plans,
          ...(option ? { option } : {}),
        });
      });
    }
  }
  return found.sort((a, b) => a.need.file.localeCompare(b.need.file) || a.need.line - b.need.line || a.need.column - b.need.column);
}

/** The option's text; `made` names the state a test made already, where it did (`cartContext`). */
function contextOptionText(plans: ModulePlan[], made?: ReadonlyMap<ModulePlan, string>): string {
  return `context: new Map([${plans.map((plan) => `[${plan.names.key}, ${made?.get(plan) ?? `${plan.names.create}()`}]`).join(', ')}])`;
}

/** `context: new Map([[CART_CONTEXT, createCartContext()]])`: each module's state, made for this render, under its key. */
function contextOption(path: string, plans: ModulePlan[], index: SourceIndex): RenderOutsideLayout['option'] {
  const { project, files } = index;
  return {
    text: contextOptionText(plans),
    imports: plans.flatMap((plan) => [
      { name: plan.names.key, from: importSpecifier(path, keyModuleFor(project, plan.module.file), project, files) },
      { name: plan.names.create, from: importSpecifier(path, plan.module.file, project, files), creates: plan },
    ]),
  };
}

/**
 * Rewrites the plain renders among them to pass the context option, importing what it names:
 * `render(Header)` (one argument: a second one may be props, not options), and `mount`/`hydrate`
 * with an options object that sets no context yet. Returns the renders left for a person, whose
 * report line gives the option to add.
 */
export function giveTestsTheirContext(edits: FileEdits, renders: RenderOutsideLayout[], createdBy: ReadonlyMap<Script, ReadonlyMap<ModulePlan, string>>): RenderOutsideLayout[] {
  const left: RenderOutsideLayout[] = [];
  const importsByScript = new Map<Script, { editor: ScriptEditor; imports: Map<string, Set<string>> }>();
  for (const render of renders) {
    const call = render.call;
    // A test that made the state for its own uses hands the component that same state.
    const created = createdBy.get(render.script);
    const text = contextOptionText(render.plans, created);
    const edit = render.option && call.type === 'CallExpression' ? optionEdit(call, text) : undefined;
    if (!edit) {
      left.push(render);
      continue;
    }
    const entry = importsByScript.get(render.script) ?? { editor: edits.editor(render.file, render.script), imports: new Map<string, Set<string>>() };
    importsByScript.set(render.script, entry);
    entry.editor.edits.appendLeft(render.script.offset + edit.at, edit.text);
    for (const { name, from, creates } of render.option!.imports) {
      if (!(creates && created?.has(creates))) entry.imports.set(from, (entry.imports.get(from) ?? new Set()).add(name));
    }
  }
  for (const { editor, imports } of importsByScript.values()) {
    insertAfterImports(editor, [...imports].map(([from, names]) => statement(editor.style, `import { ${[...names].join(', ')} } from ${quoted(editor.style, from)}`)), { beforeEarlierInserts: true });
  }
  return left;
}

/**
 * What a component needs set up after migration: the modules it reads itself, and those of every
 * component it imports, found by walking down from the components that are rendered by hand (only
 * those are parsed).
 */
function contextNeeds(index: SourceIndex, migrating: ModulePlan[]): (component: string) => ModulePlan[] {
  const direct = new Map<string, Set<ModulePlan>>();
  for (const plan of migrating) {
    for (const use of plan.consumers) if (use.file.path !== index.project.rootLayout) direct.set(use.file.path, (direct.get(use.file.path) ?? new Set()).add(plan));
  }
  const known = new Map<string, Set<ModulePlan>>();
  const collect = (component: string): Set<ModulePlan> => {
    const cached = known.get(component);
    if (cached) return cached;
    const needs = new Set(direct.get(component));
    known.set(component, needs); // a component importing itself, directly or not, adds nothing more
    for (const script of index.get(component)?.scripts ?? []) {
      for (const statement of index.syntax(script).imports) {
        const child = index.resolve(statement.source, component);
        if (child && child !== component && isComponentPath(child)) for (const plan of collect(child)) needs.add(plan);
      }
    }
    return needs;
  };
  return (component) => [...collect(component)].sort((a, b) => a.module.file.localeCompare(b.module.file));
}

/** The identifier a call renders: `mount(Cart, …)`, `render(Cart)`, `new Cart({ … })`. */
function renderedComponent(node: Node): string | undefined {
  if (node.type === 'NewExpression' && node.callee.type === 'Identifier') return node.callee.name;
  if (node.type !== 'CallExpression') return undefined;
  const first = node.arguments[0];
  return RENDER_CALLS.has(renderedName(node)) && first?.type === 'Identifier' ? first.name : undefined;
}

/** Where the context option goes in a call, and as what text; undefined when the call is not plain. */
function optionEdit(call: Extract<Node, { type: 'CallExpression' }>, option: string): { at: number; text: string } | undefined {
  const [component, options, ...more] = call.arguments;
  const name = renderedName(call);
  if (name === 'render' && component && !options) return { at: component.end!, text: `, { ${option} }` };
  if ((name !== 'mount' && name !== 'hydrate') || options?.type !== 'ObjectExpression' || more.length > 0) return undefined;
  const properties = options.properties;
  const plain = properties.every((property) => property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' && property.key.name !== 'context');
  if (!plain) return undefined;
  const last = properties.at(-1);
  return last ? { at: last.end!, text: `, ${option}` } : { at: options.start! + 1, text: ` ${option} ` };
}

/** `render` for `render(…)` and `screen.render(…)`. */
function renderedName(call: Extract<Node, { type: 'CallExpression' }>): string {
  const callee = call.callee;
  return callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : '';
}
