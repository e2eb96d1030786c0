/**
 * Barrels that name stateful exports (`export { cart, addItem } from './cart'`) re-export the
 * getter instead, so components importing through the barrel keep one import path.
 */
import type { Node } from '@babel/types';
import type { BarrelUse } from '../plan.js';
import type { FileEdits } from './file-edits.js';
import { rewriteSpecifierList } from './script-edits.js';

export function rewriteBarrels(edits: FileEdits, uses: BarrelUse[]): void {
  const byStatement = new Map<Node, BarrelUse[]>();
  for (const use of uses) {
    if (!byStatement.has(use.statement.node)) byStatement.set(use.statement.node, []);
    byStatement.get(use.statement.node)!.push(use);
  }
  const gettersPerFile = new Map<string, Set<string>>();
  for (const [node, statementUses] of byStatement) {
    const { file } = statementUses[0]!;
    const getters = gettersPerFile.get(file.path) ?? new Set<string>();
    gettersPerFile.set(file.path, getters);
    const stateful = new Set(statementUses.flatMap((use) => [...use.statefulNames]));
    const list: Array<Node | string> = [];
    for (const name of statementUses[0]!.statement.names) {
      if (!stateful.has(name.exported)) list.push(name.node);
      else for (const getter of statementUses.map((use) => use.plan.names.get)) {
        if (getters.has(getter)) continue;
        getters.add(getter);
        list.push(getter);
      }
    }
    rewriteSpecifierList(edits.editor(file, file.scripts[0]!), node as Node & { specifiers: Node[] }, list);
  }
}
