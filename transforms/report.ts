/** The run's report: per store module migrated or blocked (with where and why), per file what changed. */
import type { SourceIndex } from './analyse/source-index.js';
import type { Plan } from './plan.js';
import type { ContextNeed, MigrationReport, ProjectFiles, SourceLocation, StateReport, StoreModuleReport } from './types.js';

export function buildReport(plan: Plan, before: ProjectFiles, output: Map<string, string>, index: SourceIndex, state: StateReport[], ssrOff: SourceLocation | undefined, outsideRootLayout: ContextNeed[]): MigrationReport {
  const byPosition = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  return {
    ...(ssrOff ? { ssrOff } : {}),
    storeModules: [
      ...plan.modules.map((module): StoreModuleReport => ({
        file: module.module.file,
        status: module.blockers.length === 0 ? 'migrated' : 'blocked',
        stateful: [...module.module.statefulExports.keys()],
        blockers: [...module.blockers].sort(byPosition),
      })),
      ...plan.skipped.map(({ plan: module, reason }): StoreModuleReport => ({ file: module.module.file, status: 'skipped', skipReason: reason, stateful: [...module.module.statefulExports.keys()], blockers: [] })),
      ...plan.constantOnly.map((module): StoreModuleReport => ({ file: module.file, status: 'skipped', skipReason: 'constant', stateful: module.constantStores, blockers: [] })),
    ].sort((a, b) => a.file.localeCompare(b.file)),
    state,
    outsideRootLayout,
    files: [...output.keys()].sort().map((file) => ({ file, change: before.has(file) ? 'modified' : 'created' })),
    errors: [...index.errors.values()].sort(byPosition),
  };
}

/** The report as text for people, ending with what to do next. */
export function formatReport(report: MigrationReport): string {
  const lines: string[] = [];
  const migrated = report.storeModules.filter((module) => module.status === 'migrated');
  const blocked = report.storeModules.filter((module) => module.status === 'blocked');
  if (report.ssrOff) {
    const where = `${report.ssrOff.file}:${report.ssrOff.line}:${report.ssrOff.column}`;
    lines.push(
      migrated.length > 0 || blocked.length > 0
        ? `SSR is off for the whole app (${where}: ssr = false), so pages cannot leak state between requests; --all: migrating anyway.`
        : `SSR is off for the whole app (${where}: ssr = false): pages are not rendered on the server, so the state they use cannot leak between requests and was left alone; --all migrates it anyway.`,
    );
  }
  const stateLines = (file: string) => report.state.filter((item) => item.module === file).map((item) => `    ${item.name}: ${describeState(item)}`);
  // The names a module hands out; state it does not export is named in its state lines.
  const named = (module: StoreModuleReport) => `${module.file}${module.stateful.length > 0 ? ` (${module.stateful.join(', ')})` : ''}`;
  for (const module of migrated) lines.push(`migrated  ${named(module)}`, ...stateLines(module.file));
  for (const module of blocked) {
    lines.push(`blocked   ${named(module)}`, ...stateLines(module.file));
    for (const blocker of module.blockers) lines.push(`    ${blocker.file}:${blocker.line}:${blocker.column}: ${blocker.reason}`);
  }
  for (const module of report.storeModules.filter((candidate) => candidate.status === 'skipped')) {
    lines.push(`skipped   ${named(module)}: ${SKIPPED_BECAUSE[module.skipReason ?? 'constant']}`);
    if (module.skipReason !== 'constant') lines.push(...stateLines(module.file));
  }
  for (const need of report.outsideRootLayout) lines.push(`context   ${need.file}:${need.line}:${need.column}: ${need.reason}`);
  for (const error of report.errors) lines.push(`error     ${error.file}:${error.line}:${error.column}: ${error.message}`);
  if (lines.length > 0) lines.push('');
  const created = report.files.filter((file) => file.change === 'created').length;
  lines.push(
    `${report.storeModules.length} store module${report.storeModules.length === 1 ? '' : 's'} found: ${migrated.length} migrated, ${blocked.length} blocked` +
      (report.storeModules.length > migrated.length + blocked.length ? `, ${report.storeModules.length - migrated.length - blocked.length} skipped; ` : '; ') +
      `${report.files.length} file${report.files.length === 1 ? '' : 's'} changed (${created} created)` +
      (report.state.length > 0 ? `; state: ${countClasses(report.state)}` : '') +
      (report.errors.length > 0 ? `; ${report.errors.length} file${report.errors.length === 1 ? '' : 's'} could not be parsed` : ''),
  );
  return lines.join('\n');
}

const SKIPPED_BECAUSE: Record<NonNullable<StoreModuleReport['skipReason']>, string> = {
  constant: 'never written, the same for every request, so not a leak; --all migrates it',
  'ssr-off': 'used only where SSR is off, so it cannot leak between requests; --all migrates it',
  'not-leaking': 'none of its state is written on the server, so it does not leak today (--only-leaks); run without --only-leaks to migrate it too',
};

/** `2 leaking, 1 latent, 3 constant`. */
export function countClasses(state: StateReport[]): string {
  const count = (kind: StateReport['class']) => state.filter((item) => item.class === kind).length;
  return `${count('leaks')} leaking, ${count('latent')} latent, ${count('constant')} constant`;
}

/** `leaks: written on the server at src/routes/+page.svelte:5:3`, `latent: written only in the browser`. */
export function describeState(item: StateReport): string {
  const at = (place: { file: string; line: number; column: number }) => `${place.file}:${place.line}:${place.column}`;
  if (item.class === 'constant') return 'constant: never written';
  const server = item.writes.filter((write) => write.runs === 'server');
  if (item.class === 'leaks') {
    if (server.length === 0) return `leaks: derived from ${(item.derivedFrom ?? []).join(', ')}, which is written on the server`;
    return `leaks: written on the server at ${server.map((write) => at(write) + (write.via ? ` (reached from ${at(write.via)})` : '')).join(', ')}`;
  }
  if (item.writes.length === 0) return `latent: derived from ${(item.derivedFrom ?? []).join(', ')}, which is written only in the browser`;
  // Startup code runs once, when the module loads; what it sets up (a listener, a timer) may write later.
  const atStartup = item.writes.some((write) => write.runs === 'startup');
  const inBrowser = item.writes.some((write) => write.runs === 'browser');
  return `latent: written only ${[inBrowser && 'in the browser', atStartup && 'by code run or set up at startup'].filter(Boolean).join(' and ')}`;
}
