/**
 * Project discovery: what SvelteKit would know about the app before it resolves a single import.
 * `svelte.config.js` is read statically (it is never executed: `migrate` is pure).
 */
import { posix } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { detectIndent, type CodeStyle } from '../text.js';
import type { ContextStyle, FolderLink, MigrateOptions, ProjectFiles } from '../types.js';
import { ConfigError, readKitConfig } from './kit-config.js';
import { packageOf, readPackages, type PackageInfo } from './workspace-packages.js';

export interface Alias {
  /** `$lib`, `@ui`, or `@utils/*` without the star. */
  find: string;
  /** Project-relative target path, without trailing slash. */
  replacement: string;
  /**
   * `prefix`: the alias and paths below it (`kit.alias` keys, as Vite matches them);
   * `subpaths`: only paths below it (keys ending in `/*`); `exact`: only itself (a `paths` key without `*`).
   */
  match: 'prefix' | 'subpaths' | 'exact';
}

export interface Project {
  /** The app's source folder (`src`, or `files.src`). */
  srcDir: string;
  routesDir: string;
  libDir: string;
  /** How the app reaches its lib folder: `$lib` (SvelteKit 2, or an alias), `#lib` (package.json `imports`), or neither. */
  libImport: '$lib' | '#lib' | undefined;
  /** package.json `imports` (`#lib/*`), resolved as Node and Vite do. */
  subpathImports: SubpathImport[];
  /** Whether imports through `#lib` name the file's extension (`#lib/stores/cart.ts`). */
  extensionsInLibImports: boolean;
  /** Folders linking to another folder of the project, longest first: imports through them reach the real files. */
  links: FolderLink[];
  aliases: Alias[];
  typescript: boolean;
  svelteMajor: number;
  /** The installed Svelte version, else the lowest the app's `package.json` range allows (`^5.40.1` -> [5, 40]), if known. */
  svelteVersion: [number, number] | undefined;
  contextStyle: ContextStyle;
  /** The app's key module; a workspace package's store modules use the package's own (`keyModuleFor`). */
  keyModule: string;
  rootLayout: string;
  packages: PackageInfo[];
  /** The app's formatting settings, for what shows no style of its own (`MigrateOptions.style`). */
  style: Partial<CodeStyle>;
  /** The indentation most of its source files use: for a file that shows none, where no setting names one. */
  usualIndent: string | undefined;
}

/** The key module a store module's keys go in: its workspace package's, else the app's. */
export function keyModuleFor(project: Project, modulePath: string): string {
  return packageOf(project.packages, modulePath)?.keyModule ?? project.keyModule;
}

export function discoverProject(files: ProjectFiles, options: MigrateOptions): Project {
  const kit = readKitConfig(files);
  const kitMajor = lowestVersion(options.kitVersion)?.[0] ?? lowestVersion(dependencyRange(files, '@sveltejs/kit'))?.[0] ?? (kit.source?.startsWith('vite.config') ? 3 : 2);
  const subpathImports = readSubpathImports(files);
  // SvelteKit 3 has no `$lib`: the lib folder is where `#lib/*` points (package.json `imports`).
  const libImport = subpathImports.find((entry) => entry.pattern === '#lib/*');
  const srcDir = normalise(kit.files.src ?? 'src');
  const routesDir = normalise(kit.files.routes ?? `${srcDir}/routes`);
  const libDir = normalise(kitMajor >= 3 ? (libImport?.target.replace(/\/\*$/, '') ?? `${srcDir}/lib`) : (kit.files.lib ?? 'src/lib'));
  const typescript = files.has('tsconfig.json') || [...files.keys()].some((path) => path.startsWith('src/') && /(?<!\.d)\.ts$/.test(path));

  const aliases: Alias[] = kitMajor >= 3 ? [] : [{ find: '$lib', replacement: libDir, match: 'prefix' }];
  for (const { key, target } of kit.alias) {
    const subpathsOnly = key.endsWith('/*');
    aliases.push({ find: subpathsOnly ? key.slice(0, -2) : key, replacement: normalise(target.replace(/\/\*$/, '')), match: subpathsOnly ? 'subpaths' : 'prefix' });
  }
  aliases.push(...tsconfigPaths(files));

  const extension = typescript ? 'ts' : 'js';
  const keyModuleRefused = options.keyModule === undefined ? undefined : keyModuleProblem(options.keyModule, { srcDir, routesDir });
  if (keyModuleRefused) throw new ConfigError(keyModuleRefused);
  const declared = lowestVersion(svelteRange(files));
  const svelteVersion = lowestVersion(options.svelteVersion) ?? declared;
  return {
    srcDir,
    routesDir,
    libDir,
    libImport: aliases.some((alias) => alias.find === '$lib') ? '$lib' : libImport ? '#lib' : undefined,
    subpathImports,
    extensionsInLibImports: libImport !== undefined && writesExtensions(files, '#lib/'),
    aliases,
    typescript,
    // What the app declares shapes new code (`<slot />` or `{@render children()}`); the installed
    // version only fills in for a range that names none.
    svelteMajor: declared?.[0] ?? svelteVersion?.[0] ?? 5,
    svelteVersion,
    contextStyle: options.contextStyle ?? 'key-module',
    // Through a linked folder, the key module is the file at its real path.
    keyModule: realPath(normalise(options.keyModule ?? `${libDir}/context-keys.${extension}`), options.links ?? []),
    rootLayout: `${routesDir}/+layout.svelte`,
    packages: readPackages(files, options.packages ?? []),
    // A link into one of its own parents (`src/lib/loop` -> `src`) is a loop: nothing is reached through it.
    links: (options.links ?? []).filter((link) => !link.path.startsWith(`${link.target}/`)).sort((a, b) => b.path.length - a.path.length),
    style: options.style ?? {},
    usualIndent: usualIndent(files, [srcDir, routesDir, libDir]),
  };
}

/**
 * The indentation most of the app's own source files use (under `src`, its routes and its lib,
 * wherever the Kit config puts them), for a file that shows none (a store module of three
 * unindented lines) where no setting names one: the first hundred, by path.
 */
function usualIndent(files: ProjectFiles, sourceDirs: string[]): string | undefined {
  const votes = new Map<string, number>();
  const inSources = (path: string) => sourceDirs.some((dir) => path.startsWith(`${dir}/`));
  const sources = [...files.keys()].filter((path) => inSources(path) && /\.(?:svelte|[cm]?[jt]s)$/.test(path)).sort().slice(0, 100);
  for (const path of sources) {
    const indent = detectIndent(files.get(path)!);
    if (indent) votes.set(indent, (votes.get(indent) ?? 0) + 1);
  }
  return [...votes].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0];
}

/**
 * Why `--key-module` cannot be this path, if it cannot: it must be a `.ts`/`.js` module of the
 * app's own source, never a component, a route file, or something in `.git` or `node_modules`.
 * `where` adds the folders once the configuration is known.
 */
export function keyModuleProblem(path: string, where?: { srcDir: string; routesDir: string }): string | undefined {
  const normalised = normalise(path);
  if (posix.isAbsolute(path) || normalised.startsWith('..')) return `--key-module ${path} is outside the app; give a path inside its source, such as src/lib/context-keys.ts`;
  if (!/\.[cm]?[jt]s$/.test(normalised) || normalised.endsWith('.d.ts')) return `--key-module ${path} is not a .ts or .js module`;
  if (normalised.split('/').some((part) => part === '.git' || part === 'node_modules')) return `--key-module ${path} is inside ${normalised.includes('.git') ? '.git' : 'node_modules'}`;
  if (/(?:^|\/)(?:\+[^/]*|hooks(?:\.\w+)?\.[cm]?[jt]s)$/.test(normalised)) return `--key-module ${path} is a SvelteKit route or hooks file; give a module of its own, such as src/lib/context-keys.ts`;
  if (where && !normalised.startsWith(`${where.srcDir}/`)) return `--key-module ${path} is outside the app's source (${where.srcDir}/)`;
  if (where && normalised.startsWith(`${where.routesDir}/`)) return `--key-module ${path} is inside the routes folder (${where.routesDir}/), where every module is a route; put it in the lib folder`;
  return undefined;
}

/** `src/lib/x.ts` as `lib-real/x.ts` when `src/lib` links to `lib-real`. */
function realPath(path: string, links: FolderLink[]): string {
  const link = [...links].sort((a, b) => b.path.length - a.path.length).find((candidate) => path.startsWith(`${candidate.path}/`));
  return link ? link.target + path.slice(link.path.length) : path;
}

/** One entry of package.json `imports`: `#lib/*` -> `src/lib/*` (project-relative), conditions resolved. */
export interface SubpathImport {
  pattern: string;
  target: string;
}

/** Conditions a Vite build of a SvelteKit app resolves with, in no particular order (the entry's own order decides). */
const ACTIVE_CONDITIONS = new Set(['svelte', 'import', 'module', 'browser', 'node', 'development', 'production', 'default']);

/** package.json `imports`, as Node and Vite resolve them: the first active condition of each entry, in the entry's order. */
function readSubpathImports(files: ProjectFiles): SubpathImport[] {
  let manifest: { imports?: Record<string, unknown> } | undefined;
  try {
    manifest = JSON.parse(files.get('package.json') ?? '{}') as { imports?: Record<string, unknown> };
  } catch {
    return [];
  }
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value.map(pick).find((target) => target !== undefined);
    if (value && typeof value === 'object') {
      for (const [condition, nested] of Object.entries(value)) if (ACTIVE_CONDITIONS.has(condition)) return pick(nested);
    }
    return undefined;
  };
  return Object.entries(manifest?.imports ?? {}).flatMap(([pattern, value]) => {
    const target = pick(value);
    return pattern.startsWith('#') && target?.startsWith('./') ? [{ pattern, target: normalise(target) }] : [];
  });
}

/** Whether the app's own imports through `prefix` name files with their extension (`#lib/cart.ts`), as SvelteKit 3 apps do. */
function writesExtensions(files: ProjectFiles, prefix: string): boolean {
  let withExtension = 0;
  let without = 0;
  const pattern = new RegExp(`['"]${prefix.replace(/[$#]/g, '\\$&')}([^'"\n]+)['"]`, 'g');
  for (const [path, text] of files) {
    if (!/\.(?:svelte|[cm]?[jt]s)$/.test(path) || !text.includes(prefix)) continue;
    for (const match of text.matchAll(pattern)) {
      if (/\.(?:[cm]?[jt]s|svelte)$/.test(match[1]!)) withExtension++;
      else without++;
    }
  }
  return withExtension > 0 && withExtension >= without;
}

/** `compilerOptions.paths` of `tsconfig.json` or `jsconfig.json` (JSON with comments and trailing commas, as TypeScript reads it). */
function tsconfigPaths(files: ProjectFiles): Alias[] {
  const name = ['tsconfig.json', 'jsconfig.json'].find((candidate) => files.has(candidate));
  if (!name) return [];
  const config = parseJsonc(files.get(name)!, [], { allowTrailingComma: true }) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } } | undefined;
  const baseUrl = config?.compilerOptions?.baseUrl ?? '.';
  const aliases: Alias[] = [];
  for (const [key, targets] of Object.entries(config?.compilerOptions?.paths ?? {})) {
    const target = targets[0];
    if (!target || key.startsWith('$lib') || (key.includes('*') && !(key.endsWith('/*') && target.endsWith('/*')))) continue;
    const wildcard = key.endsWith('/*');
    aliases.push({
      find: wildcard ? key.slice(0, -2) : key,
      replacement: normalise(posix.join(baseUrl, wildcard ? target.slice(0, -2) : target)),
      match: wildcard ? 'subpaths' : 'exact',
    });
  }
  return aliases;
}

function normalise(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
}

/** The version range of `svelte` in the app's `package.json`, if any. */
export function svelteRange(files: ProjectFiles): string | undefined {
  return dependencyRange(files, 'svelte');
}

function dependencyRange(files: ProjectFiles, name: string): string | undefined {
  try {
    const pkg = JSON.parse(files.get('package.json') ?? '{}') as Record<string, Record<string, string> | undefined>;
    return pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? pkg.peerDependencies?.[name];
  } catch {
    return undefined;
  }
}

/** The first version a range names is its lowest (`^5.40.1`, `~5.41`, `>=5.40 <6`, `5.x`). */
function lowestVersion(range: string | undefined): [number, number] | undefined {
  const version = range && /(\d+)(?:\.(\d+))?/.exec(range);
  return version ? [Number(version[1]), Number(version[2] ?? 0)] : undefined;
}
