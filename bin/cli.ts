#!/usr/bin/env node
/** The command line: flags -> options -> migrate() -> diff, or write; then the report. */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { formatReport, migrate, type MigrateOptions, type MigrationReport } from '../transforms/index.js';
import { readProject } from './read-project.js';
import { unifiedDiff } from './unified-diff.js';

const EXIT_OK = 0;
const EXIT_FILE_ERRORS = 1;
const EXIT_USAGE = 2;

interface CliOptions {
  dry: boolean;
  annotate: boolean;
  all: boolean;
  keyModule?: string;
  factory: string[];
}

/** Options a project keeps next to its `svelte.config.js`; flags given on the command line win. */
const CONFIG_FILE = 'svelte-store-context.config.json';

const program = new Command()
  .name('svelte-store-context')
  .description('Move module-scoped Svelte stores into per-request component context, so SvelteKit SSR stops sharing state between users.')
  .argument('[dir]', 'root of the SvelteKit app', '.')
  .option('-d, --dry', 'write nothing; print a unified diff of every change (`git apply` accepts it)', false)
  .option('--factory <name@module>', 'a store factory to recognise, e.g. persisted@svelte-persisted-store (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
  .option('--annotate', 'add a `// @migration-task` comment above each place that blocks a store module', false)
  .option('--all', 'also migrate stores that never change (a `readable` constant, a `derived` of such); they cannot leak, so by default they are listed and left alone', false)
  .addOption(new Option('--key-module <path>', 'where the context key module goes, relative to the app root').default(undefined, '<lib>/context-keys.ts, or .js in JS apps'))
  .addHelpText(
    'after',
    `
Exit codes:
  0  the run completed (store modules that cannot be migrated are reported, not errors)
  1  some files could not be read or parsed; they were left untouched
  2  usage error, or the directory cannot be read`,
  )
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? EXIT_OK : EXIT_USAGE))
  .action(run);

async function run(dir: string, options: CliOptions): Promise<void> {
  const root = resolve(dir);
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
    process.stderr.write(`svelte-store-context: ${dir} is not a directory\n`);
    process.exit(EXIT_USAGE);
  }
  const config = await readConfig(root);
  const project = await readProject(root);
  let result: ReturnType<typeof migrate>;
  try {
    result = migrate(project.files, {
      keyModule: options.keyModule ?? config.keyModule,
      all: options.all || config.all,
      annotate: options.annotate || config.annotate,
      factories: [...(config.factories ?? []), ...options.factory],
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { files, report } = result;
  report.errors.push(...project.errors);

  if (options.dry) {
    for (const [path, after] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      process.stdout.write(unifiedDiff(path, project.files.get(path), after));
    }
  } else {
    for (const [path, content] of files) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }
  process.stderr.write(`${formatReport(report)}\n${nextSteps(report, options.dry, options.annotate || Boolean(config.annotate))}`);
  process.exitCode = report.errors.length > 0 ? EXIT_FILE_ERRORS : EXIT_OK;
}

function usageError(message: string): never {
  process.stderr.write(`svelte-store-context: ${message}\n`);
  process.exit(EXIT_USAGE);
}

async function readConfig(root: string): Promise<MigrateOptions> {
  const text = await readFile(join(root, CONFIG_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    return usageError(`${CONFIG_FILE}: ${(error as Error).message}`);
  }
  const { keyModule, all, annotate, factories, ...unknown } = (config ?? {}) as Record<string, unknown>;
  const keys = Object.keys(unknown);
  if (keys.length > 0) usageError(`${CONFIG_FILE}: unknown option ${keys.join(', ')} (known: keyModule, all, annotate, factories)`);
  if (keyModule !== undefined && typeof keyModule !== 'string') usageError(`${CONFIG_FILE}: keyModule must be a string`);
  for (const [name, value] of Object.entries({ all, annotate })) {
    if (value !== undefined && typeof value !== 'boolean') usageError(`${CONFIG_FILE}: ${name} must be true or false`);
  }
  if (factories !== undefined && !(Array.isArray(factories) && factories.every((factory) => typeof factory === 'string'))) {
    usageError(`${CONFIG_FILE}: factories must be a list of "name@module" strings`);
  }
  return { keyModule, all, annotate, factories } as MigrateOptions;
}

function nextSteps(report: MigrationReport, dry: boolean, annotated: boolean): string {
  const steps: string[] = [];
  if (report.files.length > 0) {
    steps.push(
      ...(dry
        ? ['Review the diff above; run again without --dry to apply it (or pipe it to `git apply`).']
        : ['Review the changes: git diff', 'Type-check: npx svelte-check', 'Run your tests, and build: npx vite build']),
    );
  }
  if (report.storeModules.some((module) => module.status === 'blocked')) {
    steps.push(
      annotated
        ? 'Blocked modules were left as they were: search for @migration-task (e.g. git grep -n @migration-task), do what each says, then run again.'
        : 'Blocked modules were left as they were: follow the reasons above (or run with --annotate to mark each place), then run again.',
    );
  }
  if (steps.length === 0) return '';
  return `\nNext steps:\n${steps.map((step, i) => `  ${i + 1}. ${step}`).join('\n')}\n`;
}

// `svelte-store-context --dry | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  throw error;
});

await program.parseAsync();
