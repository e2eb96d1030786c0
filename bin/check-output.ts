/**
 * `--check` output: the leaking write sites as text for people, as SARIF 2.1.0 for code-scanning
 * uploads, or as GitHub Actions workflow commands (annotations on the pull request's diff).
 * Paths are relative to the folder the CLI was given, which is what a repository's tools expect.
 */
import { countClasses } from '../transforms/report.js';
import type { LeakReport, StateReport, StateWrite } from '../transforms/index.js';
import { packageVersion } from './package-version.js';
import { rootPath } from './shared-packages.js';

export type CheckFormat = 'text' | 'sarif' | 'github';

export interface AppCheck {
  /** The app's folder relative to the CLI's folder (`.` for the folder itself). */
  app: string;
  report: LeakReport;
}

const LEAK = 'written while a request is handled on the server, so one request\'s data can reach another request\'s page';

/** One line per leaking write: `src/routes/+layout.svelte:11:22: `cart` (src/lib/cart.ts) is written …`. */
export function checkText(checks: AppCheck[]): string {
  const lines: string[] = [];
  for (const { app, report } of checks) {
    if (report.ssrOff) lines.push(`${rootPath(app, report.ssrOff.file)}:${report.ssrOff.line}:${report.ssrOff.column}: note: SSR is off for the whole app, so its pages cannot leak state between requests`);
    for (const { state, write } of leakingWrites(report.state)) {
      lines.push(`${location(app, write)}: error: \`${state.name}\` (${rootPath(app, state.module)}) is ${LEAK}${write.via ? `; reached from ${location(app, write.via)}` : ''}`);
    }
    for (const state of report.state.filter((item) => item.class === 'leaks' && !item.writes.some((write) => write.runs === 'server'))) {
      lines.push(`${rootPath(app, state.module)}:${state.line}:${state.column}: error: \`${state.name}\` is derived from ${(state.derivedFrom ?? []).join(', ')}, which is ${LEAK}`);
    }
    for (const error of report.errors) lines.push(`${rootPath(app, error.file)}:${error.line}:${error.column}: error: ${error.message}; writes in it are unknown`);
  }
  const all = checks.flatMap(({ report }) => report.state);
  const leaking = all.filter((item) => item.class === 'leaks');
  const modules = new Set(checks.flatMap(({ app, report }) => report.state.filter((item) => item.class === 'leaks').map((item) => rootPath(app, item.module))));
  lines.push(
    leaking.length === 0
      ? `No module-level state leaks between requests (state: ${countClasses(all)}).`
      : `${leaking.length} piece${leaking.length === 1 ? '' : 's'} of module-level state leak between requests, in ${modules.size} module${modules.size === 1 ? '' : 's'} (state: ${countClasses(all)}). Run svelte-store-context to move them into per-request context.`,
  );
  return `${lines.join('\n')}\n`;
}

/** `::error file=…,line=…,col=…::…` for each leaking write, as GitHub Actions reads them on stdout. */
export function githubAnnotations(checks: AppCheck[]): string {
  const lines: string[] = [];
  for (const { app, report } of checks) {
    for (const { state, write } of leakingWrites(report.state)) {
      const message = `\`${state.name}\` (${rootPath(app, state.module)}) is ${LEAK}${write.via ? `; reached from ${location(app, write.via)}` : ''}. Move it into per-request context (svelte-store-context).`;
      lines.push(`::error file=${property(rootPath(app, write.file))},line=${write.line},col=${write.column},title=${property('Module state leaks between requests')}::${data(message)}`);
    }
    for (const error of report.errors) lines.push(`::error file=${property(rootPath(app, error.file))},line=${error.line},col=${error.column}::${data(`${error.message}; writes in it are unknown`)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const data = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (text: string) => data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const RULES = [
  {
    id: 'state-leaks',
    name: 'StateLeaksBetweenRequests',
    level: 'error',
    short: 'Module-level state written while a request is handled on the server',
    full: 'A store or rune state declared at module level is one object for the whole server process. Written while a request is handled (component initialisation, `$:`, load functions, hooks, or helpers called from them), one request\'s data can reach another request\'s page. Move it into per-request component context.',
  },
  {
    id: 'state-latent',
    name: 'StateWrittenOnlyInBrowser',
    level: 'note',
    short: 'Module-level state written only in the browser',
    full: 'A store or rune state declared at module level and written only in the browser (event handlers, onMount, $effect, browser guards) or once at startup. Safe today; a write during server rendering would make it leak.',
  },
  {
    id: 'state-constant',
    name: 'StateNeverWritten',
    level: 'none',
    short: 'Module-level state never written',
    full: 'A store or rune state declared at module level that nothing writes: the same for every request.',
  },
] as const;

/** A SARIF 2.1.0 log: one rule per class, a result per leaking write and per latent or constant piece of state. */
export function sarifLog(checks: AppCheck[]): string {
  const results: unknown[] = [];
  const result = (ruleId: (typeof RULES)[number]['id'], text: string, file: string, line: number, column: number) => ({
    ruleId,
    ruleIndex: RULES.findIndex((rule) => rule.id === ruleId),
    level: RULES.find((rule) => rule.id === ruleId)!.level,
    message: { text },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(file), uriBaseId: '%SRCROOT%' }, region: { startLine: line, startColumn: column } } }],
  });
  for (const { app, report } of checks) {
    for (const { state, write } of leakingWrites(report.state)) {
      results.push(result('state-leaks', `\`${state.name}\` (${rootPath(app, state.module)}) is ${LEAK}${write.via ? `; reached from ${location(app, write.via)}` : ''}.`, rootPath(app, write.file), write.line, write.column));
    }
    for (const state of report.state) {
      const file = rootPath(app, state.module);
      if (state.class === 'leaks' && !state.writes.some((write) => write.runs === 'server')) {
        results.push(result('state-leaks', `\`${state.name}\` is derived from ${(state.derivedFrom ?? []).join(', ')}, which is ${LEAK}.`, file, state.line, state.column));
      } else if (state.class === 'latent') {
        results.push(result('state-latent', `\`${state.name}\` is module-level state written only in the browser or at startup.`, file, state.line, state.column));
      } else if (state.class === 'constant') {
        results.push(result('state-constant', `\`${state.name}\` is module-level state that nothing writes.`, file, state.line, state.column));
      }
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'svelte-store-context',
            version: packageVersion(),
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.short },
              fullDescription: { text: rule.full },
              defaultConfiguration: { level: rule.level },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function leakingWrites(state: StateReport[]): Array<{ state: StateReport; write: StateWrite }> {
  return state.flatMap((item) => item.writes.filter((write) => write.runs === 'server').map((write) => ({ state: item, write })));
}

const location = (app: string, place: { file: string; line: number; column: number }) => `${rootPath(app, place.file)}:${place.line}:${place.column}`;
