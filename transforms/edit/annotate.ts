/**
 * `--annotate`: a `// @migration-task` comment above each place that blocks a store module, so a
 * person can search for what is left to do by hand (the convention of Svelte's own migration).
 */
import type { SourceIndex } from '../analyse/source-index.js';
import type { ModulePlan } from '../plan.js';
import { detectStyle, indentationAt, lineStartOf } from '../text.js';
import type { FileEdits } from './file-edits.js';

export const MIGRATION_TASK = '@migration-task';

export function annotateBlockers(edits: FileEdits, index: SourceIndex, blocked: ModulePlan[]): void {
  const done = new Set<string>();
  for (const blocker of blocked.flatMap((plan) => plan.blockers)) {
    const file = index.get(blocker.file);
    // A file that cannot be parsed is never touched; one marker per line is enough.
    const key = `${blocker.file}:${blocker.line}`;
    if (!file || done.has(key)) continue;
    done.add(key);
    const lineStart = offsetOfLine(file.text, blocker.line);
    const previousLine = file.text.slice(lineStartOf(file.text, Math.max(lineStart - 1, 0)), lineStart);
    if (previousLine.includes(MIGRATION_TASK)) continue;
    const { eol } = detectStyle(file.text);
    edits.forFile(blocker.file).appendLeft(lineStart, `${indentationAt(file.text, lineStart)}// ${MIGRATION_TASK}: ${blocker.reason}${eol}`);
  }
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}
