/**
 * Links out of the project (a folder or a file that is a symlink to somewhere outside) are never
 * followed. They are reported, and count as files that cannot be read, only where they can hold
 * code the app runs: under its source, routes or lib folder, or where a file of the app imports
 * through them. Anywhere else nothing in them runs in the app: `static/svelte` linking into
 * `node_modules` is an asset folder, and reporting it would fail `--check` for nothing.
 */
import { posix } from 'node:path';
import type { ProjectFiles, UnreadableFile } from '../types.js';
import { isComponentPath, isScriptPath } from './parse.js';
import type { Project } from './project.js';
import { IMPORT_SPECIFIER } from './source-index.js';

const isUnder = (path: string, folder: string) => folder === '' || folder === '.' || path === folder || path.startsWith(`${folder}/`);

export function linksOutThatMatter(unreadable: UnreadableFile[], files: ProjectFiles, project: Project): UnreadableFile[] {
  const codeFolders = [project.srcDir, project.routesDir, project.libDir];
  const elsewhere = unreadable.filter((file) => file.linksOut && !codeFolders.some((folder) => isUnder(file.file, folder)));
  if (elsewhere.length === 0) return unreadable;
  const importedThrough = new Set<string>();
  for (const [path, text] of files) {
    if (!isComponentPath(path) && !isScriptPath(path)) continue;
    for (const [, , specifier] of text.matchAll(IMPORT_SPECIFIER)) {
      const target = specifier!.startsWith('.') ? posix.join(posix.dirname(path), specifier!) : aliasTarget(specifier!, project);
      for (const link of target === undefined ? [] : elsewhere) if (isUnder(target!, link.file)) importedThrough.add(link.file);
    }
  }
  return unreadable.filter((file) => !elsewhere.includes(file) || importedThrough.has(file.file));
}

/** Where an aliased specifier (`$lib/x`, `@utils/x`) points in the project, if an alias matches it. */
function aliasTarget(specifier: string, project: Project): string | undefined {
  for (const alias of project.aliases) {
    if (specifier === alias.find) return alias.replacement;
    if (specifier.startsWith(`${alias.find.replace(/\/$/, '')}/`)) return posix.join(alias.replacement, specifier.slice(alias.find.replace(/\/$/, '').length + 1));
  }
  return undefined;
}
