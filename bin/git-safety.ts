/** Refusing to write over uncommitted work: the files `git status` reports, or undefined outside a repository. */
import { spawnSync } from 'node:child_process';

export function uncommittedChanges(root: string): string[] | undefined {
  const status = spawnSync('git', ['status', '--porcelain', '-z', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
  if (status.error || status.status !== 0) return undefined; // no git, or not a repository: nothing to protect
  // `XY path\0`, and a rename adds `\0original`; only the first path of an entry matters here.
  const entries = status.stdout.split('\0');
  const files: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return files;
}
