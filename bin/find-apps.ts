/**
 * Finding the SvelteKit apps under a root: the root itself when it is one, else every folder with
 * a `svelte.config.*` or a Vite config calling `sveltekit(…)` next to a `package.json` that
 * depends on `@sveltejs/kit`, looked for in the
 * workspaces (`package.json` workspaces, `pnpm-workspace.yaml`) or, without workspaces, anywhere
 * below, honouring `.gitignore`. In a workspace, each app also gets the workspace packages it
 * depends on, directly or through other workspace packages.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import type { WorkspacePackage } from '../transforms/index.js';
import { viteConfigCallsSvelteKit } from '../transforms/analyse/kit-config.js';
import { walk } from './walk.js';

const ALWAYS_SKIPPED = ['**/node_modules/**', '**/.svelte-kit/**', '**/build/**', '**/dist/**', '**/.git/**'];

export interface AppFolder {
  /** Relative to the root, POSIX (`.` for the root itself). */
  dir: string;
  /** Workspace packages it depends on, with `dir` relative to the root. */
  packages: WorkspacePackage[];
}

export interface FoundApps {
  apps: AppFolder[];
  /** Linked folders under the root (outside every app) that point out of it: not followed, reported. */
  skippedLinks: Array<{ path: string; target: string }>;
  /**
   * Run from inside a monorepo: the workspace packages the apps use that lie outside the root, so
   * are not read (`dir` relative to the root, `../../packages/stores`), and the workspace's root.
   */
  outside?: { workspaceRoot: string; packages: WorkspacePackage[] };
}

/** The apps under `root`, sorted by folder. Links are never followed out of `root`. */
export async function findApps(root: string): Promise<FoundApps> {
  const found = await findAppsUnder(root);
  return { ...found, outside: await packagesOutside(root, found.apps) };
}

async function findAppsUnder(root: string): Promise<FoundApps> {
  if (await isSvelteKitApp(root)) return { apps: [{ dir: '.', packages: [] }], skippedLinks: [] };
  const workspaces = await workspacePatterns(root);
  const configNames = ['svelte.config.{js,mjs,ts}', 'vite.config.{js,ts,mjs,mts}'];
  const searched = picomatch((workspaces.length > 0 ? workspaces.map((pattern) => pattern.replace(/\/+$/, '')) : ['**']).flatMap((folder) => configNames.map((name) => `${folder}/${name}`)));
  const ignore = [...ALWAYS_SKIPPED, ...(await gitignorePatterns(root))];
  const isIgnored = picomatch(ignore);
  // A folder is skipped when what would be inside it is ignored.
  const walked = walk(root, (folder) => isIgnored(`${folder}/-`));
  const configs = walked.files.filter((path) => searched(path));
  const kitFolders = new Set<string>();
  for (const folder of new Set(configs.map((config) => dirname(config)))) {
    if (await isSvelteKitApp(join(root, folder))) kitFolders.add(folder);
  }
  const members = await workspaceMembers(root, workspaces, ignore);
  // A SvelteKit library (svelte.config.js, kit as a dev dependency) that others depend on is a package, not an app.
  const dependedOnByOthers = new Set([...members.values()].flatMap((member) => member.dependencies));
  const apps = [...kitFolders].filter((dir) => ![...members].some(([name, member]) => member.dir === dir && dependedOnByOthers.has(name)));
  const packages = new Map([...members].filter(([, member]) => !apps.includes(member.dir)));
  // Links inside an app are the app's own run's to report.
  const skippedLinks = walked.linksOut.filter((link) => !apps.some((dir) => link.path.startsWith(`${dir}/`)));
  return {
    apps: await Promise.all(apps.sort().map(async (dir) => ({ dir, packages: packagesOfApp(dependencyNames(await readJson(join(root, dir, 'package.json'))), packages) }))),
    skippedLinks,
  };
}

/**
 * When `root` lies inside a workspace (a parent folder declares workspaces that include it), the
 * packages of that workspace its apps depend on which are not under `root`.
 */
async function packagesOutside(root: string, apps: AppFolder[]): Promise<FoundApps['outside']> {
  if (apps.length === 0 || (await workspacePatterns(root)).length > 0) return undefined;
  for (let folder = dirname(resolve(root)); ; folder = dirname(folder)) {
    const patterns = await workspacePatterns(folder);
    if (patterns.length > 0) {
      const members = await workspaceMembers(folder, patterns, [...ALWAYS_SKIPPED, ...(await gitignorePatterns(folder))]);
      const here = posix.normalize(relative(folder, resolve(root)).split(sep).join('/'));
      const isOutside = (dir: string) => dir !== here && !dir.startsWith(`${here}/`);
      // What the apps depend on, directly or through each other (what depends on them is not theirs to read).
      const used = new Map<string, WorkspacePackage>();
      const visit = (name: string) => {
        const member = members.get(name);
        if (!member || used.has(name)) return;
        used.set(name, { name, dir: member.dir });
        member.dependencies.forEach(visit);
      };
      for (const app of apps) dependencyNames(await readJson(join(root, app.dir, 'package.json'))).forEach(visit);
      const outside = [...used.values()].filter((pkg) => isOutside(pkg.dir)).map((pkg) => ({ ...pkg, dir: posix.relative(here, pkg.dir) }));
      return outside.length > 0 ? { workspaceRoot: relative(resolve(root), folder).split(sep).join('/'), packages: outside } : undefined;
    }
    if (dirname(folder) === folder) return undefined;
  }
}

interface WorkspaceMember {
  dir: string;
  dependencies: string[];
}

/** Named members of the workspaces, by name. */
async function workspaceMembers(root: string, workspaces: string[], ignore: string[]): Promise<Map<string, WorkspaceMember>> {
  const found = new Map<string, WorkspaceMember>();
  if (workspaces.length === 0) return found;
  const manifests = await glob(workspaces.map((pattern) => `${pattern.replace(/\/+$/, '')}/package.json`), { cwd: root, ignore, dot: false, followSymbolicLinks: false });
  for (const manifestPath of manifests.sort()) {
    const manifest = await readJson(join(root, manifestPath));
    if (typeof manifest?.name !== 'string' || found.has(manifest.name)) continue;
    found.set(manifest.name, { dir: posix.dirname(manifestPath), dependencies: dependencyNames(manifest) });
  }
  return found;
}

/**
 * The workspace packages an app reads: those it depends on, directly or through each other, and
 * every package that depends on one of those (a `widgets` package using `@acme/stores` must be
 * rewritten, or hold the store back, whenever the store moves into context).
 */
function packagesOfApp(names: string[], packages: Map<string, WorkspaceMember>): WorkspacePackage[] {
  const reached = new Set<string>();
  const visit = (name: string) => {
    const found = packages.get(name);
    if (!found || reached.has(name)) return;
    reached.add(name);
    found.dependencies.forEach(visit);
  };
  names.forEach(visit);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, member] of packages) {
      if (reached.has(name) || !member.dependencies.some((dependency) => reached.has(dependency))) continue;
      visit(name);
      grew = true;
    }
  }
  return [...reached].sort().map((name) => ({ name, dir: packages.get(name)!.dir }));
}

function dependencyNames(manifest: Record<string, unknown> | undefined): string[] {
  return ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((field) => Object.keys((manifest?.[field] as object | undefined) ?? {}));
}

/**
 * A SvelteKit app: its package.json depends on `@sveltejs/kit`, and it has a `svelte.config.*`
 * (SvelteKit 2) or a Vite config calling `sveltekit(…)` (SvelteKit 3, where svelte.config is gone).
 */
async function isSvelteKitApp(folder: string): Promise<boolean> {
  const svelteConfigs = await glob(['svelte.config.{js,mjs,ts}'], { cwd: folder });
  const viteConfigs = await glob(['vite.config.{js,ts,mjs,mts}'], { cwd: folder });
  const configured =
    svelteConfigs.length > 0 || (await Promise.all(viteConfigs.map((name) => readFile(join(folder, name), 'utf8').catch(() => '')))).some(viteConfigCallsSvelteKit);
  if (!configured) return false;
  const manifest = await readJson(join(folder, 'package.json'));
  const dependencies = { ...(manifest?.dependencies as object), ...(manifest?.devDependencies as object) };
  return '@sveltejs/kit' in dependencies;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Workspace globs from `package.json` (`workspaces` or `workspaces.packages`) and `pnpm-workspace.yaml`. */
async function workspacePatterns(root: string): Promise<string[]> {
  const manifest = await readJson(join(root, 'package.json'));
  const workspaces = manifest?.workspaces;
  const fromPackage = Array.isArray(workspaces) ? workspaces : Array.isArray((workspaces as { packages?: unknown })?.packages) ? (workspaces as { packages: unknown[] }).packages : [];
  const pnpm = await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8').catch(() => '');
  return [...fromPackage.filter((entry): entry is string => typeof entry === 'string'), ...pnpmPackages(pnpm)].filter((pattern) => !pattern.startsWith('!'));
}

/** The `packages:` list of a pnpm-workspace.yaml; the file is that simple in practice, so no YAML parser is needed. */
function pnpmPackages(yaml: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) inPackages = true;
    else if (/^\S/.test(line)) inPackages = false;
    else if (inPackages) {
      const item = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(?:#.*)?$/.exec(line);
      if (item) patterns.push(item[1]!);
    }
  }
  return patterns;
}

/** The root `.gitignore` as glob patterns; negations are left out (they can only add files back). */
async function gitignorePatterns(root: string): Promise<string[]> {
  const text = await readFile(join(root, '.gitignore'), 'utf8').catch(() => '');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
    .map((line) => {
      const anchored = line.startsWith('/');
      const pattern = line.replace(/^\//, '').replace(/\/$/, '');
      return `${anchored ? '' : '**/'}${pattern}/**`;
    });
}
