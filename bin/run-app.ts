/** One app's migration, from disk to result, without printing or writing: runs inline or in a worker thread. */
import { migrate, type MigrateOptions, type MigrationProgress, type MigrationReport } from '../transforms/index.js';
import { readProject } from './read-project.js';

export interface AppJob {
  appRoot: string;
  options: Omit<MigrateOptions, 'unreadable' | 'onProgress'>;
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
  const project = await readProject(job.appRoot, job.ignorePatterns);
  progress?.read(project.files.size);
  try {
    const { files, report } = migrate(project.files, {
      ...job.options,
      unreadable: project.unreadable,
      onProgress: progress && ((state) => progress.update(project.files.size, state)),
    });
    const before = new Map([...files.keys()].filter((path) => project.files.has(path)).map((path) => [path, project.files.get(path)!]));
    return { ok: true, report, files, before };
  } catch (error) {
    // Options `migrate` refuses (a malformed factory) are the caller's usage error.
    return { ok: false, message: (error as Error).message };
  }
}
