/**
 * Refusing to write over uncommitted work. Inside a git work tree (a `.git` at or above the
 * folder) the run needs `git status` to say the tree is clean; when git cannot answer (not
 * installed, a repository owned by another user, a corrupt `.git`), it fails closed: the caller
 * refuses to write unless told `--force`. Outside any repository there is nothing to protect.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type WorkTreeState =
  | { kind: 'not-a-repository' }
  | { kind: 'clean' }
  | { kind: 'uncommitted'; files: string[] }
  /** git could not say: its own message (or why it could not run). */
  | { kind: 'unknown'; message: string };

export function workTreeState(root: string): WorkTreeState {
  if (!insideGitWorkTree(root)) return { kind: 'not-a-repository' };
  const status = spawnSync('git', ['status', '--porcelain', '-z', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
  if (status.error) {
    const missing = (status.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { kind: 'unknown', message: missing ? 'git is not installed (not on PATH)' : status.error.message };
  }
  if (status.status !== 0) return { kind: 'unknown', message: status.stderr.trim() || `git status exited with ${status.status}` };
  // `XY path\0`, and a rename adds `\0original`; only the first path of an entry matters here.
  const entries = status.stdout.split('\0');
  const files: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return files.length === 0 ? { kind: 'clean' } : { kind: 'uncommitted', files };
}

/**
 * Where `folder` is inside its git work tree (`apps/web`), when it is below the top: a diff with
 * paths relative to it applies with `git apply --directory=apps/web` (plain `git apply` there
 * skips every file, and says nothing). Undefined at the top, outside a repository, or without git.
 */
export function pathInWorkTree(folder: string): string | undefined {
  if (!insideGitWorkTree(folder)) return undefined;
  const prefix = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd: folder, encoding: 'utf8' });
  const path = prefix.status === 0 ? prefix.stdout.trim().replace(/\/$/, '') : '';
  return path === '' ? undefined : path;
}

/** Whether a `.git` (folder, or file for worktrees and submodules) is at or above `folder`. */
function insideGitWorkTree(folder: string): boolean {
  for (let current = resolve(folder); ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return true;
    if (dirname(current) === current) return false;
  }
}
