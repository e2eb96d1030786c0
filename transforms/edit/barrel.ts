/**
 * Barrels that name stateful exports (`export { cart, addItem } from './cart'`, or import them and
 * export them again) re-export the getter instead, so components importing through the barrel keep one import path. A workspace
 * package's barrels re-export the init function too: apps can only reach it through them; so do
 * the barrels of a module whose state the root layout imports through a barrel.
 */
import type { Node } from '@babel/types';
import type { Project } from '../analyse/project.js';
import { packageOf } from '../analyse/workspace-packages.js';
import type { BarrelUse } from '../plan.js';
import type { FileEdits } from './file-edits.js';
import { rewriteSpecifierList } from './script-edits.js';

export function rewriteBarrels(edits: FileEdits, uses: BarrelUse[], project: Project): void {
  const byStatement = new Map<Node, BarrelUse[]>();
  for (const use of uses) {
    if (!byStatement.has(use.statement.node)) byStatement.set(use.statement.node, []);
    byStatement.get(use.statement.node)!.push(use);
  }
  // Each getter once per file in its export lists, and once in its imports.
  const gettersPerFile = new Map<string, Set<string>>();
  for (const [node, statementUses] of byStatement) {
    const { file } = statementUses[0]!;
    const key = `${file.path}\0${node.type === 'ImportDeclaration' ? 'import' : 'export'}`;
    const getters = gettersPerFile.get(key) ?? new Set<string>();
    gettersPerFile.set(key, getters);
    const stateful = new Set(statementUses.flatMap((use) => [...use.statefulNames]));
    const list: Array<Node | string> = [];
    for (const name of statementUses[0]!.statement.names) {
      if (!stateful.has(name.exported)) list.push(name.node);
      else for (const use of statementUses) {
        const pkg = packageOf(project.packages, use.plan.module.file);
        const withInit = (pkg && packageOf(project.packages, file.path) === pkg) || layoutImportsThroughBarrel(use.plan);
        const names = withInit ? [use.plan.names.init, use.plan.names.get] : [use.plan.names.get];
        for (const exported of names.filter((candidate) => !getters.has(candidate))) {
          getters.add(exported);
          list.push(exported);
        }
      }
    }
    rewriteSpecifierList(edits.editor(file, file.scripts[0]!), node as Node & { specifiers: Node[] }, list);
  }

  /** Whether the root layout imports the module's state through a barrel: it gets its `init…` there. */
  function layoutImportsThroughBarrel(plan: BarrelUse['plan']): boolean {
    return plan.consumers.some((use) => use.file.path === project.rootLayout && edits.index.resolve(use.statement.source, use.file.path) !== plan.module.file);
  }
}
