/** One app's migration, from disk to result, without printing or writing: runs inline or in a worker thread. */
import { readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { checkLeaks, migrate, type LeakReport, type MigrateOptions, type MigrationProgress, type MigrationReport } from '../transforms/index.js';
import { readProject, type ReadProject } from './read-project.js';

export interface AppJob {
  appRoot: string;
  /** Includes the workspace packages the app depends on (`dir` relative to the app root) and blockers other apps found in them. */
  options: Omit<MigrateOptions, 'unreadable' | 'ignored' | 'links' | 'onProgress'>;
  ignorePatterns: string[];
}

export type AppRun =
  | {
      ok: true;
      report: MigrationReport;
      /** New content of each changed file. */
      files: Map<string, string>;
      /** Content before, for each changed file that existed (for diffs). */
      before: Map<string, string>;
    }
  | { ok: false; message: string };

export async function runApp(job: AppJob, progress?: { read(files: number): void; update(files: number, state: MigrationProgress): void }): Promise<AppRun> {
  const project = await readAppAndPackages(job);
  progress?.read(project.files.size);
  try {
    const { files, report } = migrate(project.files, {
      ...job.options,
      complete: true,
      svelteVersion: installedVersion(job.appRoot, 'svelte'),
      kitVersion: installedVersion(job.appRoot, '@sveltejs/kit'),
      unreadable: project.unreadable,
      ignored: project.ignored,
      links: project.links,
      onProgress: progress && ((state) => progress.update(project.files.size, state)),
    });
    const before = new Map([...files.keys()].filter((path) => project.files.has(path)).map((path) => [path, project.files.get(path)!]));
    return { ok: true, report, files, before };
  } catch (error) {
    // Options `migrate` refuses (a malformed factory) are the caller's usage error.
    return { ok: false, message: (error as Error).message };
  }
}

export type AppCheckRun = { ok: true; report: LeakReport } | { ok: false; message: string };

/** One app's leak check (`--check`): reads the app as a migration does, plans and edits nothing. */
export async function checkApp(job: AppJob): Promise<AppCheckRun> {
  const project = await readAppAndPackages(job);
  try {
    const report = checkLeaks(project.files, {
      ...job.options,
      svelteVersion: installedVersion(job.appRoot, 'svelte'),
      kitVersion: installedVersion(job.appRoot, '@sveltejs/kit'),
      unreadable: project.unreadable,
      ignored: project.ignored,
      links: project.links,
    });
    return { ok: true, report };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** The version of a package the app resolves (Node looks in `node_modules` from the app's folder up), if installed. */
function installedVersion(appRoot: string, name: string): string | undefined {
  for (let folder = resolve(appRoot); ; folder = dirname(folder)) {
    try {
      return (JSON.parse(readFileSync(join(folder, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
    } catch {
      if (dirname(folder) === folder) return undefined;
    }
  }
}

/** The app's files, and each workspace package's under its folder relative to the app (`../../packages/stores/src/cart.ts`). */
async function readAppAndPackages(job: AppJob): Promise<ReadProject> {
  const app = await readProject(job.appRoot, job.ignorePatterns);
  for (const { dir } of job.options.packages ?? []) {
    const pkg = await readProject(join(job.appRoot, dir), job.ignorePatterns);
    for (const [path, text] of pkg.files) app.files.set(`${dir}/${path}`, text);
    app.unreadable.push(...pkg.unreadable.map((file) => ({ ...file, file: `${dir}/${file.file}` })));
    app.ignored.push(...pkg.ignored.map((file) => ({ ...file, file: `${dir}/${file.file}` })));
    app.links.push(...pkg.links.map((link) => ({ path: `${dir}/${link.path}`, target: posix.normalize(`${dir}/${link.target}`) })));
  }
  return app;
}
