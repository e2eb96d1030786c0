/**
 * The link check: after the run, every import that names an export of a changed module (and
 * every `export { … } from` it) must still find that export. Checked for every file of the app
 * that imports one, rewritten or not, parsed or not (a file that cannot be parsed is read as text).
 *
 *   import type { panel } from './panel'   // `panel` moved into context: a broken link
 */
import type { SourceIndex } from '../analyse/source-index.js';
import { lineColumn } from '../text.js';
import { moduleExports, type ExportSet } from './module-exports.js';
import type { AppViews } from './views.js';
import type { ImportedExport } from './written-facts.js';

export interface BrokenLink {
  /** The importing file and where it names the export. */
  file: string;
  line: number;
  column: number;
  /** The module that would no longer export it. */
  module: string;
  name: string;
  typeOnly: boolean;
  /** Whether the importer is a file the run rewrites. */
  rewritten: boolean;
}

export function findBrokenLinks(index: SourceIndex, views: AppViews): BrokenLink[] {
  const exportsBefore = new Map<string, ExportSet | undefined>();
  const exportsAfter = new Map<string, ExportSet | undefined>();
  const exportsOf = (path: string, after: boolean, seen = new Set<string>()): ExportSet | undefined => {
    const cache = after ? exportsAfter : exportsBefore;
    if (cache.has(path)) return cache.get(path);
    if (seen.has(path)) return { names: new Set(), open: false };
    seen.add(path);
    const facts = views.exports(path, after);
    const result = facts && moduleExports(facts, (source) => {
      const target = index.resolve(source, path);
      return target === undefined ? undefined : exportsOf(target, after, seen);
    });
    cache.set(path, result);
    return result;
  };

  const importsBefore = new Map<string, ImportedExport[]>();
  const importedBefore = (path: string) => importsBefore.get(path) ?? importsBefore.set(path, views.importedExportsBefore(path)).get(path)!;
  const affected = affectedModules(index, views);
  const broken: BrokenLink[] = [];
  for (const path of new Set([...index.files.keys(), ...views.writtenPaths()])) {
    if (!views.isWritten(path) && ![...index.importedPaths(path)].some((target) => affected.has(target))) continue;
    const text = views.text(path);
    for (const imported of views.importedExports(path)) {
      const target = index.resolve(imported.source, path);
      if (target === undefined || !affected.has(target)) continue;
      const after = exportsOf(target, true);
      const before = exportsOf(target, false);
      if (!after || after.open || after.names.has(imported.name)) continue;
      // Broken before the run, by an import that was there: not ours. An import the run writes (the
      // root layout's `init…` through a barrel) must find its export.
      const brokenBefore = before && !before.open && !before.names.has(imported.name);
      if (brokenBefore && importedBefore(path).some((old) => old.name === imported.name && old.typeOnly === imported.typeOnly && index.resolve(old.source, path) === target)) continue;
      broken.push({
        file: path,
        ...lineColumn(text, imported.at),
        module: target,
        name: imported.name,
        typeOnly: imported.typeOnly,
        rewritten: views.isWritten(path),
      });
    }
  }
  return broken;
}

/**
 * Modules whose exports the run may change: every written script module, and every module that
 * re-exports one of those with `export *`, transitively.
 */
function affectedModules(index: SourceIndex, views: AppViews): Set<string> {
  const affected = new Set([...views.writtenPaths()].filter((path) => !path.endsWith('.svelte')));
  for (let grew = true; grew; ) {
    grew = false;
    for (const path of index.files.keys()) {
      if (affected.has(path) || path.endsWith('.svelte') || !/export\s*\*/.test(views.text(path))) continue;
      if ([...index.importedPaths(path)].some((target) => affected.has(target))) {
        affected.add(path);
        grew = true;
      }
    }
  }
  return affected;
}

const IMPORT_STATEMENT = /\b(import|export)\s+(type\s+)?([\w$]+\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*(['"])([^'"\n]+)\5/g;

/** The same, from text alone, for a file that cannot be parsed: `import a, { b as c, type d } from 'x'`. */
export function importedExportsFromText(text: string): ImportedExport[] {
  const found: ImportedExport[] = [];
  for (const match of text.matchAll(IMPORT_STATEMENT)) {
    const [whole, keyword, typeKeyword, defaultName, list, , source] = match;
    if (keyword === 'import' && defaultName?.trim()) found.push({ source: source!, name: 'default', typeOnly: Boolean(typeKeyword), at: match.index + whole.indexOf(defaultName) });
    if (list === undefined) continue;
    const listStart = match.index + whole.indexOf('{') + 1;
    for (const item of list.matchAll(/(type\s+)?([\w$]+)(?:\s+as\s+[\w$]+)?/g)) {
      const typeOnly = Boolean(typeKeyword) || Boolean(item[1]);
      found.push({ source: source!, name: item[2]!, typeOnly, at: listStart + item.index + (item[1]?.length ?? 0) });
    }
  }
  return found;
}
