#!/usr/bin/env node
/** The command line: flags -> options -> migrate() -> diff, or write; then the report. */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatReport, keyModuleProblem, type ContextStyle, type MigrateOptions, type MigrationReport } from '../transforms/index.js';
import { CONTEXT_STYLES, readConfig } from './config.js';
import { pathInWorkTree, workTreeState } from './git-safety.js';
import { findApps, type AppFolder, type FoundApps } from './find-apps.js';
import { checkApp, type AppRun } from './run-app.js';
import { appJob, appJobs, DEFAULT_CPUS, helperThreads, migrateApps } from './migrate-folder.js';
import { checkText, githubAnnotations, sarifLog, type AppCheck, type CheckFormat } from './check-output.js';
import { mergeChanges, rootPath, type RootChange } from './shared-packages.js';
import { colourReport } from './terminal.js';
import { interruptedExitCode, JOURNAL, recoverInterruptedWrite, writeTransaction, WriteError } from './write-transaction.js';
import { unifiedDiff } from './unified-diff.js';
import { formatChanges } from './format.js';
import { packageVersion } from './package-version.js';

const EXIT_OK = 0;
const EXIT_FILE_ERRORS = 1;
const EXIT_USAGE = 2;

/** What a usage error ends with, instead of the whole help. */
const HELP_POINTER = 'Run svelte-store-context --help for the options.';

/** Version of the `--json` document; raised when a field changes meaning or goes away. */
const JSON_SCHEMA_VERSION = 1;

interface CliOptions {
  check: boolean;
  /** `--check`'s output; `false` is `--no-format` (the app's Prettier is not run). */
  format?: CheckFormat | false;
  onlyLeaks: boolean;
  dry: boolean;
  print: boolean;
  json: boolean;
  force: boolean;
  annotate: boolean;
  all: boolean;
  keyModule?: string;
  contextStyle?: ContextStyle;
  factory: string[];
  include: string[];
  exclude: string[];
  ignorePattern: string[];
  failOnError: boolean;
  cpus: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command()
  .name('svelte-store-context')
  .description('Move module-scoped Svelte stores into per-request component context, so SvelteKit SSR stops sharing state between users.')
  .argument('[dirs...]', 'roots of SvelteKit apps, or of monorepos holding several; each is migrated on its own (default: .)')
  .option('-d, --dry', 'write nothing; print a unified diff of every change (`git apply` accepts it)', false)
  .option('-p, --print', 'print the whole new content of every changed file; writes nothing, like --dry', false)
  .option('--json', 'print one JSON document (the report, schema version 1) on stdout and nothing else there', false)
  .option('-f, --force', 'write even when the git working tree has uncommitted changes', false)
  .option('--factory <name@module>', 'a store factory to recognise, e.g. persisted@svelte-persisted-store (repeatable)', collect, [] as string[])
  .option('--include <glob>', 'only migrate store modules whose path (relative to the app) matches (repeatable)', collect, [] as string[])
  .option('--exclude <glob>', 'leave store modules whose path matches alone (repeatable)', collect, [] as string[])
  .option('--ignore-pattern <glob>', 'do not read files whose path (relative to the app) matches (repeatable)', collect, [] as string[])
  .option('--fail-on-error', 'exit 1 when a store module is blocked, not only when a file cannot be read or parsed', false)
  .addOption(
    new Option('--cpus <n>', 'worker threads: up to n apps of a monorepo at once, and up to n helpers formatting the changed files; the output is the same with any n')
      .argParser((value: string) => {
        const cpus = Number(value);
        if (!Number.isInteger(cpus) || cpus < 1) throw new InvalidArgumentError('a whole number of at least 1');
        return cpus;
      })
      .default(DEFAULT_CPUS, `the cores minus one, here ${DEFAULT_CPUS}`),
  )
  .option('--annotate', 'add a `// @migration-task` comment above each place that blocks a store module', false)
  .option('--all', 'also migrate what cannot leak: stores that never change (a `readable` constant, a `derived` of such), and state used only where SSR is off; by default they are listed and left alone', false)
  .option('--only-leaks', 'the smallest safe diff: migrate only modules whose state leaks (is written while a request is handled on the server), and the modules sharing state with them', false)
  .option('--check', 'read-only leak check for CI: print each place that writes module-level state on the server; exit 1 if there is one, else 0', false)
  .addOption(new Option('--format <format>', 'with --check: text, sarif (SARIF 2.1.0 for code scanning) or github (workflow annotations)').choices(['text', 'sarif', 'github']).default(undefined, 'github when GITHUB_ACTIONS=true, else text'))
  .option('--no-format', "leave the changed files as the migration writes them (in each file's own style), instead of running the app's Prettier on them")
  .addOption(new Option('--key-module <path>', 'where the context key module goes, relative to the app root').default(undefined, '<lib>/context-keys.ts, or .js in JS apps'))
  .addOption(
    new Option('--context-style <style>', "key-module: Symbol keys in a generated module; create-context: Svelte's createContext() (needs Svelte 5.40+)")
      .choices(CONTEXT_STYLES)
      .default(undefined, 'key-module'),
  )
  .addHelpText(
    'after',
    `
Exit codes:
  0  the run completed (store modules that cannot be migrated are reported, not errors)
  1  some files could not be read or parsed (they were left untouched); with --fail-on-error, also a blocked store module
  2  usage error, the directory cannot be read, or refusal to write over uncommitted changes
With --check:
  0  no module-level state is written while a request is handled on the server
  1  some is (each place is printed), or a file could not be read or parsed, so its writes are unknown`,
  )
  .version(packageVersion(), '-V, --version', 'print the version and exit')
  .showHelpAfterError(HELP_POINTER)
  .configureOutput({ outputError: (text, write) => write(`svelte-store-context: ${text.replace(/^error: /, '')}`) })
  .exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT_OK : EXIT_USAGE))
  .action(main);

/**
 * Where a folder's output goes. With one folder, paths are relative to it, as always; with
 * several, to the current directory (`prefix` is the folder from there), so that one diff applies
 * from there and one JSON document holds every folder's apps.
 */
interface FolderOutput {
  prefix: string;
  several: boolean;
}

interface FolderResult {
  exitCode: number;
  /** The apps of the `--json` document (or of `--check`'s), roots relative to the current directory when several. */
  documentApps: object[];
  reports: MigrationReport[];
  annotated: boolean;
  checks: AppCheck[];
}

async function main(dirs: string[], options: CliOptions): Promise<void> {
  const folders = dirs.length > 0 ? dirs : ['.'];
  for (const dir of folders) if (!(await stat(resolve(dir)).catch(() => undefined))?.isDirectory()) usageError(`${dir} is not a directory`);
  if (options.json && options.print) flagError('--json and --print both want stdout; choose one');
  if (options.all && options.onlyLeaks) flagError('--all and --only-leaks ask for opposite things; choose one');
  if (options.format && !options.check) flagError('--format applies to --check (--no-format is the one that skips Prettier)');
  if (options.check && options.print) flagError('--check writes nothing and prints no files; leave out --print');
  if (options.json && options.format) flagError('--json and --format both choose the output; choose one');
  // Printing is for looking: it never writes (a print that also wrote would surprise).
  if (options.print) options.dry = true;
  const several = folders.length > 1;
  // Every folder's work tree is checked before any is written: a refusal writes nothing at all.
  if (several && !options.dry && !options.check && !options.force) for (const dir of folders) refuseOverUncommittedWork(resolve(dir));
  const results: FolderResult[] = [];
  for (const dir of folders) {
    const output = { prefix: several ? posix.normalize(relative(process.cwd(), resolve(dir)).split(sep).join('/') || '.') : '', several };
    if (several) process.stderr.write(colourReport(`== ${dir} ==`) + '\n');
    results.push(options.check ? await check(resolve(dir), dir, options, output) : await run(dir, options, output));
  }
  const exitCode = Math.max(...results.map((result) => result.exitCode));
  if (options.check) {
    printChecks(results.flatMap((result) => result.checks), options, exitCode);
  } else {
    if (options.json) process.stdout.write(`${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, dry: options.dry, exitCode, apps: results.flatMap((result) => result.documentApps) }, null, 2)}\n`);
    // The diff's paths are relative to the folder, or to the current directory with several.
    const diffBase = several ? process.cwd() : resolve(folders[0]!);
    process.stderr.write(nextSteps(results.flatMap((result) => result.reports), options, results.some((result) => result.annotated), diffBase));
  }
  process.exitCode = interruptedExitCode() ?? exitCode;
}

async function run(dir: string, options: CliOptions, output: FolderOutput): Promise<FolderResult> {
  const root = resolve(dir);
  const keyModuleRefused = options.keyModule === undefined ? undefined : keyModuleProblem(options.keyModule);
  if (keyModuleRefused) flagError(keyModuleRefused);
  const manifestError = await malformedManifest(root);
  if (manifestError) usageError(manifestError);
  // A run that died while writing left a journal: put its files back before reading anything.
  if (existsSync(join(root, JOURNAL))) {
    if (options.dry) usageError(`an earlier run was interrupted while writing (${JOURNAL}); run without --dry once to put its files back`);
    const recovered = recoverInterruptedWrite(root);
    if (recovered) process.stderr.write(`svelte-store-context: ${recovered}\n`);
  }
  const { apps, skippedLinks, outside } = await findApps(root);
  for (const link of skippedLinks) process.stderr.write(`svelte-store-context: skipped ${link.path}: links outside ${dir} (${link.target})\n`);
  if (apps.length === 0) usageError(noAppUnder(dir));
  if (outside) process.stderr.write(`svelte-store-context: warning: ${packagesOutsideWarning(dir, outside)}\n`);
  const jobs = await appJobs(root, apps, options).catch((error: Error) => usageError(error.message));
  // With several folders every work tree was checked before the first write (which dirties the next one's, when they share a repository).
  if (!options.dry && !options.force && !output.several) refuseOverUncommittedWork(root);

  const runs = await migrateApps(apps.map((app) => app.dir), jobs, options.cpus, true);
  // An app the run cannot read (its configuration, say) is named and left out; the others go on.
  const refused = runs.flatMap((run, i) => (run.ok ? [] : [{ app: apps[i]!.dir, message: run.message }]));
  if (refused.length === runs.length) usageError(refused.length === 1 ? refused[0]!.message : refused.map(({ app, message }) => `${app}: ${message}`).join('\n'));
  for (const { app, message } of refused) process.stderr.write(`svelte-store-context: ${app}: ${message}; this app is left as it is\n`);
  const results: AppResult[] = runs.flatMap((run, i) => (run.ok ? [{ app: apps[i]!.dir, report: run.report }] : []));
  const { changes, written } = await emitChanges(root, apps, runs, options, output.prefix);

  const failed = ({ report }: AppResult) =>
    report.errors.length > 0 || (options.failOnError && report.storeModules.some((module) => module.status === 'blocked'));
  const exitCode = refused.length > 0 ? EXIT_USAGE : results.some(failed) ? EXIT_FILE_ERRORS : EXIT_OK;
  for (const { app, report } of results) process.stderr.write(`${colourReport(`${apps.length > 1 ? `== ${posix.join(output.prefix, app)} ==\n` : ''}${formatReport(report)}`)}\n`);
  if (results.length > 1) process.stderr.write(`${colourReport(`== all ${results.length} apps ==\n${folderTotals(results, changes)}`)}\n`);
  if (written !== undefined) process.stderr.write(written === 0 ? 'Nothing was written.\n' : `Wrote ${written} file${written === 1 ? '' : 's'}.\n`);
  return {
    exitCode,
    documentApps: results.map(({ app, report }) => ({ root: posix.join(output.prefix, app), ...report })),
    reports: results.map(({ report }) => report),
    annotated: jobs.some((job) => job.options.annotate),
    checks: [],
  };
}

/** `--check`: the leak analysis of every app of a folder; nothing is written. */
async function check(root: string, dir: string, options: CliOptions, output: FolderOutput): Promise<FolderResult> {
  if (existsSync(join(root, JOURNAL))) usageError(`an earlier run was interrupted while writing (${JOURNAL}); run without --check once to put its files back`);
  const { apps } = await findApps(root);
  if (apps.length === 0) usageError(noAppUnder(dir));
  const rootConfig = await readConfigOrExit(root);
  const checks: AppCheck[] = [];
  for (const app of apps) {
    const job = appJob(root, app, options, { ...rootConfig, ...(app.dir === '.' ? {} : await readConfigOrExit(join(root, app.dir))) });
    const run = await checkApp(job);
    if (!run.ok) usageError(apps.length > 1 ? `${app.dir}: ${run.message}` : run.message);
    checks.push({ app: posix.join(output.prefix, app.dir), report: run.report });
  }
  const leaks = checks.some(({ report }) => report.state.some((item) => item.class === 'leaks') || report.errors.length > 0);
  return { exitCode: leaks ? EXIT_FILE_ERRORS : EXIT_OK, documentApps: [], reports: [], annotated: false, checks };
}

/** `--check`'s output, once for every folder: text, SARIF, GitHub annotations or JSON. */
function printChecks(checks: AppCheck[], options: CliOptions, exitCode: number): void {
  const format = options.format || (process.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, check: true, exitCode, apps: checks.map(({ app, report }) => ({ root: app, ...report })) }, null, 2)}\n`);
    process.stderr.write(checkText(checks));
  } else if (format === 'sarif') {
    process.stdout.write(sarifLog(checks));
    process.stderr.write(checkText(checks));
  } else if (format === 'github') {
    process.stdout.write(githubAnnotations(checks));
    process.stderr.write(checkText(checks));
  } else {
    process.stdout.write(checkText(checks));
  }
}

interface AppResult {
  app: string;
  report: MigrationReport;
}

/**
 * A monorepo's totals, each store module and file once: a shared package's module and files are
 * in the report of every app using it.
 */
function folderTotals(results: AppResult[], changes: RootChange[]): string {
  const modules = new Map(results.flatMap(({ app, report }) => report.storeModules.map((module) => [rootPath(app, module.file), module.status] as const)));
  const count = (status: string) => [...modules.values()].filter((found) => found === status).length;
  const created = changes.filter((change) => change.created).length;
  return `${modules.size} store module${modules.size === 1 ? '' : 's'} found: ${count('migrated')} migrated, ${count('blocked')} blocked; ${changes.length} file${changes.length === 1 ? '' : 's'} changed (${created} created)`;
}

/**
 * Every changed file once, with paths relative to the given dir: printed, or written. Returns the
 * changes, and how many files were written (undefined for a dry run).
 */
async function emitChanges(root: string, apps: AppFolder[], runs: AppRun[], options: CliOptions, prefix: string): Promise<{ changes: RootChange[]; written: number | undefined }> {
  let changes: RootChange[];
  try {
    changes = mergeChanges(apps.map((app) => app.dir), runs);
  } catch (error) {
    process.stderr.write(`svelte-store-context: ${(error as Error).message}\n`);
    process.exit(EXIT_FILE_ERRORS);
  }
  if (options.format !== false) changes = await formatWithPrettier(root, changes, prefix, helperThreads(options.cpus));
  const shown = (path: string) => posix.join(prefix, path);
  if (options.print) for (const { path, after } of changes) process.stdout.write(`==> ${shown(path)} <==\n${after}${after.endsWith('\n') ? '' : '\n'}`);
  else if (options.dry && !options.json) for (const { path, before, after } of changes) process.stdout.write(unifiedDiff(shown(path), before, after));
  if (options.dry) return { changes, written: undefined };
  try {
    return { changes, written: await writeTransaction(root, changes.map(({ path, before, after, created }) => ({ path, before: created ? undefined : before, after }))) };
  } catch (error) {
    if (!(error instanceof WriteError)) throw error;
    process.stderr.write(`svelte-store-context: ${error.message}\n`);
    for (const path of error.restored) process.stderr.write(`  restored ${path}\n`);
    process.exit(EXIT_FILE_ERRORS);
  }
}

/** The changed files as the app's Prettier formats them; each file it fails on is named, and kept as migrated. */
async function formatWithPrettier(root: string, changes: RootChange[], prefix: string, helpers: number): Promise<RootChange[]> {
  const formatted = await formatChanges(root, changes, helpers);
  for (const { path, message } of formatted.failures) {
    process.stderr.write(`svelte-store-context: warning: ${posix.join(prefix, path)}: Prettier could not format it (${message}); it is written as the migration made it\n`);
  }
  if (formatted.count > 0) process.stderr.write(`Formatted ${formatted.count} of ${changes.length} changed files with the app's Prettier ${formatted.version} (--no-format to skip).\n`);
  return formatted.changes;
}

async function readConfigOrExit(folder: string): Promise<MigrateOptions> {
  try {
    return await readConfig(folder);
  } catch (error) {
    return usageError((error as Error).message);
  }
}

/**
 * Without --dry or --force, a dirty git working tree is a refusal: the user must be able to review
 * and undo. So is a work tree git cannot report on: the guard fails closed.
 */
function refuseOverUncommittedWork(root: string): void {
  const state = workTreeState(root);
  if (state.kind === 'unknown') {
    usageError(`cannot tell whether the git working tree has uncommitted changes, so nothing is written:\n  ${state.message.split('\n').join('\n  ')}\nFix that, or run with --force to write anyway (or --dry to only look).`);
  }
  if (state.kind !== 'uncommitted') return;
  const listed = state.files.slice(0, 20).map((file) => `  ${file}`).join('\n');
  const more = state.files.length > 20 ? `\n  … and ${state.files.length - 20} more` : '';
  process.stderr.write(
    `svelte-store-context: the git working tree has uncommitted changes:\n${listed}${more}\n` +
      'Commit or stash them first so that the migration can be reviewed and undone, or run with --force (or --dry to only look).\n',
  );
  process.exit(EXIT_USAGE);
}

/** `package.json: …` when the folder's package.json exists but is not JSON: that, not "no SvelteKit app", is what to fix. */
async function malformedManifest(folder: string): Promise<string | undefined> {
  const text = await readFile(join(folder, 'package.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `${join(folder, 'package.json')} is not valid JSON (${(error as Error).message}); fix it and run again`;
  }
}

function packagesOutsideWarning(dir: string, outside: NonNullable<FoundApps['outside']>): string {
  const listed = outside.packages.map((pkg) => `${pkg.name} (${pkg.dir})`).join(', ');
  return `${dir === '.' ? 'this folder' : dir} uses workspace packages outside it: ${listed}. Their store modules are not read, so they stay module-level and shared between requests; run from the workspace root (${outside.workspaceRoot}) to migrate them too.`;
}

const noAppUnder = (dir: string) => `no SvelteKit app under ${dir} (a package.json that depends on @sveltejs/kit, next to a svelte.config.* or a vite.config.* using sveltekit())`;

function usageError(message: string): never {
  process.stderr.write(`svelte-store-context: ${message}\n`);
  process.exit(EXIT_USAGE);
}

/** Flags that do not go together: one line, and where to read how they do. */
function flagError(message: string): never {
  process.stderr.write(`svelte-store-context: ${message}\n${HELP_POINTER}\n`);
  process.exit(EXIT_USAGE);
}


function nextSteps(reports: MigrationReport[], options: CliOptions, annotated: boolean, diffBase: string): string {
  const steps: string[] = [];
  if (reports.some((report) => report.files.length > 0)) {
    // With --json nothing but the document is on stdout: there is no diff above to review.
    const review = options.json ? 'Review the changes the JSON lists' : options.print ? 'Review the files printed above' : 'Review the diff above';
    steps.push(
      ...(options.dry
        ? [`${review}; run again without --dry${options.print ? ' or --print' : ''} to apply it${options.json || options.print ? '' : ` (or pipe it to \`${gitApply(diffBase)}\`)`}.`]
        : ['Review the changes: git diff', 'Type-check: npx svelte-check', 'Run your tests, and build: npx vite build']),
    );
  }
  if (reports.some((report) => report.storeModules.some((module) => module.status === 'blocked'))) {
    steps.push(
      annotated
        ? 'Blocked modules were left as they were: search for @migration-task (e.g. git grep -n @migration-task), do what each says, then run again.'
        : 'Blocked modules were left as they were: follow the reasons above (or run with --annotate to mark each place), then run again.',
    );
  }
  if (steps.length === 0) return '';
  return `\nNext steps:\n${steps.map((step, i) => `  ${i + 1}. ${step}`).join('\n')}\n`;
}

/** The command that applies the dry diff: its paths are relative to `diffBase`, which may lie below the repository's top. */
function gitApply(diffBase: string): string {
  const below = pathInWorkTree(diffBase);
  return below === undefined ? 'git apply' : `git apply --directory=${below}`;
}

// `svelte-store-context --dry | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  throw error;
});

await program.parseAsync();
