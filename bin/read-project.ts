/** Reads the app's source files into the map `migrate` takes. The only place that reads the disk. */
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import picomatch from 'picomatch';
import type { FolderLink, IgnoredFile, UnreadableFile } from '../transforms/index.js';
import { walk } from './walk.js';

const isSourceFile = picomatch(['**/*.{js,ts,mjs,mts,cjs,cts,svelte}', 'package.json', 'tsconfig.json', 'jsconfig.json'], { ignore: ['**/*.d.ts'] });
/** Build output at the top of the app (node_modules, .git and .svelte-kit are never looked into). */
const isBuildOutput = (path: string) => path === 'build' || path === 'dist';

export interface ReadProject {
  files: Map<string, string>;
  /** Source files `--ignore-pattern` excludes: their text only, for the checks that keep their imports working. */
  ignored: IgnoredFile[];
  /** Folders that link to another folder of the project (`src/lib` -> `lib-real`); their files are read under the real path. */
  links: FolderLink[];
  /** Files that could not be read, are not UTF-8, or link outside the project: left alone, and given to `migrate` as such. */
  unreadable: UnreadableFile[];
}

/**
 * `--ignore-pattern` globs; a pattern naming a folder (`src/legacy`) covers what is in it.
 */
function ignoreMatcher(patterns: string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matches = picomatch([...patterns, ...patterns.map((pattern) => `${pattern.replace(/\/+$/, '')}/**`)], { dot: true });
  return (path) => matches(path);
}

export async function readProject(root: string, ignorePatterns: string[] = []): Promise<ReadProject> {
  const realRoot = realpathSync(root);
  const walked = walk(root, isBuildOutput);
  const isIgnored = ignoreMatcher(ignorePatterns);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const lossy = new TextDecoder('utf-8', { ignoreBOM: true });
  const files = new Map<string, string>();
  const unreadable: UnreadableFile[] = [];
  const ignored: IgnoredFile[] = [];

  // A folder linking out of the project is reported once and not read: nothing outside is ever
  // read or written, and a link to `/` costs nothing.
  for (const link of walked.linksOut) {
    unreadable.push({ file: link.path, line: 1, column: 1, message: `links outside the project (${link.target}); left alone`, text: '', linksOut: true });
  }
  // Read one after the other, synchronously: for thousands of small files that is faster than as
  // many promises (measured with `npm run bench`).
  for (const path of walked.files) {
    if (!isSourceFile(path)) continue;
    if (isIgnored(path)) {
      // Never parsed or written: only its imports are looked at.
      let text = '';
      try {
        text = lossy.decode(readFileSync(join(root, path)));
      } catch {
        // Unreadable: nothing of it can be checked, and nothing of it is written either.
      }
      ignored.push({ file: path, text });
      continue;
    }
    const leftAlone = (message: string, bytes?: Buffer) => unreadable.push({ file: path, line: 1, column: 1, message, text: bytes ? lossy.decode(bytes) : '' });
    let bytes: Buffer | undefined;
    try {
      // Only a linked file can lead elsewhere: the walk enters no linked folder. (Resolving every
      // path cost a tenth of a second on 6,000 files.)
      const real = walked.linkedFiles.has(path) ? realpathSync.native(join(root, path)) : join(realRoot, path);
      bytes = readFileSync(real);
      const rel = relative(realRoot, real);
      if (rel.startsWith('..') || isAbsolute(rel)) unreadable.push({ file: path, line: 1, column: 1, message: `links outside the project (${real}); left alone`, text: lossy.decode(bytes), linksOut: true });
      else files.set(path, decoder.decode(bytes));
    } catch (error) {
      leftAlone(`cannot read: ${error instanceof TypeError ? 'not valid UTF-8' : (error as Error).message}`, bytes);
    }
  }
  return {
    files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))),
    unreadable: unreadable.sort((a, b) => a.file.localeCompare(b.file)),
    ignored: ignored.sort((a, b) => a.file.localeCompare(b.file)),
    links: walked.linksInside.sort((a, b) => a.path.localeCompare(b.path)),
  };
}
