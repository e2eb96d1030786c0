/**
 * Places that render a migrated consumer outside the root layout: component tests and `mount()`,
 * `hydrate()`, `render()` or `new Component()` calls. After migration such a component asks for
 * context nobody set, so the report lists each place with the init calls it now needs.
 */
import type { Node } from '@babel/types';
import { walk } from './analyse/ast.js';
import { isComponentPath, isScriptPath } from './analyse/parse.js';
import { importSpecifier } from './analyse/resolve.js';
import type { SourceIndex } from './analyse/source-index.js';
import type { ModulePlan } from './plan.js';
import { lineColumn } from './text.js';
import type { ContextNeed } from './types.js';

const RENDER_CALLS = new Set(['mount', 'hydrate', 'render']);

export function findRendersOutsideLayout(index: SourceIndex, migrating: ModulePlan[]): ContextNeed[] {
  if (migrating.length === 0) return [];
  const needsOf = contextNeeds(index, migrating);
  const found: ContextNeed[] = [];

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
        const inits = plans.map((plan) => `${plan.names.init}() from ${importSpecifier(path, plan.module.file, index.project, index.files)}`).join(', ');
        found.push({
          file: path,
          ...lineColumn(file!.text, script.offset + node.start!),
          component: component!,
          needs: plans.map((plan) => plan.names.init),
          reason: `renders ${component} outside the root layout, so nothing sets the context it now reads; render it inside a small wrapper component whose script first calls ${inits}`,
        });
      });
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
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
  const callee = node.callee;
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : '';
  const first = node.arguments[0];
  return RENDER_CALLS.has(name) && first?.type === 'Identifier' ? first.name : undefined;
}
