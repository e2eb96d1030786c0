/**
 * Listing the files below a folder without ever leaving it: a linked folder is never followed.
 * One that links to another folder inside is returned as a link (its files are listed under their
 * real path), one that links out is returned to be reported. So a link to `/` costs nothing, and a
 * link loop cannot loop.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

export interface Walked {
  /** Files, relative to the root, POSIX; a linked file counts as a file. */
  files: string[];
  /** Those of `files` that are links (to a file inside the root). */
  linkedFiles: Set<string>;
  /** Linked folders that point inside the root: `src/lib` -> `lib-real`. */
  linksInside: Array<{ path: string; target: string }>;
  /** Linked folders (or files) that point outside the root, with where they point. */
  linksOut: Array<{ path: string; target: string }>;
}

/** Folders never looked into. */
const SKIPPED_NAMES = new Set(['node_modules', '.git', '.svelte-kit']);

export function walk(root: string, skipFolder: (path: string) => boolean = () => false): Walked {
  const realRoot = realpathSync(root);
  const inside = (real: string) => {
    const rel = relative(realRoot, real);
    return !rel.startsWith('..') && !isAbsolute(rel);
  };
  const walked: Walked = { files: [], linkedFiles: new Set(), linksInside: [], linksOut: [] };
  const pending = [''];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    let entries;
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      continue; // unreadable folder: nothing in it can be read either
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_NAMES.has(entry.name)) continue;
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skipFolder(path)) pending.push(path);
      } else if (entry.isFile()) {
        walked.files.push(path);
      } else if (entry.isSymbolicLink()) {
        let real: string;
        let isFolder: boolean;
        try {
          real = realpathSync(join(root, path));
          isFolder = statSync(real).isDirectory();
        } catch {
          continue; // a dangling link
        }
        if (!inside(real)) walked.linksOut.push({ path, target: real });
        else if (!isFolder) {
          walked.files.push(path);
          walked.linkedFiles.add(path);
        }
        else if (!skipFolder(path)) walked.linksInside.push({ path, target: relative(realRoot, real).split('\\').join('/') });
      }
    }
  }
  walked.files.sort();
  return walked;
}
