/**
 * The app's own code: what the migration may edit. Everything under the app's source, lib and
 * routes folders (`src/`, or as configured) and in the sources of the workspace packages it depends
 * on, except code kept there as data (a nested project with a SvelteKit or Vite config of its own,
 * snapshot, fixture and mock folders), and whatever that code imports
 * (a workspace package, a shared folder). A `content/` tree of tutorial apps, scripts and test
 * folders beside `src/`, or anything the app does not import, is never edited; the verify phase
 * still reads their imports, so a store module they use is held back instead of broken.
 */
import { posix } from 'node:path';
import { isComponentPath, isScriptPath } from './parse.js';
import { isTestFile } from './store-modules.js';
import type { SourceIndex } from './source-index.js';

/** Folders whose files are data for tests or tools, not code the app runs. */
const DATA_FOLDERS = new Set(['__snapshots__', '__fixtures__', 'fixtures', '__mocks__', 'snapshots']);

const APP_CONFIG = /^(?:svelte\.config\.[cm]?[jt]s|vite\.config\.[cm]?[jt]s)$/;

export function appScope(index: SourceIndex): Set<string> {
  const { srcDir, libDir, routesDir } = index.project;
  const nestedApps = nestedAppFolders([...index.files.keys()]);
  const isData = (path: string) => path.split('/').slice(0, -1).some((folder) => DATA_FOLDERS.has(folder)) || nestedApps.some((folder) => path.startsWith(`${folder}/`));
  const isCode = (path: string) => isScriptPath(path) || isComponentPath(path);
  // The workspace packages the app depends on are read with it: their sources are its code too.
  const sourceFolders = [srcDir, libDir, routesDir, ...index.project.packages.map((pkg) => pkg.sourceDir)];
  const isOwnSource = (path: string) => sourceFolders.some((folder) => path.startsWith(`${folder}/`));
  const scope = new Set([...index.files.keys()].filter((path) => isOwnSource(path) && isCode(path) && !isData(path)));
  // What the app's code imports is the app's code too.
  const queue = [...scope];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    for (const target of index.importedPaths(path)) {
      if (scope.has(target) || !isCode(target) || isData(target)) continue;
      scope.add(target);
      queue.push(target);
    }
  }
  // Unit tests of the app's code, wherever they are kept (`tests/` beside `src/`), are edited with it:
  // what they import from a store module they get from its `create…Context()` afterwards.
  for (const path of index.files.keys()) {
    if (isScriptPath(path) && isTestFile(path) && !isData(path) && !path.startsWith('..') && [...index.importedPaths(path)].some((target) => scope.has(target))) scope.add(path);
  }
  return scope;
}

/** Folders below the app root holding a project of their own: a SvelteKit or Vite config of theirs. */
function nestedAppFolders(paths: string[]): string[] {
  return paths.filter((path) => APP_CONFIG.test(posix.basename(path)) && path.includes('/') && !path.startsWith('..')).map((path) => posix.dirname(path));
}
