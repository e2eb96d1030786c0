/**
 * What apps of one monorepo share: workspace packages. A package's store module migrates in every
 * app that uses it or in none, and each file is written once, whichever apps changed it.
 */
import { posix } from 'node:path';
import type { Blocker } from '../transforms/index.js';
import type { AppJob, AppRun } from './run-app.js';

/** A path relative to the root the CLI was given: `apps/web/../../packages/stores/x.ts` is `packages/stores/x.ts`. */
export const rootPath = (app: string, path: string): string => posix.normalize(posix.join(app, path));

const blockerKey = (blocker: Blocker) => `${blocker.file}:${blocker.line}:${blocker.column}:${blocker.reason}`;

/**
 * Hands each app the blockers other apps found for the package modules it migrated, and returns
 * the apps that must run again because of them (none once every shared module agrees everywhere).
 */
export function shareBlockers(apps: string[], jobs: AppJob[], runs: AppRun[]): number[] {
  const found = new Map<string, Array<{ app: string; blocker: Blocker }>>();
  for (const [i, run] of runs.entries()) {
    if (!run.ok) continue;
    const app = apps[i]!;
    const packages = jobs[i]!.options.packages ?? [];
    for (const module of run.report.storeModules) {
      if (module.status !== 'blocked' || !packages.some((pkg) => module.file.startsWith(`${pkg.dir}/`))) continue;
      // Blockers handed in from other apps are theirs, not this app's.
      const handedIn = new Set((jobs[i]!.options.sharedBlockers?.[module.file] ?? []).map(blockerKey));
      const own = module.blockers.filter((blocker) => !handedIn.has(blockerKey(blocker)));
      const key = rootPath(app, module.file);
      found.set(key, [...(found.get(key) ?? []), ...own.map((blocker) => ({ app, blocker: { ...blocker, file: rootPath(app, blocker.file) } }))]);
    }
  }
  const again: number[] = [];
  for (const [i, run] of runs.entries()) {
    if (!run.ok) continue;
    const app = apps[i]!;
    const shared: Record<string, Blocker[]> = {};
    let newlyBlocked = false;
    for (const module of run.report.storeModules) {
      const elsewhere = (found.get(rootPath(app, module.file)) ?? []).filter((entry) => entry.app !== app);
      if (elsewhere.length === 0) continue;
      // The place is given relative to this app; the reason stays in the words of the app that found it.
      shared[module.file] = elsewhere.map(({ app: origin, blocker }) => ({ ...blocker, file: posix.relative(app, blocker.file), reason: `in ${origin}: ${blocker.reason}` }));
      newlyBlocked ||= module.status === 'migrated';
    }
    if (!newlyBlocked) continue;
    jobs[i]!.options.sharedBlockers = shared;
    again.push(i);
  }
  return again;
}

export interface RootChange {
  /** Relative to the root the CLI was given. */
  path: string;
  before: string | undefined;
  after: string;
  created: boolean;
}

/**
 * Every app's changes by root path, each file once; throws when two apps would write one file
 * differently. `runs[i]` is `apps[i]`'s; an app that was refused changes nothing.
 */
export function mergeChanges(apps: string[], runs: AppRun[]): RootChange[] {
  const changes = new Map<string, RootChange & { app: string }>();
  for (const [i, run] of runs.entries()) {
    if (!run.ok) continue;
    const app = apps[i]!;
    const created = new Set(run.report.files.filter((file) => file.change === 'created').map((file) => file.file));
    for (const [path, after] of run.files) {
      const change = { path: rootPath(app, path), before: run.before.get(path), after, created: created.has(path), app };
      const earlier = changes.get(change.path);
      if (earlier && earlier.after !== change.after) {
        throw new Error(`${change.path}: ${earlier.app} and ${app} would write it differently, so nothing was written; please report this with the package's source`);
      }
      changes.set(change.path, change);
    }
  }
  return [...changes.values()].sort((a, b) => a.path.localeCompare(b.path)).map(({ app: _app, ...change }) => change);
}
