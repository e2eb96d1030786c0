/** Shared by the test suites: reading fixture trees and checking that written files parse. */
import { cpSync, mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export async function readTree(dir: string): Promise<Map<string, string>> {
  const { files, unreadable } = await readProject(dir);
  if (unreadable.length > 0) throw new Error(`cannot read fixture tree ${dir}: ${unreadable.map((error) => error.file).join(', ')}`);
  return files;
}

/** Throws with `file:line:column` if a written file does not parse as what it is. */
export function assertParses(path: string, text: string): void {
  if (isComponentPath(path) || isScriptPath(path)) parseFile(path, text);
  else if (path.endsWith('.json')) JSON.parse(text);
}

export function copyToTemp(dir: string, prefix: string): string {
  const target = mkdtempSync(join(tmpdir(), `${prefix}-`));
  cpSync(dir, target, { recursive: true });
  return target;
}
