/** The run's report: per store module migrated or blocked (with where and why), per file what changed. */
import type { SourceIndex } from './analyse/source-index.js';
import { findRendersOutsideLayout } from './outside-layout.js';
import { isMigrating, type Plan } from './plan.js';
import type { MigrationReport, ProjectFiles, StoreModuleReport } from './types.js';

export function buildReport(plan: Plan, before: ProjectFiles, output: Map<string, string>, index: SourceIndex): MigrationReport {
  const byPosition = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  return {
    storeModules: [
      ...plan.modules.map((module): StoreModuleReport => ({
        file: module.module.file,
        status: module.blockers.length === 0 ? 'migrated' : 'blocked',
        stateful: [...module.module.statefulExports.keys()],
        blockers: [...module.blockers].sort(byPosition),
      })),
      ...plan.constantOnly.map((module): StoreModuleReport => ({ file: module.file, status: 'skipped', stateful: module.constantStores, blockers: [] })),
    ].sort((a, b) => a.file.localeCompare(b.file)),
    outsideRootLayout: findRendersOutsideLayout(index, plan.modules.filter(isMigrating)),
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
  for (const module of report.storeModules.filter((candidate) => candidate.status === 'skipped')) {
    lines.push(`skipped   ${module.file} (${module.stateful.join(', ')}): never written, the same for every request, so not a leak; --all migrates it`);
  }
  for (const need of report.outsideRootLayout) lines.push(`context   ${need.file}:${need.line}:${need.column}: ${need.reason}`);
  for (const error of report.errors) lines.push(`error     ${error.file}:${error.line}:${error.column}: ${error.message}`);
  if (lines.length > 0) lines.push('');
  const created = report.files.filter((file) => file.change === 'created').length;
  lines.push(
    `${report.storeModules.length} store module${report.storeModules.length === 1 ? '' : 's'} found: ${migrated.length} migrated, ${blocked.length} blocked` +
      (report.storeModules.length > migrated.length + blocked.length ? `, ${report.storeModules.length - migrated.length - blocked.length} skipped; ` : '; ') +
      `${report.files.length} file${report.files.length === 1 ? '' : 's'} changed (${created} created)` +
      (report.errors.length > 0 ? `; ${report.errors.length} file${report.errors.length === 1 ? '' : 's'} could not be parsed` : ''),
  );
  return lines.join('\n');
}
