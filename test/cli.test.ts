/**
 * The real bin on temp copies of fixtures: `--dry` prints a diff that `git apply` accepts and that
 * equals what a write run produces, the write run produces the fixture's expected output, and the
 * exit codes are as documented.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MigrateOptions } from '../transforms/index.js';
import { copyToTemp, FIXTURES, fixtureCases, readTree } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function cli(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(cwd: string, args: string[], input?: string) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', input });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A temp copy of a fixture's input, committed to a fresh git repository. */
function tempCopy(name: string): string {
  const dir = copyToTemp(join(FIXTURES, name, 'input'), `ssc-${name}`);
  temps.push(dir);
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'input']);
  return dir;
}

it('has a built bin (npm test builds it first)', () => {
  expect(existsSync(BIN), `${BIN} is missing: run npm run build`).toBe(true);
});

/** The flags that give a fixture's `case.json` options. */
function optionFlags(name: string): string[] {
  const configPath = join(FIXTURES, name, 'case.json');
  const options: MigrateOptions = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')).options ?? {}) : {};
  return [
    ...(options.all ? ['--all'] : []),
    ...(options.onlyLeaks ? ['--only-leaks'] : []),
    ...(options.annotate ? ['--annotate'] : []),
    ...(options.keyModule ? ['--key-module', options.keyModule] : []),
    ...(options.contextStyle ? ['--context-style', options.contextStyle] : []),
    ...(options.factories ?? []).flatMap((factory) => ['--factory', factory]),
    ...(options.include ?? []).flatMap((glob) => ['--include', glob]),
    ...(options.exclude ?? []).flatMap((glob) => ['--exclude', glob]),
  ];
}

describe.each(fixtureCases())('%s through the bin', (name) => {
  it('--dry prints a diff that git apply accepts and that equals the written result', async () => {
    const dryDir = tempCopy(name);
    const before = await readTree(dryDir);
    const dry = cli([dryDir, '--dry', ...optionFlags(name)]);
    expect(dry.status, dry.stderr).toBe(name.startsWith('blocked-unparsable') ? 1 : 0);
    expect(await readTree(dryDir), '--dry must not write').toEqual(before);

    if (dry.stdout) git(dryDir, ['apply', '--whitespace=nowarn', '-'], dry.stdout);

    const writeDir = tempCopy(name);
    const written = cli([writeDir, ...optionFlags(name)]);
    expect(written.status, written.stderr).toBe(dry.status);
    const applied = await readTree(dryDir);
    expect(await readTree(writeDir)).toEqual(applied);
    expect(applied).toEqual(await readTree(join(FIXTURES, name, 'output')));
  });
});

describe('command line', () => {
  it('documents every flag and the exit codes in --help', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--dry', '--print', '--json', '--force', '--annotate', '--all', '--only-leaks', '--check', '--format', '--factory', '--include', '--exclude', '--ignore-pattern', '--fail-on-error', '--cpus', '--key-module', '--context-style', '--help']) expect(help.stdout).toContain(flag);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*0[\s\S]*1[\s\S]*2/);
  });

  it('exits 2 for a directory that does not exist', () => {
    const result = cli([join(FIXTURES, 'does-not-exist')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a directory');
  });

  it('refuses --context-style create-context, exit 2, for an app whose Svelte may be older than 5.40', () => {
    const dir = tempCopy('svelte5-ts-cart');
    const result = cli([dir, '--dry', '--context-style', 'create-context']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('needs Svelte 5.40 or later (for createContext), but the app\'s package.json allows svelte ^5.0.0');
    expect(result.stdout).toBe('');
    expect(cli([dir, '--dry', '--context-style', 'keys']).status).toBe(2);
  });

  it('decides --context-style create-context by the installed Svelte when there is one', () => {
    const dir = tempCopy('svelte5-ts-cart');
    const installed = (version: string) => {
      mkdirSync(join(dir, 'node_modules', 'svelte'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'svelte', 'package.json'), JSON.stringify({ name: 'svelte', version }));
    };
    installed('5.41.2');
    const allowed = cli([dir, '--dry', '--context-style', 'create-context']);
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('createContext<CartContext>()');
    installed('5.39.0');
    const refused = cli([dir, '--dry', '--context-style', 'create-context']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('but svelte 5.39.0 is installed');
  });

  it('exits 2 for an unknown flag, saying so in one line and pointing to --help', () => {
    const result = cli(['--no-such-flag']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(["svelte-store-context: unknown option '--no-such-flag'", 'Run svelte-store-context --help for the options.']);
  });

  it('migrates several folders in one call, each on its own: one diff from the current directory, one JSON document', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ssc-several-'));
    temps.push(root);
    cpSync(join(FIXTURES, 'svelte5-ts-cart', 'input'), join(root, 'first'), { recursive: true });
    cpSync(join(FIXTURES, 'svelte4-js-handlers', 'input'), join(root, 'other'), { recursive: true });
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'input']);

    const dry = cli(['first', 'other', '--dry'], { cwd: root });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('== first ==');
    expect(dry.stderr).toContain('== other ==');
    expect(dry.stdout).toContain('diff --git a/first/src/lib/stores/cart.ts b/first/src/lib/stores/cart.ts');
    expect(dry.stdout).toContain('diff --git a/other/src/lib/timer.js b/other/src/lib/timer.js');
    const json = JSON.parse(cli(['first', 'other', '--dry', '--json'], { cwd: root }).stdout);
    expect(json.apps.map((app: { root: string }) => app.root)).toEqual(['first', 'other']);

    git(root, ['apply', '--whitespace=nowarn', '-'], dry.stdout);
    const applied = await readTree(root);
    git(root, ['checkout', '-q', '.']);
    git(root, ['clean', '-fdq']);
    const written = cli(['first', 'other'], { cwd: root });
    expect(written.status, written.stderr).toBe(0);
    expect(await readTree(root)).toEqual(applied);
  });

  it('prints its version', () => {
    const result = cli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')).version);
  });

  it('has no diff to point at with --json, and says --print writes nothing', () => {
    const json = cli([tempCopy('svelte5-ts-cart'), '--dry', '--json']);
    expect(json.stderr).not.toContain('diff above');
    expect(json.stderr).toContain('Review the changes the JSON lists; run again without --dry to apply it.');
    const printed = cli([tempCopy('svelte5-ts-cart'), '--print']);
    expect(printed.stderr).toContain('Review the files printed above; run again without --dry or --print to apply it.');
  });

  it('names the file and position of a syntax error, exits 1 and leaves the file as it was', () => {
    const dir = tempCopy('blocked-unparsable-consumer');
    const page = join(dir, 'src/routes/+page.svelte');
    const original = readFileSync(page);
    const result = cli([dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/routes/+page.svelte:4:17: cannot parse');
    expect(readFileSync(page)).toEqual(original);
  });

  it('ends with a summary of store modules and changed files', () => {
    const result = cli([tempCopy('blocked-server-uses'), '--dry']);
    expect(result.stderr).toContain('2 store modules found: 1 migrated, 1 blocked; 4 files changed (1 created)');
    expect(result.stderr).toContain('blocked   src/lib/session.ts (session)');
  });

  it('takes store factories from --factory and from svelte-store-context.config.json', () => {
    const name = 'factories-imported-and-configured';
    // persisted (svelte-persisted-store) is always recognised, and blocked: its stores are process-wide.
    expect(cli([tempCopy(name), '--dry']).stderr).toContain('2 store modules found: 1 migrated, 1 blocked');
    expect(cli([tempCopy(name), '--dry', '--factory', 'localStore@@acme/stores']).stderr).toContain('3 store modules found: 2 migrated, 1 blocked');
    const configured = tempCopy(name);
    writeFileSync(join(configured, 'svelte-store-context.config.json'), JSON.stringify({ factories: ['localStore@@acme/stores'] }));
    expect(cli([configured, '--dry']).stderr).toContain('3 store modules found: 2 migrated, 1 blocked');
  });

  it('refuses a malformed factory or config file with exit 2', () => {
    const bad = cli([tempCopy('svelte5-ts-cart'), '--factory', 'persisted']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('invalid factory "persisted"');
    const dir = tempCopy('svelte5-ts-cart');
    writeFileSync(join(dir, 'svelte-store-context.config.json'), '{ "factory": [] }');
    const config = cli([dir]);
    expect(config.status).toBe(2);
    expect(config.stderr).toContain('unknown option factory');
  });

  it('tells to search for @migration-task after --annotate', () => {
    const result = cli([tempCopy('blocked-module-scripts'), '--annotate']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('search for @migration-task');
  });

  it('refuses, exit 2 and writing nothing, a --key-module that is not a module of the app\'s own source', () => {
    const dir = tempCopy('svelte5-ts-cart');
    const refusals: Array<[string, string]> = [
      ['src/routes/+layout.svelte', 'is not a .ts or .js module'],
      ['.git/keys.ts', 'is inside .git'],
      ['node_modules/keys.ts', 'is inside node_modules'],
      ['../keys.ts', 'is outside the app'],
      ['src/routes/+page.ts', 'is a SvelteKit route or hooks file'],
      ['src/routes/keys.ts', 'is inside the routes folder'],
      ['lib/keys.ts', "is outside the app's source"],
    ];
    for (const [path, reason] of refusals) {
      const result = cli([dir, '--key-module', path]);
      expect(result.status, path).toBe(2);
      expect(result.stderr, path).toContain(reason);
    }
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });

  it('puts the key module where --key-module says', async () => {
    const dir = tempCopy('svelte5-ts-cart');
    expect(cli([dir, '--key-module', 'src/lib/context/keys.ts']).status).toBe(0);
    const files = await readTree(dir);
    expect(files.get('src/lib/context/keys.ts')).toBe("export const CART_CONTEXT = Symbol('cart');\n");
    expect(files.get('src/lib/stores/cart.ts')).toContain("import { CART_CONTEXT } from '$lib/context/keys';");
  });
});

it('for an app below the top of its repository, names the git apply command that applies the dry diff, and that command does', () => {
  const repo = mkdtempSync(join(tmpdir(), 'ssc-subfolder-'));
  temps.push(repo);
  cpSync(join(FIXTURES, 'svelte5-ts-cart', 'input'), join(repo, 'web'), { recursive: true });
  git(repo, ['init', '-q']);
  git(repo, ['add', '-A']);
  git(repo, ['-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'input']);
  const dry = cli(['--dry'], { cwd: join(repo, 'web') });
  expect(dry.status, dry.stderr).toBe(0);
  const command = /pipe it to `(git apply[^`]*)`/.exec(dry.stderr)?.[1];
  expect(command).toBe('git apply --directory=web');
  // Plain `git apply` there would skip every file and exit 0; the named command applies them.
  git(join(repo, 'web'), command!.split(' ').slice(1), dry.stdout);
  expect(git(repo, ['status', '--porcelain'])).toContain(' M web/src/lib/stores/cart.ts');
});
