/**
 * Places that render a migrated consumer outside the root layout: component tests and `mount()`,
 * `hydrate()`, `render()` or `new Component()` calls. After migration such a component asks for
 * context nobody set, so the report lists each place with the init calls it now needs.
 */
import { posix } from 'node:path';
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
  const needs = componentsNeedingContext(index, migrating);
  if (needs.size === 0) return [];
  const stems = [...needs.keys()].map((path) => posix.basename(path, '.svelte'));
  const found: ContextNeed[] = [];

  for (const [path, text] of index.files) {
    // The render check first: one regex pass, and it rules out nearly every file.
    if (!(isScriptPath(path) || isComponentPath(path)) || !/\b(?:mount|hydrate|render)\s*\(|\bnew\s+[A-Z]/.test(text)) continue;
    if (!stems.some((stem) => text.includes(stem))) continue;
    const file = index.get(path);
    for (const script of file?.scripts ?? []) {
      const components = new Map<string, string>();
      for (const statement of index.syntax(script).imports) {
        const target = index.resolve(statement.source, path);
        const defaultImport = statement.names.find((name) => name.imported === 'default');
        if (target && defaultImport && needs.has(target)) components.set(defaultImport.local, target);
      }
      if (components.size === 0) continue;
      walk(script.ast.program, (node) => {
        const rendered = renderedComponent(node);
        const component = rendered && components.get(rendered);
        if (!component) return;
        const plans = needs.get(component)!;
        const inits = plans.map((plan) => `${plan.names.init}() from ${importSpecifier(path, plan.module.file, index.project, index.files)}`).join(', ');
        found.push({
          file: path,
          ...lineColumn(file!.text, script.offset + node.start!),
          component,
          needs: plans.map((plan) => plan.names.init),
          reason: `renders ${component} outside the root layout, so nothing sets the context it now reads; render it inside a small wrapper component whose script first calls ${inits}`,
        });
      });
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
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

/** Components that get context after migration, directly or through a child component they import, with what they need. */
function componentsNeedingContext(index: SourceIndex, migrating: ModulePlan[]): Map<string, ModulePlan[]> {
  const needs = new Map<string, Set<ModulePlan>>();
  const add = (path: string, plans: Iterable<ModulePlan>): boolean => {
    const set = needs.get(path) ?? new Set();
    const before = set.size;
    for (const plan of plans) set.add(plan);
    needs.set(path, set);
    return set.size > before;
  };
  for (const plan of migrating) for (const use of plan.consumers) if (use.file.path !== index.project.rootLayout) add(use.file.path, [plan]);

  // A component that imports a needing component renders it, and needs the same. Which components
  // may import which is read off their text once (`… from './Cart.svelte'`); only those are parsed.
  const importersByStem = new Map<string, string[]>();
  for (const [path, text] of index.files) {
    if (!isComponentPath(path) || path === index.project.rootLayout) continue;
    for (const [, imported] of text.matchAll(/\bfrom\s*['"]([^'"]+)\.svelte['"]/g)) {
      const stem = posix.basename(imported!);
      importersByStem.set(stem, [...(importersByStem.get(stem) ?? []), path]);
    }
  }
  const pending = [...needs.keys()];
  for (let child = pending.pop(); child !== undefined; child = pending.pop()) {
    for (const path of new Set(importersByStem.get(posix.basename(child, '.svelte')) ?? [])) {
      const imports = (index.get(path)?.scripts ?? []).flatMap((script) => index.syntax(script).imports);
      if (path !== child && imports.some((statement) => index.resolve(statement.source, path) === child) && add(path, needs.get(child)!)) pending.push(path);
    }
  }
  return new Map([...needs].map(([path, plans]) => [path, [...plans].sort((a, b) => a.module.file.localeCompare(b.module.file))]));
}
