/**
 * SvelteKit's configuration, read without running anything: the options of the `sveltekit({…})`
 * call in `vite.config.*` (SvelteKit 3, and 2.62+ where it then ignores svelte.config), else the
 * `kit` object of `svelte.config.*`. A setting this tool needs that is not written out (computed,
 * spread, imported) stops the run with a message naming it: guessing would put files where the
 * app does not look for them.
 */
import { posix } from 'node:path';
import type { Node, ObjectExpression, Program } from '@babel/types';
import type { ProjectFiles } from '../types.js';
import { walk } from './ast.js';
import { parseScriptCode } from './parse.js';

export const SVELTE_CONFIG_NAMES = ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts'];
export const VITE_CONFIG_NAMES = ['vite.config.ts', 'vite.config.js', 'vite.config.mts', 'vite.config.mjs'];

export interface KitConfig {
  /** Where the settings were read: `vite.config.ts (sveltekit options)`, `svelte.config.js (kit)`. */
  source: string | undefined;
  /** `files.src`, `files.routes`, `files.lib` (Kit 2 only), as written. */
  files: { src?: string; routes?: string; lib?: string };
  /** `alias` entries, as written. */
  alias: Array<{ key: string; target: string }>;
}

/** A configuration this tool cannot read without running it; the CLI exits 2 with this message. */
export class ConfigError extends Error {}

export function readKitConfig(files: ProjectFiles): KitConfig {
  const fromVite = viteConfigOptions(files);
  if (fromVite) return settings(fromVite.options, fromVite.source);
  const fromSvelte = svelteConfigKit(files);
  return fromSvelte ? settings(fromSvelte.options, fromSvelte.source) : { source: undefined, files: {}, alias: [] };
}

/** Whether a Vite config brings in SvelteKit's plugin (`sveltekit(…)`, under any local name). */
export function viteConfigCallsSvelteKit(text: string): boolean {
  return text.includes('@sveltejs/kit/vite');
}

function viteConfigOptions(files: ProjectFiles): { options: ObjectExpression | undefined; source: string } | undefined {
  const path = VITE_CONFIG_NAMES.find((name) => files.has(name));
  const text = path && files.get(path)!;
  if (!path || !text || !viteConfigCallsSvelteKit(text)) return undefined;
  const program = parseConfig(path, text);
  const local = sveltekitLocalName(program);
  let call: Extract<Node, { type: 'CallExpression' }> | undefined;
  walk(program, (node) => {
    if (!call && node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === local) call = node;
  });
  // `sveltekit()` with no options leaves the configuration to svelte.config.
  if (!call || call.arguments.length === 0) return undefined;
  const source = `${path} (the options of sveltekit())`;
  const options = resolveLocal(program, call.arguments[0] as Node);
  if (options?.type !== 'ObjectExpression') throw new ConfigError(`${source} are not written out as an object literal, so the app's folders cannot be read without running it; write them inline (or pass --key-module and keep the default folders)`);
  return { options, source };
}

function svelteConfigKit(files: ProjectFiles): { options: ObjectExpression | undefined; source: string } | undefined {
  const path = SVELTE_CONFIG_NAMES.find((name) => files.has(name));
  if (!path) return undefined;
  const program = parseConfig(path, files.get(path)!);
  const exported = program.body.find((statement) => statement.type === 'ExportDefaultDeclaration');
  let config = exported?.type === 'ExportDefaultDeclaration' ? resolveLocal(program, exported.declaration as Node) : undefined;
  // `export default defineConfig({ … })`
  if (config?.type === 'CallExpression' && config.arguments.length === 1) config = resolveLocal(program, config.arguments[0] as Node);
  const source = `${path} (kit)`;
  if (config?.type !== 'ObjectExpression') return { options: undefined, source };
  if (config.properties.some((property) => property.type === 'SpreadElement')) throw new ConfigError(`${path}: the exported config spreads another object, so \`kit\` cannot be read without running it; write it out`);
  const kit = propertyValue(config, 'kit');
  if (kit === undefined) return { options: undefined, source };
  const resolved = resolveLocal(program, kit);
  if (resolved?.type !== 'ObjectExpression') throw new ConfigError(`${path}: \`kit\` is not written out as an object literal, so it cannot be read without running it; write it out`);
  return { options: resolved, source };
}

function parseConfig(path: string, text: string): Program {
  try {
    return parseScriptCode(path, text, text, 0).program;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; the app's configuration must parse to be read`);
  }
}

/** The settings this tool uses, each written out or refused by name. */
function settings(options: ObjectExpression | undefined, source: string | undefined): KitConfig {
  const config: KitConfig = { source, files: {}, alias: [] };
  if (!options) return config;
  const refuse = (setting: string): never => {
    throw new ConfigError(`${source}: \`${setting}\` is not a plain string or object, so it cannot be read without running the config; write it out as a literal, then run again`);
  };
  if (options.properties.some((property) => property.type === 'SpreadElement')) refuse('(a spread of other options)');
  const filesNode = propertyValue(options, 'files');
  if (filesNode !== undefined) {
    if (filesNode.type !== 'ObjectExpression' || filesNode.properties.some((property) => property.type === 'SpreadElement')) refuse('files');
    for (const key of ['src', 'routes', 'lib'] as const) {
      const value = propertyValue(filesNode as ObjectExpression, key);
      if (value === undefined) continue;
      config.files[key] = staticString(value) ?? refuse(`files.${key}`);
    }
  }
  const aliasNode = propertyValue(options, 'alias');
  if (aliasNode !== undefined) {
    if (aliasNode.type !== 'ObjectExpression') refuse('alias');
    for (const property of (aliasNode as ObjectExpression).properties) {
      if (property.type !== 'ObjectProperty' || property.computed) refuse('alias');
      const key = (property as { key: Node }).key;
      const name = key.type === 'Identifier' ? key.name : staticString(key);
      const target = staticString((property as { value: Node }).value);
      if (name === undefined || target === undefined) refuse(`alias${name ? `['${name}']` : ''}`);
      config.alias.push({ key: name!, target: target! });
    }
  }
  return config;
}

/** The local name `sveltekit` is imported under from `@sveltejs/kit/vite`. */
function sveltekitLocalName(program: Program): string {
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== '@sveltejs/kit/vite') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportSpecifier' && (specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value) === 'sveltekit') return specifier.local.name;
    }
  }
  return 'sveltekit';
}

/** An identifier bound to a top-level `const`'s value, followed; casts unwrapped. */
function resolveLocal(program: Program, node: Node | undefined, seen = new Set<string>()): Node | undefined {
  while (node && (node.type === 'TSSatisfiesExpression' || node.type === 'TSAsExpression' || node.type === 'ParenthesizedExpression')) node = node.expression;
  if (node?.type !== 'Identifier' || seen.has(node.name)) return node;
  seen.add(node.name);
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.id.name === node.name) return resolveLocal(program, declarator.init ?? undefined, seen);
    }
  }
  return undefined;
}

function propertyValue(object: ObjectExpression, key: string): Node | undefined {
  const property = object.properties.find(
    (candidate) => candidate.type === 'ObjectProperty' && !candidate.computed && ((candidate.key.type === 'Identifier' && candidate.key.name === key) || staticString(candidate.key) === key),
  );
  return property?.type === 'ObjectProperty' ? (property.value as Node) : undefined;
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
