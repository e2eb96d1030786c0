/**
 * Import resolution the way SvelteKit (Vite) does it: relative paths, `$lib`, every `kit.alias`,
 * with or without extension, `.js` written for a `.ts` file, and `index` files.
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../types.js';
import type { Project } from './project.js';

const EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.svelte.ts', '.svelte.js'];

/** The project file `specifier` refers to from `importer`, or undefined for packages and unknown paths. */
export function resolveImport(specifier: string, importer: string, project: Project, files: ProjectFiles): string | undefined {
  const target = aliasTarget(specifier, project) ?? (specifier.startsWith('.') ? posix.join(posix.dirname(importer), specifier) : undefined);
  if (target === undefined || target.startsWith('..')) return undefined;
  return probe(posix.normalize(target), files);
}

function aliasTarget(specifier: string, project: Project): string | undefined {
  // The longest matching alias wins, as in Vite.
  let best: { find: string; replacement: string } | undefined;
  for (const alias of project.aliases) {
    const matches = specifier === alias.find ? alias.match !== 'subpaths' : alias.match !== 'exact' && specifier.startsWith(`${alias.find}/`);
    if (matches && (!best || alias.find.length > best.find.length)) best = alias;
  }
  return best ? best.replacement + specifier.slice(best.find.length) : undefined;
}

function probe(base: string, files: ProjectFiles): string | undefined {
  const candidates = [base];
  const withoutJs = /\.(m?)js$/.exec(base);
  if (withoutJs) candidates.push(base.slice(0, -withoutJs[0].length) + `.${withoutJs[1]}ts`);
  for (const extension of EXTENSIONS) candidates.push(base + extension);
  for (const extension of EXTENSIONS.slice(0, 4)) candidates.push(`${base}/index${extension}`);
  return candidates.find((candidate) => files.has(candidate));
}

/** How `fromFile` should import `targetFile`: through `$lib` when the target is in the lib folder, else relatively. */
export function importSpecifier(fromFile: string, targetFile: string, project: Project): string {
  const withoutExtension = targetFile
    .replace(/\.svelte\.[jt]s$/, '.svelte.js')
    .replace(/(?<!\.svelte)\.[cm]?[jt]s$/, '')
    .replace(/\/index$/, '');
  if (withoutExtension.startsWith(`${project.libDir}/`)) return `$lib${withoutExtension.slice(project.libDir.length)}`;
  const relative = posix.relative(posix.dirname(fromFile), withoutExtension);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
