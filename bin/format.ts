/**
 * The app's formatting: its settings (`.editorconfig`, Prettier configuration) for code that shows
 * no style of its own, and its own Prettier for the changed files, as `sv migrate` does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import type { CodeStyle } from '../transforms/text.js';
import type { RootChange } from './shared-packages.js';

/** The part of Prettier's API used here; the same in Prettier 2 (sync) and 3 (async). */
interface Prettier {
  version: string;
  resolveConfigFile(file: string): Promise<string | null> | string | null;
  resolveConfig(file: string, options: { editorconfig: boolean }): Promise<PrettierOptions | null> | PrettierOptions | null;
  getFileInfo(file: string, options: { ignorePath?: string[] | string; plugins?: unknown[] }): Promise<{ ignored: boolean; inferredParser: string | null }>;
  check(source: string, options: PrettierOptions): Promise<boolean> | boolean;
  format(source: string, options: PrettierOptions): Promise<string> | string;
}

interface PrettierOptions {
  useTabs?: boolean;
  tabWidth?: number;
  singleQuote?: boolean;
  semi?: boolean;
  plugins?: unknown[];
  filepath?: string;
  [option: string]: unknown;
}

/** The Prettier an app's file would use (Node's resolution from its folder), cached by where it is installed. */
const loaded = new Map<string, Promise<Prettier>>();

async function prettierFor(file: string): Promise<Prettier | undefined> {
  const entry = prettierEntry(dirname(file));
  if (entry === undefined) return undefined;
  if (!loaded.has(entry)) loaded.set(entry, import(pathToFileURL(entry).href).then((module: { default?: Prettier } & Prettier) => module.default ?? module));
  return loaded.get(entry);
}

/** Where `prettier` resolves from each folder: one lookup per folder that can change the answer, not one per changed file. */
const entries = new Map<string, string | undefined>();

function prettierEntry(folder: string): string | undefined {
  if (entries.has(folder)) return entries.get(folder);
  let entry: string | undefined;
  const parent = dirname(folder);
  // Without a node_modules or a package.json of its own, a folder resolves a package as its parent does.
  if (parent !== folder && !existsSync(join(folder, 'node_modules')) && !existsSync(join(folder, 'package.json'))) {
    entry = prettierEntry(parent);
  } else {
    try {
      entry = createRequire(join(folder, 'index.js')).resolve('prettier');
    } catch {
      entry = undefined;
    }
  }
  entries.set(folder, entry);
  return entry;
}

/**
 * How new code of the app should look where a file gives no hint: the Prettier configuration
 * (with Prettier's defaults for what it leaves out) over `.editorconfig`. Empty when the app has
 * neither.
 */
export async function styleSettings(appRoot: string): Promise<Partial<CodeStyle>> {
  // A file that may not exist: configurations are looked up from where the code lives.
  const sample = join(resolve(appRoot), 'src', 'index.ts');
  const editorconfig = editorconfigStyle(sample);
  const prettier = await prettierFor(sample);
  let config: PrettierOptions | null | undefined;
  if (prettier) {
    try {
      config = (await prettier.resolveConfigFile(sample)) ? await prettier.resolveConfig(sample, { editorconfig: false }) : undefined;
    } catch {
      // An unreadable configuration is Prettier's to report when it formats; here it gives no settings.
    }
  } else {
    config = jsonPrettierConfig(appRoot);
  }
  if (!config) return editorconfig;
  const useTabs = config.useTabs ?? editorconfig.indent === '\t';
  const indent = useTabs ? '\t' : ' '.repeat(config.tabWidth ?? (editorconfig.indent?.length || 2));
  return { indent, quote: config.singleQuote ? "'" : '"', semicolon: config.semi ?? true };
}

/** `indent_style` and `indent_size` of the `.editorconfig` sections that apply to script files, nearest last. */
function editorconfigStyle(file: string): Partial<CodeStyle> {
  const folders: string[] = [];
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    const path = join(folder, '.editorconfig');
    if (existsSync(path)) {
      folders.unshift(folder);
      if (/^\s*root\s*=\s*true\s*$/im.test(readFileSync(path, 'utf8').split(/^\s*\[/m)[0]!)) break;
    }
    if (dirname(folder) === folder) break;
  }
  const settings: Record<string, string> = {};
  for (const folder of folders) {
    let applies = false;
    for (const line of readFileSync(join(folder, '.editorconfig'), 'utf8').split(/\r?\n/)) {
      const section = /^\s*\[(.*)\]\s*$/.exec(line);
      if (section) applies = ['x.ts', 'x.js', 'x.svelte'].some((name) => picomatch(section[1]!, { basename: true })(name));
      const pair = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(line);
      if (applies && pair) settings[pair[1]!.toLowerCase()] = pair[2]!.toLowerCase();
    }
  }
  if (settings.indent_style === 'tab') return { indent: '\t' };
  const size = Number(settings.indent_size === 'tab' ? settings.tab_width : settings.indent_size);
  return settings.indent_style === 'space' && size > 0 ? { indent: ' '.repeat(size) } : {};
}

/** Without Prettier installed, the configurations that are plain JSON: `.prettierrc(.json)` or package.json's `prettier`. */
function jsonPrettierConfig(appRoot: string): PrettierOptions | undefined {
  for (const name of ['.prettierrc', '.prettierrc.json']) {
    try {
      return JSON.parse(readFileSync(join(appRoot, name), 'utf8')) as PrettierOptions;
    } catch {
      // Absent, or YAML: not read without Prettier.
    }
  }
  try {
    const config = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { prettier?: unknown }).prettier;
    return typeof config === 'object' && config !== null ? (config as PrettierOptions) : undefined;
  } catch {
    return undefined;
  }
}

export interface Formatted {
  changes: RootChange[];
  /** How many changed files Prettier formatted, and with which version. */
  count: number;
  version: string | undefined;
  /** Files left as the migration wrote them because Prettier failed on them, and why. */
  failures: Array<{ path: string; message: string }>;
}

/** Below this many changed files, starting helper threads (each loads Prettier) costs more than it saves. */
const MIN_FILES_FOR_HELPERS = 16;

/** What formatting one changed file gave: its text, nothing (not formatted), or why Prettier failed. */
export type FormatResult = { text: string; version: string } | undefined | { error: string };

/**
 * Formats each changed file with the Prettier its app has installed and configured, as Prettier
 * run from `root` would (its ignore files count). A file that was not formatted with Prettier
 * before is left as the migration wrote it (its own style): formatting it would bury the migration
 * in unrelated changes. A file Prettier fails on is kept as migrated, and named. With `helpers`,
 * that many worker threads format files too (Prettier takes most of a run on a big app); the
 * result is the same.
 */
export async function formatChanges(root: string, changes: RootChange[], helpers = 0): Promise<Formatted> {
  const results: FormatResult[] = new Array(changes.length);
  let next = 0;
  const take = () => (next < changes.length ? next++ : undefined);
  const inThisThread = async () => {
    for (let i = take(); i !== undefined; i = take()) results[i] = await formatResult(root, changes[i]!);
  };
  const workers = changes.length >= MIN_FILES_FOR_HELPERS ? Array.from({ length: helpers }, () => new Worker(new URL('./format-worker.js', import.meta.url))) : [];
  const inWorker = async (worker: Worker) => {
    for (let i = take(); i !== undefined; i = take()) {
      results[i] = await new Promise<FormatResult>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ root, change: changes[i] });
      });
      worker.removeAllListeners('error');
    }
  };
  try {
    await Promise.all([inThisThread(), ...workers.map(inWorker)]);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  const failures: Formatted['failures'] = [];
  let count = 0;
  let version: string | undefined;
  const formatted = changes.map((change, i) => {
    const result = results[i];
    if (result && 'error' in result) failures.push({ path: change.path, message: result.error });
    if (!result || 'error' in result) return change;
    count++;
    version = result.version;
    return { ...change, after: result.text };
  });
  return { changes: formatted, count, version, failures };
}

/** One changed file through the app's Prettier: what `formatChanges` does with each, in any thread. */
export async function formatResult(root: string, change: RootChange): Promise<FormatResult> {
  try {
    return await formatOne(root, join(resolve(root), change.path), change);
  } catch (error) {
    return { error: firstLine(error) };
  }
}

async function formatOne(root: string, file: string, change: RootChange): Promise<{ text: string; version: string } | undefined> {
  const prettier = await prettierFor(file);
  if (!prettier) return undefined;
  const configFile = await prettier.resolveConfigFile(file);
  if (!configFile) return undefined;
  const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  // Plugins named in the configuration are the app's: resolved from where it is, not from here.
  const requireFromConfig = createRequire(configFile);
  const plugins = (config.plugins ?? []).map((plugin) => (typeof plugin === 'string' && !plugin.startsWith('.') && !plugin.startsWith('/') ? requireFromConfig.resolve(plugin) : typeof plugin === 'string' ? resolve(dirname(configFile), plugin) : plugin));
  // Prettier run from the folder given, or from its configuration's: either's ignore files count.
  // Prettier 2 takes one ignore file (and reads no .gitignore).
  const ignoreFiles = [...new Set([resolve(root), dirname(configFile)])]
    .flatMap((folder) => ['.prettierignore', '.gitignore'].map((name) => join(folder, name)))
    .filter((path) => existsSync(path));
  const ignorePath = Number(prettier.version.split('.')[0]) >= 3 ? ignoreFiles : ignoreFiles.find((path) => path.endsWith('.prettierignore'));
  const info = await prettier.getFileInfo(file, { ignorePath, plugins });
  if (info.ignored || !info.inferredParser) return undefined;
  const options = { ...config, plugins, filepath: file };
  if (change.before !== undefined && !(await prettier.check(change.before, options))) return undefined;
  return { text: await prettier.format(change.after, options), version: prettier.version };
}

const firstLine = (error: unknown): string => String(error instanceof Error ? error.message : error).split('\n')[0]!;
