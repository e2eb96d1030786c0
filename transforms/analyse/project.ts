/**
 * Project discovery: what SvelteKit would know about the app before it resolves a single import.
 * `svelte.config.js` is read statically (it is never executed: `migrate` is pure).
 */
import { posix } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Node, ObjectExpression } from '@babel/types';
import type { ContextStyle, MigrateOptions, ProjectFiles } from '../types.js';
import { parseScriptCode } from './parse.js';
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
  routesDir: string;
  libDir: string;
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
}

/** The key module a store module's keys go in: its workspace package's, else the app's. */
export function keyModuleFor(project: Project, modulePath: string): string {
  return packageOf(project.packages, modulePath)?.keyModule ?? project.keyModule;
}

const SVELTE_CONFIG_NAMES = ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts'];

export function discoverProject(files: ProjectFiles, options: MigrateOptions): Project {
  const kit = readKitConfig(files);
  const routesDir = normalise(stringAt(kit, ['files', 'routes']) ?? 'src/routes');
  const libDir = normalise(stringAt(kit, ['files', 'lib']) ?? 'src/lib');
  const typescript = files.has('tsconfig.json') || [...files.keys()].some((path) => path.startsWith('src/') && /(?<!\.d)\.ts$/.test(path));

  const aliases: Alias[] = [{ find: '$lib', replacement: libDir, match: 'prefix' }];
  const aliasObject = propertyAt(kit, ['alias']);
  if (aliasObject?.type === 'ObjectExpression') {
    for (const property of aliasObject.properties) {
      if (property.type !== 'ObjectProperty') continue;
      const key = property.key.type === 'Identifier' ? property.key.name : staticString(property.key);
      const target = staticString(property.value);
      if (key === undefined || target === undefined) continue;
      const subpathsOnly = key.endsWith('/*');
      aliases.push({
        find: subpathsOnly ? key.slice(0, -2) : key,
        replacement: normalise(target.replace(/\/\*$/, '')),
        match: subpathsOnly ? 'subpaths' : 'prefix',
      });
    }
  }
  aliases.push(...tsconfigPaths(files));

  const extension = typescript ? 'ts' : 'js';
  const declared = lowestSvelteVersion(svelteRange(files));
  const svelteVersion = lowestSvelteVersion(options.svelteVersion) ?? declared;
  return {
    routesDir,
    libDir,
    aliases,
    typescript,
    // What the app declares shapes new code (`<slot />` or `{@render children()}`); the installed
    // version only fills in for a range that names none.
    svelteMajor: declared?.[0] ?? svelteVersion?.[0] ?? 5,
    svelteVersion,
    contextStyle: options.contextStyle ?? 'key-module',
    keyModule: normalise(options.keyModule ?? `${libDir}/context-keys.${extension}`),
    rootLayout: `${routesDir}/+layout.svelte`,
    packages: readPackages(files, options.packages ?? []),
  };
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
  try {
    const pkg = JSON.parse(files.get('package.json') ?? '{}') as Record<string, Record<string, string> | undefined>;
    return pkg.dependencies?.svelte ?? pkg.devDependencies?.svelte ?? pkg.peerDependencies?.svelte;
  } catch {
    return undefined;
  }
}

/** The first version a range names is its lowest (`^5.40.1`, `~5.41`, `>=5.40 <6`, `5.x`). */
function lowestSvelteVersion(range: string | undefined): [number, number] | undefined {
  const version = range && /(\d+)(?:\.(\d+))?/.exec(range);
  return version ? [Number(version[1]), Number(version[2] ?? 0)] : undefined;
}

/** The object literal behind `kit` in `svelte.config.js`, if it can be read without running it. */
function readKitConfig(files: ProjectFiles): ObjectExpression | undefined {
  const configPath = SVELTE_CONFIG_NAMES.find((name) => files.has(name));
  if (!configPath) return undefined;
  const text = files.get(configPath)!;
  let program;
  try {
    program = parseScriptCode(configPath, text, text, 0).program;
  } catch {
    return undefined;
  }
  const topLevelObjects = new Map<string, Node>();
  let exported: Node | undefined;
  for (const statement of program.body) {
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.init) topLevelObjects.set(declarator.id.name, declarator.init);
      }
    }
    if (statement.type === 'ExportDefaultDeclaration') exported = statement.declaration;
  }
  const resolve = (node: Node | undefined): Node | undefined => {
    while (node && (node.type === 'TSSatisfiesExpression' || node.type === 'TSAsExpression')) node = node.expression;
    return node?.type === 'Identifier' ? resolve(topLevelObjects.get(node.name)) : node;
  };
  const config = resolve(exported);
  if (config?.type !== 'ObjectExpression') return undefined;
  const kit = resolve(propertyAt(config, ['kit']));
  return kit?.type === 'ObjectExpression' ? kit : undefined;
}

function propertyAt(object: ObjectExpression | undefined, path: string[]): Node | undefined {
  let node: Node | undefined = object;
  for (const key of path) {
    if (node?.type !== 'ObjectExpression') return undefined;
    const property: Node | undefined = node.properties.find(
      (candidate) => candidate.type === 'ObjectProperty' && !candidate.computed && ((candidate.key.type === 'Identifier' && candidate.key.name === key) || staticString(candidate.key) === key),
    );
    node = property?.type === 'ObjectProperty' ? (property.value as Node) : undefined;
  }
  return node;
}

function stringAt(object: ObjectExpression | undefined, path: string[]): string | undefined {
  const node = propertyAt(object, path);
  return node ? staticString(node) : undefined;
}

/** A string known without running code: literals, and `path.resolve('src/x')`-style calls. */
function staticString(node: Node): string | undefined {
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  if (node.type === 'CallExpression') {
    const parts = node.arguments.map((argument) => (argument.type === 'Identifier' && argument.name === '__dirname' ? '.' : staticString(argument as Node)));
    if (parts.length > 0 && parts.every((part): part is string => part !== undefined)) return posix.join(...parts);
  }
  return undefined;
}
