/** Reads the app's source files into the map `migrate` takes. The only place that reads the disk. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import type { FileError } from '../transforms/index.js';

const SOURCE_PATTERNS = ['**/*.{js,ts,mjs,mts,cjs,cts,svelte}', 'package.json', 'tsconfig.json', 'jsconfig.json'];
const IGNORED = ['**/node_modules/**', '**/.svelte-kit/**', 'build/**', 'dist/**', '**/.git/**', '**/*.d.ts'];

export interface ReadProject {
  files: Map<string, string>;
  /** Files that could not be read or are not UTF-8; they are left alone. */
  errors: FileError[];
}

export async function readProject(root: string): Promise<ReadProject> {
  const paths = (await glob(SOURCE_PATTERNS, { cwd: root, ignore: IGNORED, dot: false, followSymbolicLinks: false })).sort();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const files = new Map<string, string>();
  const errors: FileError[] = [];
  await Promise.all(
    paths.map(async (path) => {
      try {
        files.set(path, decoder.decode(await readFile(join(root, path))));
      } catch (error) {
        const message = error instanceof TypeError ? 'not valid UTF-8' : (error as Error).message;
        errors.push({ file: path, line: 1, column: 1, message: `cannot read: ${message}` });
      }
    }),
  );
  return { files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), errors };
}
