/**
 * A folder's migration as the CLI and `migrateDirectory` both run it: its apps found, each app's
 * options gathered (flags over its config file, its formatting settings), every app migrated (in
 * worker threads with `cpus` > 1) until shared packages agree, and every change merged.
 */
import { availableParallelism } from 'node:os';
import { posix, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ContextStyle, MigrateOptions } from '../transforms/index.js';
import { readConfig } from './config.js';
import type { AppFolder } from './find-apps.js';
import { styleSettings } from './format.js';
import { runApp, type AppJob, type AppRun } from './run-app.js';
import { shareBlockers } from './shared-packages.js';
import { Progress } from './terminal.js';

/** Worker threads by default, as jscodeshift does: one core stays free for the rest of the machine. */
export const DEFAULT_CPUS = Math.max(1, availableParallelism() - 1);

/** Helper threads formatting beside the main thread: `cpus`, but no more than the other cores. */
export const helperThreads = (cpus: number) => Math.max(0, Math.min(cpus, availableParallelism() - 1));

/** What the flags (or `migrateDirectory`'s options) say; an app's config file fills in the rest. */
export interface FolderOptions {
  keyModule?: string;
  contextStyle?: ContextStyle;
  all?: boolean;
  onlyLeaks?: boolean;
  annotate?: boolean;
  factory?: string[];
  include?: string[];
  exclude?: string[];
  ignorePattern?: string[];
}

/** Each app's job: the folder's config file, the app's own over it, the options over both. Throws a `ConfigError` for a malformed config file. */
export async function appJobs(root: string, apps: AppFolder[], options: FolderOptions): Promise<AppJob[]> {
  const rootConfig = await readConfig(root);
  return Promise.all(
    apps.map(async (app) => {
      const config = { ...rootConfig, ...(app.dir === '.' ? {} : await readConfig(join(root, app.dir))) };
      const job = appJob(root, app, options, config);
      job.options.style = await styleSettings(job.appRoot);
      return job;
    }),
  );
}

export function appJob(root: string, app: AppFolder, options: FolderOptions, config: MigrateOptions): AppJob {
  return {
    appRoot: join(root, app.dir),
    ignorePatterns: options.ignorePattern ?? [],
    options: {
      packages: app.packages.map((pkg) => ({ name: pkg.name, dir: posix.relative(app.dir, pkg.dir) })),
      keyModule: options.keyModule ?? config.keyModule,
      contextStyle: options.contextStyle ?? config.contextStyle,
      all: options.all || config.all,
      onlyLeaks: options.onlyLeaks,
      annotate: options.annotate || config.annotate,
      factories: [...(config.factories ?? []), ...(options.factory ?? [])],
      include: [...(config.include ?? []), ...(options.include ?? [])],
      exclude: [...(config.exclude ?? []), ...(options.exclude ?? [])],
    },
  };
}

/**
 * Runs every app; then, while a workspace package's store module is blocked in one app but
 * migrated in another, runs the latter again with the former's blockers: it migrates everywhere
 * or nowhere. `showProgress` draws a progress line per app on a terminal.
 */
export async function migrateApps(apps: string[], jobs: AppJob[], cpus: number, showProgress = false): Promise<AppRun[]> {
  const runSome = (indices: number[]) =>
    cpus > 1 && indices.length > 1
      ? runInWorkers(indices.map((i) => jobs[i]!), cpus)
      : runInline(indices.map((i) => apps[i]!), indices.map((i) => jobs[i]!), showProgress);
  const runs = await runSome(apps.map((_, i) => i));
  for (let again = shareBlockers(apps, jobs, runs); again.length > 0; again = shareBlockers(apps, jobs, runs)) {
    const reruns = await runSome(again);
    again.forEach((appIndex, k) => (runs[appIndex] = reruns[k]!));
  }
  return runs;
}

async function runInline(apps: string[], jobs: AppJob[], showProgress: boolean): Promise<AppRun[]> {
  const runs: AppRun[] = [];
  for (const [i, job] of jobs.entries()) {
    const progress = showProgress ? new Progress(apps[i]!) : undefined;
    try {
      runs.push(await runApp(job, progress));
    } finally {
      progress?.done();
    }
  }
  return runs;
}

/** Up to `cpus` worker threads, each reading, parsing and planning whole apps. */
async function runInWorkers(jobs: AppJob[], cpus: number): Promise<AppRun[]> {
  const runs: AppRun[] = new Array(jobs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(cpus, jobs.length) }, () => new Worker(new URL('./app-worker.js', import.meta.url)));
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let i = next++; i < jobs.length; i = next++) {
          runs[i] = await new Promise<AppRun>((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage(jobs[i]);
          });
          worker.removeAllListeners('error');
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return runs;
}
