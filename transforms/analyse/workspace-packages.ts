/**
 * Workspace packages an app depends on (a monorepo's `@acme/stores`): which of the app's files
 * belong to one, how a bare specifier resolves into it (its `exports`, `svelte`, `module`, `main`),
 * and where its own key module goes.
 */
import { posix } from 'node:path';
import type { ProjectFiles, WorkspacePackage } from '../types.js';

export interface PackageInfo extends WorkspacePackage {
  manifest: PackageManifest;
  /** Where its sources are: `<dir>/src/lib` for a SvelteKit library (also what `$lib` means in it), else `<dir>/src`, else `<dir>`. */
  sourceDir: string;
  /** The package's own context key module, in `sourceDir` (`.js` in a JavaScript package). */
  keyModule: string;
  typescript: boolean;
}

interface PackageManifest {
  exports?: ExportsValue;
  svelte?: string;
  module?: string;
  main?: string;
}

type ExportsValue = string | null | ExportsValue[] | { [key: string]: ExportsValue };

/** Conditions Vite matches when it resolves a Svelte package for the browser and SSR. */
const CONDITIONS = ['svelte', 'import', 'module', 'default', 'node', 'require'];

export function readPackages(files: ProjectFiles, packages: readonly WorkspacePackage[]): PackageInfo[] {
  return packages.map(({ name, dir }) => {
    let manifest: PackageManifest = {};
    try {
      manifest = JSON.parse(files.get(`${dir}/package.json`) ?? '{}') as PackageManifest;
    } catch {
      // An unreadable manifest resolves like one without fields: `<dir>/index`.
    }
    const own = [...files.keys()].filter((path) => path.startsWith(`${dir}/`));
    const typescript = own.some((path) => path === `${dir}/tsconfig.json` || /(?<!\.d)\.ts$/.test(path));
    const sourceDir = [`${dir}/src/lib`, `${dir}/src`].find((folder) => own.some((path) => path.startsWith(`${folder}/`))) ?? dir;
    return { name, dir, manifest, sourceDir, typescript, keyModule: `${sourceDir}/context-keys.${typescript ? 'ts' : 'js'}` };
  });
}

/** The package a specifier names (`@acme/stores`, `@acme/stores/cart`), if any. */
export function packageNamed(specifier: string, packages: readonly PackageInfo[]): PackageInfo | undefined {
  return packages.find((candidate) => specifier === candidate.name || specifier.startsWith(`${candidate.name}/`));
}

/** The package a project path belongs to, if any. */
export function packageOf(packages: readonly PackageInfo[], path: string): PackageInfo | undefined {
  return packages.find((candidate) => path.startsWith(`${candidate.dir}/`));
}

/**
 * Where `specifier` points inside the package it names, before extensions are probed
 * (`@acme/stores/cart` -> `../../packages/stores/src/cart.ts`), or undefined if it names none.
 */
export function packageTargets(specifier: string, packages: readonly PackageInfo[]): string[] | undefined {
  const pkg = packageNamed(specifier, packages);
  if (!pkg) return undefined;
  const subpath = `.${specifier.slice(pkg.name.length)}`;
  const { exports, svelte, module, main } = pkg.manifest;
  let target: string | undefined;
  if (exports !== undefined) target = exportsTarget(exports, subpath);
  else target = subpath === '.' ? (svelte ?? module ?? main ?? 'index') : subpath;
  if (target === undefined) return [];
  const path = posix.join(pkg.dir, target);
  // A workspace package built to `dist/` is edited in its sources: `dist/cart.js` is `src/cart.ts`
  // (`src/lib/cart.ts` in a SvelteKit library).
  const fromSources = path.replace(`${pkg.dir}/dist/`, `${pkg.sourceDir}/`);
  return fromSources === path ? [path] : [path, fromSources];
}

/** Node's `exports` resolution for one subpath: exact keys, then `*` patterns, then conditions. */
function exportsTarget(exports: ExportsValue, subpath: string): string | undefined {
  const subpathKeyed = exports !== null && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  if (!subpathKeyed) return subpath === '.' ? conditionTarget(exports) : undefined;
  const map = exports as Record<string, ExportsValue>;
  if (subpath in map) return conditionTarget(map[subpath]!);
  // Of the `*` patterns that match, the one with the longest prefix wins, as in Node.
  const patterns = Object.keys(map)
    .filter((key) => key.includes('*'))
    .sort((a, b) => b.indexOf('*') - a.indexOf('*'));
  for (const key of patterns) {
    const star = key.indexOf('*');
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const matched = subpath.slice(prefix.length, subpath.length - suffix.length);
      return conditionTarget(map[key]!)?.replaceAll('*', matched);
    }
  }
  return undefined;
}

/** The first condition, in the package's own order, that Vite would match. */
function conditionTarget(value: ExportsValue): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(conditionTarget).find((target) => target !== undefined);
  for (const [condition, target] of Object.entries(value)) {
    const resolved = CONDITIONS.includes(condition) ? conditionTarget(target) : undefined;
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}

/**
 * The bare specifiers that could name `path` from outside its package, most public first: the
 * package itself, then subpaths with and without `src/` and extension, then the other subpaths its
 * `exports` lists (`@sveltejs/site-kit/stores`, a barrel that re-exports it). The caller keeps the
 * first that really leads to `path`.
 */
export function candidateSpecifiers(path: string, pkg: PackageInfo): string[] {
  const inside = path.slice(pkg.dir.length + 1);
  const withoutExtension = inside.replace(/\.svelte\.[jt]s$/, '.svelte').replace(/(?<!\.svelte)\.[cm]?[jt]s$/, '');
  const forms = [withoutExtension, withoutExtension.replace(/^src\//, ''), inside, `${withoutExtension}.js`, withoutExtension.replace(/^src\//, '') + '.js'];
  const { exports } = pkg.manifest;
  const exported = exports !== null && typeof exports === 'object' && !Array.isArray(exports) ? Object.keys(exports).filter((key) => key.startsWith('./') && !key.includes('*')) : [];
  const subpaths = [...forms.flatMap((form) => [form, form.replace(/\/index$/, '')]), ...exported.map((key) => key.slice(2))];
  return [pkg.name, ...new Set(subpaths.map((subpath) => `${pkg.name}/${subpath}`))];
}
