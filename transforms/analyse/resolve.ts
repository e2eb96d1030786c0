/**
 * Import resolution the way SvelteKit (Vite) does it: relative paths, `$lib`, every `kit.alias`,
 * workspace packages, with or without extension, `.js` written for a `.ts` file, and `index` files.
 */
import { posix } from 'node:path';
import type { ProjectFiles } from '../types.js';
import type { Project } from './project.js';
import { candidateSpecifiers, packageOf, packageTargets } from './workspace-packages.js';

const EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.svelte.ts', '.svelte.js'];

/** The project file `specifier` refers to from `importer`, or undefined for packages and unknown paths. */
export function resolveImport(specifier: string, importer: string, project: Project, files: ProjectFiles): string | undefined {
  // `?raw`, `?url`, `?inline`, `?worker`: the file's text or address, not its exports. Any other
  // query (`?v=2`) still imports the module.
  const [path, query] = splitQuery(specifier);
  if (query !== undefined && ASSET_QUERY.test(query)) return undefined;
  if (query !== undefined) return resolveImport(path, importer, project, files);
  // `./dialog/` is the folder's index, as in Vite and TypeScript.
  if (/[^/]\/+$/.test(specifier)) return resolveImport(specifier.replace(/\/+$/, '/index'), importer, project, files);
  const packageTarget = packageTargets(specifier, project.packages);
  if (packageTarget) return packageTarget.map((target) => probe(target, files)).find((found) => found !== undefined);
  const importerPackage = packageOf(project.packages, importer);
  // Inside a SvelteKit library, `$lib` is the library's own.
  const isLib = specifier === '$lib' || specifier.startsWith('$lib/');
  const ownLib = isLib && importerPackage?.sourceDir.endsWith('/src/lib') ? importerPackage.sourceDir + specifier.slice(4) : undefined;
  const target = ownLib ?? subpathImportTarget(specifier, project) ?? aliasTarget(specifier, project) ?? (specifier.startsWith('.') ? posix.join(posix.dirname(importer), specifier) : undefined);
  // Paths above the app root are files only inside a workspace package.
  if (target === undefined || (target.startsWith('..') && !packageOf(project.packages, target))) return undefined;
  const normalised = posix.normalize(target);
  return probe(normalised, files) ?? (throughLink(normalised, project) && probe(throughLink(normalised, project)!, files));
}

/** `src/lib/cart` as `lib-real/cart` when `src/lib` links to `lib-real`. */
function throughLink(path: string, project: Project): string | undefined {
  const link = project.links.find((candidate) => path === candidate.path || path.startsWith(`${candidate.path}/`));
  return link && link.target + path.slice(link.path.length);
}

/** `lib-real/cart.ts` as the app names it, `src/lib/cart.ts`, when `src/lib` links to `lib-real` (and only to reach the lib folder). */
function throughLinkBack(path: string, project: Project): string {
  const inLib = (candidate: string) => candidate.startsWith(`${project.libDir}/`);
  if (inLib(path)) return path;
  const link = project.links.find((candidate) => path.startsWith(`${candidate.target}/`) && inLib(candidate.path + path.slice(candidate.target.length)));
  return link ? link.path + path.slice(link.target.length) : path;
}

const ASSET_QUERY = /^(?:raw|url|inline|worker|sharedworker|no-inline)(?:&|$)/;

function splitQuery(specifier: string): [string, string | undefined] {
  const at = specifier.indexOf('?');
  return at === -1 ? [specifier, undefined] : [specifier.slice(0, at), specifier.slice(at + 1)];
}

/** `#lib/stores/cart.ts` through package.json `imports` (`"#lib/*": "./src/lib/*"`): exact keys, else the longest `*` pattern. */
function subpathImportTarget(specifier: string, project: Project): string | undefined {
  if (!specifier.startsWith('#')) return undefined;
  const exact = project.subpathImports.find((entry) => entry.pattern === specifier);
  if (exact) return exact.target;
  let best: { target: string; prefix: string; rest: string } | undefined;
  for (const { pattern, target } of project.subpathImports) {
    const star = pattern.indexOf('*');
    if (star === -1) continue;
    const [prefix, suffix] = [pattern.slice(0, star), pattern.slice(star + 1)];
    if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) continue;
    if (best && prefix.length <= best.prefix.length) continue;
    best = { target, prefix, rest: specifier.slice(prefix.length, specifier.length - suffix.length) };
  }
  return best?.target.replace('*', best.rest);
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

/**
 * How `fromFile` should import `targetFile`: by the package's name from outside a workspace
 * package, through `$lib` when the target is in the lib folder, else relatively.
 */
export function importSpecifier(fromFile: string, linkedTarget: string, project: Project, files: ProjectFiles): string {
  const targetFile = throughLinkBack(linkedTarget, project);
  const pkg = packageOf(project.packages, targetFile);
  if (pkg && packageOf(project.packages, fromFile) !== pkg) {
    const named = candidateSpecifiers(targetFile, pkg).find((specifier) => resolveImport(specifier, fromFile, project, files) === linkedTarget);
    if (named) return named;
  }
  const withoutExtension = targetFile
    .replace(/\.svelte\.[jt]s$/, '.svelte.js')
    .replace(/(?<!\.svelte)\.[cm]?[jt]s$/, '')
    .replace(/\/index$/, '');
  const inLib = targetFile.startsWith(`${project.libDir}/`);
  if (inLib && project.libImport === '$lib') return `$lib${withoutExtension.slice(project.libDir.length)}`;
  // SvelteKit 3: `#lib/…`, with the file's own extension where the app writes them.
  if (inLib && project.libImport === '#lib') return `#lib${(project.extensionsInLibImports ? targetFile : withoutExtension).slice(project.libDir.length)}`;
  const relative = posix.relative(posix.dirname(fromFile), withoutExtension);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
