/** Shared by the test suites: reading fixture trees and checking that written files parse. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFile, isComponentPath, isScriptPath } from '../transforms/analyse/parse.js';
import { readProject } from '../bin/read-project.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Fixture cases: folders of `fixtures/` holding an `input/` tree. */
export function fixtureCases(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(FIXTURES, entry.name, 'input')))
    .map((entry) => entry.name)
    .sort();
}

/** Every `.svelte` file under `dir` (node_modules left out), as paths. */
export function componentsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules') return [];
    return entry.isDirectory() ? componentsUnder(path) : entry.name.endsWith('.svelte') ? [path] : [];
  });
}

export async function readTree(dir: string): Promise<Map<string, string>> {
  const { files, unreadable } = await readProject(dir);
  if (unreadable.length > 0) throw new Error(`cannot read fixture tree ${dir}: ${unreadable.map((error) => error.file).join(', ')}`);
  return files;
}

/** Throws with `file:line:column` if a written file does not parse as what it is (a component's markup included). */
export function assertParses(path: string, text: string): void {
  if (isComponentPath(path) || isScriptPath(path)) parseFile(path, text, 'parse');
  else if (path.endsWith('.json')) JSON.parse(text);
}

export function copyToTemp(dir: string, prefix: string): string {
  const target = mkdtempSync(join(tmpdir(), `${prefix}-`));
  cpSync(dir, target, { recursive: true });
  return target;
}

export const BIN = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');

/** Runs the built bin. */
export function runCli(args: string[], options: { cwd?: string; input?: string } = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...options });
}

/** Makes `dir` a git repository whose working tree is all committed. */
export function commitAll(dir: string): void {
  for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'input']]) {
    const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  }
}

/** Writes `files` (POSIX paths relative to `root`), creating folders. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}
