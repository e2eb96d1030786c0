/**
 * The package's entry point: `migrate` and `checkLeaks` (pure: files in, result out) and
 * `migrateDirectory` (reads a folder as the CLI does; writes nothing).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keyModuleProblem, type MigrateOptions, type MigrationReport, type WorkspacePackage } from '../transforms/index.js';
import { findApps } from './find-apps.js';
import { formatChanges } from './format.js';
import { appJobs, DEFAULT_CPUS, helperThreads, migrateApps } from './migrate-folder.js';
import { mergeChanges } from './shared-packages.js';
import { JOURNAL } from './write-transaction.js';

export * from '../transforms/index.js';

export interface MigrateDirectoryOptions
  extends Pick<MigrateOptions, 'keyModule' | 'contextStyle' | 'all' | 'onlyLeaks' | 'annotate' | 'factories' | 'include' | 'exclude'> {
  /** Files not to read, as `--ignore-pattern` globs relative to each app. */
  ignorePatterns?: string[];
  /** Run the app's own Prettier on the changed files, as the CLI does (default true; `--no-format` is false). */
  format?: boolean;
  /** Migrate up to this many apps of a monorepo at once, each in a worker thread (default: the cores minus one, as the CLI). */
  cpus?: number;
}

export interface FileChange {
  /** Relative to the folder given, POSIX. */
  path: string;
  /** The file's content before; undefined for a file the migration creates. */
  before: string | undefined;
  after: string;
}

export interface DirectoryMigration {
  /** Every file to change or create, once (a shared package's file too), sorted by path; nothing is written. */
  changes: FileChange[];
  /** Each app's report, `root` relative to the folder given (`.` for the folder itself). */
  apps: Array<{ root: string; report: MigrationReport }>;
  /** Apps left as they are because the run cannot read them (their configuration, say), and why. */
  refused: Array<{ root: string; message: string }>;
  /**
   * Run from inside a monorepo: the workspace packages the apps use that lie outside `dir` (`dir`
   * relative to it). Their store modules were not read; run from the workspace's root to include them.
   */
  packagesOutside: WorkspacePackage[];
  /** Changed files the app's Prettier failed on, and why: their `after` is as migrated, unformatted. */
  formatFailures: Array<{ path: string; message: string }>;
}

/**
 * The CLI's migration of `dir` (an app, or a monorepo of apps) without the writing: the changes
 * and the reports, as `--dry --json` would give them. Throws when there is no SvelteKit app under
 * `dir`, a configuration file is malformed, or an earlier run was interrupted while writing there.
 */
export async function migrateDirectory(dir: string, options: MigrateDirectoryOptions = {}): Promise<DirectoryMigration> {
  const root = resolve(dir);
  if (existsSync(join(root, JOURNAL))) throw new Error(`${dir}: an earlier run was interrupted while writing (${JOURNAL}); run the CLI there once to put its files back`);
  const keyModuleRefused = options.keyModule === undefined ? undefined : keyModuleProblem(options.keyModule);
  if (keyModuleRefused) throw new Error(keyModuleRefused);
  const { apps, outside } = await findApps(root);
  if (apps.length === 0) throw new Error(`no SvelteKit app under ${dir}`);
  const jobs = await appJobs(root, apps, { ...options, factory: options.factories, ignorePattern: options.ignorePatterns });
  const runs = await migrateApps(apps.map((app) => app.dir), jobs, options.cpus ?? DEFAULT_CPUS);
  const merged = mergeChanges(apps.map((app) => app.dir), runs);
  const formatted = options.format === false ? { changes: merged, failures: [] } : await formatChanges(root, merged, helperThreads(options.cpus ?? DEFAULT_CPUS));
  return {
    changes: formatted.changes.map(({ path, before, after, created }) => ({ path, before: created ? undefined : before, after })),
    apps: runs.flatMap((run, i) => (run.ok ? [{ root: apps[i]!.dir, report: run.report }] : [])),
    refused: runs.flatMap((run, i) => (run.ok ? [] : [{ root: apps[i]!.dir, message: run.message }])),
    packagesOutside: outside?.packages ?? [],
    formatFailures: formatted.failures,
  };
}
