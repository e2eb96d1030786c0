/** The run's report: per store module migrated or blocked (with where and why), per file what changed. */
import type { SourceIndex } from './analyse/source-index.js';
import type { ModulePlan } from './plan.js';
import type { MigrationReport, ProjectFiles } from './types.js';

export function buildReport(plans: ModulePlan[], before: ProjectFiles, output: Map<string, string>, index: SourceIndex): MigrationReport {
  const byPosition = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  return {
    storeModules: plans.map((plan) => ({
      file: plan.module.file,
      status: plan.blockers.length === 0 ? 'migrated' : 'blocked',
      stateful: [...plan.module.statefulExports.keys()],
      blockers: [...plan.blockers].sort(byPosition),
    })),
    files: [...output.keys()].sort().map((file) => ({ file, change: before.has(file) ? 'modified' : 'created' })),
    errors: [...index.errors.values()].sort(byPosition),
  };
}

/** The report as text for people, ending with what to do next. */
export function formatReport(report: MigrationReport): string {
  const lines: string[] = [];
  const migrated = report.storeModules.filter((module) => module.status === 'migrated');
  const blocked = report.storeModules.filter((module) => module.status === 'blocked');
  for (const module of migrated) lines.push(`migrated  ${module.file} (${module.stateful.join(', ')})`);
  for (const module of blocked) {
    lines.push(`blocked   ${module.file} (${module.stateful.join(', ')})`);
    for (const blocker of module.blockers) lines.push(`    ${blocker.file}:${blocker.line}:${blocker.column}: ${blocker.reason}`);
  }
  for (const error of report.errors) lines.push(`error     ${error.file}:${error.line}:${error.column}: ${error.message}`);
  if (lines.length > 0) lines.push('');
  const created = report.files.filter((file) => file.change === 'created').length;
  lines.push(
    `${report.storeModules.length} store module${report.storeModules.length === 1 ? '' : 's'} found: ${migrated.length} migrated, ${blocked.length} blocked; ` +
      `${report.files.length} file${report.files.length === 1 ? '' : 's'} changed (${created} created)` +
      (report.errors.length > 0 ? `; ${report.errors.length} file${report.errors.length === 1 ? '' : 's'} could not be parsed` : ''),
  );
  return lines.join('\n');
}
