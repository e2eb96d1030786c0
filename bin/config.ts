/** `svelte-store-context.config.json`: options a project keeps next to its `svelte.config.js`. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyModuleProblem, type ContextStyle, type MigrateOptions } from '../transforms/index.js';

export const CONFIG_FILE = 'svelte-store-context.config.json';

export const CONTEXT_STYLES: ContextStyle[] = ['key-module', 'create-context'];

export class ConfigError extends Error {}

const fail = (message: string): never => {
  throw new ConfigError(`${CONFIG_FILE}: ${message}`);
};

export async function readConfig(root: string): Promise<MigrateOptions> {
  const text = await readFile(join(root, CONFIG_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    return fail(`${(error as Error).message}`);
  }
  const { keyModule, contextStyle, all, annotate, factories, include, exclude, ...unknown } = (config ?? {}) as Record<string, unknown>;
  const keys = Object.keys(unknown);
  if (keys.length > 0) fail(`unknown option ${keys.join(', ')} (known: keyModule, contextStyle, all, annotate, factories, include, exclude)`);
  if (keyModule !== undefined && typeof keyModule !== 'string') fail(`keyModule must be a string`);
  const keyModuleRefused = typeof keyModule === 'string' ? keyModuleProblem(keyModule) : undefined;
  if (keyModuleRefused) fail(keyModuleRefused.replace('--key-module', 'keyModule'));
  if (contextStyle !== undefined && !CONTEXT_STYLES.includes(contextStyle as ContextStyle)) fail(`contextStyle must be one of ${CONTEXT_STYLES.join(', ')}`);
  for (const [name, value] of Object.entries({ all, annotate })) {
    if (value !== undefined && typeof value !== 'boolean') fail(`${name} must be true or false`);
  }
  for (const [name, value] of Object.entries({ factories, include, exclude })) {
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) fail(`${name} must be a list of strings`);
  }
  return { keyModule, contextStyle, all, annotate, factories, include, exclude } as MigrateOptions;
}
