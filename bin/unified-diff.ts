/** Unified diffs in git's format (`a/` and `b/` paths, new files included) that `git apply` accepts. */
import { structuredPatch } from 'diff';

export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before ?? '', after, '', '', { context: 3 });
  const header = [`diff --git a/${path} b/${path}`];
  if (before === undefined) header.push('new file mode 100644', '--- /dev/null');
  else header.push(`--- a/${path}`);
  header.push(`+++ b/${path}`);
  const hunks = patch.hunks.map((hunk) => {
    // An empty side starts at line 0 in unified diffs.
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    return [`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines].join('\n');
  });
  return [...header, ...hunks].join('\n') + '\n';
}
