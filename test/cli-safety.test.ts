/**
 * The bin on real repositories: it refuses to write over uncommitted work, writes atomically
 * (a killed run leaves every file old or new), keeps modes, stays inside the project, survives
 * bad input, and speaks JSON to scripts.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProject } from '../bin/read-project.js';
import { copyToTemp, FIXTURES, readTree } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
};

function app(name = 'svelte5-ts-cart', { repo = true } = {}): string {
  const dir = copyToTemp(join(FIXTURES, name, 'input'), `ssc-safety-${name}`);
  temps.push(dir);
  if (repo) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'input');
  }
  return dir;
}

describe('git safety', () => {
  it('refuses to write over uncommitted changes, naming them and --force', async () => {
    const dir = app();
    writeFileSync(join(dir, 'src/lib/notes.ts'), 'export const draft = 1;\n');
    const before = await readTree(dir);
    const result = cli([dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('src/lib/notes.ts');
    expect(result.stderr).toContain('--force');
    expect(await readTree(dir)).toEqual(before);
  });

  it('writes over uncommitted changes with --force', async () => {
    const dir = app();
    writeFileSync(join(dir, 'src/lib/notes.ts'), 'export const draft = 1;\n');
    expect(cli([dir, '--force']).status).toBe(0);
    expect((await readTree(dir)).has('src/lib/context-keys.ts')).toBe(true);
  });

  it('never checks with --dry', () => {
    const dir = app();
    writeFileSync(join(dir, 'src/lib/notes.ts'), 'export const draft = 1;\n');
    expect(cli([dir, '--dry']).status).toBe(0);
  });

  it('lists at most 20 uncommitted files, then a count', () => {
    const dir = app();
    for (let i = 0; i < 25; i++) writeFileSync(join(dir, `src/lib/draft${i}.ts`), `export const draft = ${i};\n`);
    const result = cli([dir]);
    expect(result.status).toBe(2);
    expect(result.stderr.match(/^ {2}src\/lib\/draft\d+\.ts$/gm)).toHaveLength(20);
    expect(result.stderr).toContain('… and 5 more');
  });

  // Inside a git work tree, a git that cannot answer is a refusal, with git's own words: local
  // edits are never overwritten because the guard could not look.
  const refusesWithoutGitAnswer = async (dir: string, expected: RegExp, env?: NodeJS.ProcessEnv) => {
    writeFileSync(join(dir, 'src/lib/notes.ts'), 'export const draft = 1;\n');
    const before = await readTree(dir);
    const result = spawnSync(process.execPath, [BIN, dir], { encoding: 'utf8', env: env ?? process.env });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toContain('cannot tell whether the git working tree has uncommitted changes');
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toContain('--force');
    expect(await readTree(dir)).toEqual(before);
    expect(spawnSync(process.execPath, [BIN, dir, '--dry'], { encoding: 'utf8', env: env ?? process.env }).status).toBe(0);
  };

  it('fails closed in a repository owned by another user (git: dubious ownership)', async () => {
    const dir = app();
    spawnSync('chown', ['-R', '65534:65534', join(dir, '.git')]);
    spawnSync('chown', ['65534:65534', dir]);
    await refusesWithoutGitAnswer(dir, /dubious ownership/);
  });

  it('fails closed with a corrupt .git/HEAD', async () => {
    const dir = app();
    writeFileSync(join(dir, '.git/HEAD'), 'garbage\n');
    await refusesWithoutGitAnswer(dir, /not a git repository|HEAD/);
  });

  it('fails closed when git is not installed', async () => {
    const dir = app();
    await refusesWithoutGitAnswer(dir, /git is not installed/, { ...process.env, PATH: '/nonexistent' });
  });

  it('writes in a directory outside any git repository', async () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    expect(cli([dir]).status).toBe(0);
    expect((await readTree(dir)).has('src/lib/context-keys.ts')).toBe(true);
  });
});

describe('writing', () => {
  it('keeps file modes', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    chmodSync(join(dir, 'src/lib/stores/cart.ts'), 0o600);
    expect(cli([dir]).status).toBe(0);
    expect(statSync(join(dir, 'src/lib/stores/cart.ts')).mode & 0o777).toBe(0o600);
  });

  it('migrates a store module in a folder linked from inside the project, with its consumers', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    // src/lib is a link to lib-real, a folder of the app itself.
    cpSync(join(dir, 'src/lib'), join(dir, 'lib-real'), { recursive: true });
    rmSync(join(dir, 'src/lib'), { recursive: true });
    symlinkSync('../lib-real', join(dir, 'src/lib'), 'dir');
    const result = cli([dir]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('1 store module found: 1 migrated, 0 blocked');
    expect(readFileSync(join(dir, 'lib-real/stores/cart.ts'), 'utf8')).toContain("import { CART_CONTEXT } from '$lib/context-keys';");
    expect(readFileSync(join(dir, 'lib-real/components/CartBadge.svelte'), 'utf8')).toContain('getCartContext()');
    expect(readFileSync(join(dir, 'src/routes/cart/+page.svelte'), 'utf8')).toContain('getCartContext()');
    expect(readFileSync(join(dir, 'lib-real/context-keys.ts'), 'utf8')).toBe("export const CART_CONTEXT = Symbol('cart');\n");
    expect(cli([dir, '--dry']).stdout).toBe('');
  });

  it('leaves alone a file that links outside the project, and what depends on it', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ssc-outside-'));
    temps.push(outside);
    const dir = app('svelte5-ts-cart', { repo: false });
    const store = join(dir, 'src/lib/stores/cart.ts');
    writeFileSync(join(outside, 'cart.ts'), readFileSync(store));
    rmSync(store);
    symlinkSync(join(outside, 'cart.ts'), store);
    const before = (await readProject(dir)).files;
    const outsideBefore = readFileSync(join(outside, 'cart.ts'), 'utf8');
    const result = cli([dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/src\/lib\/stores\/cart\.ts:1:1: links outside the project \(.*\); left alone/);
    expect(readFileSync(join(outside, 'cart.ts'), 'utf8')).toBe(outsideBefore);
    expect((await readProject(dir)).files).toEqual(before);
  });

  it('says nothing of a link out of the project where no code of the app is, unless the app imports through it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'ssc-outside-'));
    temps.push(outside);
    writeFileSync(join(outside, 'index.js'), 'export const version = 1;\n');
    const dir = app('svelte5-ts-cart', { repo: false });
    // A static asset folder linking into a package, as svelte.dev's `static/svelte` does.
    mkdirSync(join(dir, 'static'), { recursive: true });
    symlinkSync(outside, join(dir, 'static/pkg'));
    symlinkSync(outside, join(dir, 'vendor'));
    const check = cli([dir, '--check']);
    expect(check.status, check.stderr + check.stdout).toBe(0);
    expect(check.stdout + check.stderr).not.toMatch(/links outside/);
    expect(cli([dir, '--dry']).stderr).not.toMatch(/links outside|could not be parsed/);

    // Imported through: what it holds is unknown, and said.
    writeFileSync(join(dir, 'src/lib/version.ts'), "export { version } from '../../vendor/index.js';\n");
    const imported = cli([dir, '--check']);
    expect(imported.status).toBe(1);
    expect(imported.stdout + imported.stderr).toMatch(/vendor:1:1: error: links outside the project/);
    expect(imported.stdout + imported.stderr).not.toMatch(/static\/pkg/);
  });
});

describe('bad input', () => {
  it('reports a binary file with a source extension as path:line:column, leaves it and the rest proceeds', () => {
    const dir = app();
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81]);
    writeFileSync(join(dir, 'src/lib/blob.ts'), binary);
    writeFileSync(join(dir, 'src/lib/empty.ts'), '');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'bad files');
    const result = cli([dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/lib/blob.ts:1:1: cannot read: not valid UTF-8');
    expect(result.stderr).toContain('1 migrated');
    expect(readFileSync(join(dir, 'src/lib/blob.ts'))).toEqual(binary);
  });

  it('holds back the store modules an undecodable file mentions', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    const page = join(dir, 'src/routes/cart/+page.svelte');
    const bytes = Buffer.concat([readFileSync(page), Buffer.from([0x3c, 0x21, 0x2d, 0x2d, 0xff, 0x2d, 0x2d, 0x3e, 0x0a])]);
    writeFileSync(page, bytes);
    const result = cli([dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/routes/cart/+page.svelte:1:1: cannot read: not valid UTF-8');
    expect(result.stderr).toContain('blocked   src/lib/stores/cart.ts');
    expect(readFileSync(page)).toEqual(bytes);
  });

  it('does not parse a huge file: it is reported and holds back only the store modules it mentions', () => {
    const dir = app('blocked-server-uses', { repo: false });
    // 6 MB of generated code that loads the theme module (using none of its state), and 6 MB that imports nothing.
    const bundle = `import './theme';\nexport const words = [${'"theme", '.repeat(600_000)}];\n`;
    writeFileSync(join(dir, 'src/lib/bundle.js'), bundle);
    writeFileSync(join(dir, 'src/lib/vendor.js'), `export const data = [${'1, '.repeat(2_000_000)}];\n`);
    const result = cli([dir, '--json']);
    expect(result.status).toBe(1);
    const [report] = JSON.parse(result.stdout).apps;
    expect(report.errors).toEqual([expect.objectContaining({ file: 'src/lib/bundle.js', line: 1, column: 1, message: expect.stringContaining('too large to parse') })]);
    const theme = report.storeModules.find((module: { file: string }) => module.file === 'src/lib/theme.ts');
    expect(theme.blockers).toEqual([expect.objectContaining({ file: 'src/lib/bundle.js', reason: expect.stringContaining('--ignore-pattern') })]);
    expect(readFileSync(join(dir, 'src/lib/bundle.js'), 'utf8')).toBe(bundle);
    const ignored = cli([dir, '--json', '--ignore-pattern', 'src/lib/bundle.js']);
    expect(ignored.status).toBe(0);
    expect(JSON.parse(ignored.stdout).apps[0].storeModules.find((module: { file: string }) => module.file === 'src/lib/theme.ts').status).toBe('migrated');
  });

  it('keeps a byte order mark and CRLF line endings', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    const store = join(dir, 'src/lib/stores/cart.ts');
    writeFileSync(store, `\uFEFF${readFileSync(store, 'utf8').replace(/\n/g, '\r\n')}`);
    expect(cli([dir]).status).toBe(0);
    const text = readFileSync(store, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('function createCartContext() {\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('survives a symlink loop, reading each file once', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    symlinkSync('..', join(dir, 'src/lib/loop'));
    const result = cli([dir, '--dry']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('1 store module found: 1 migrated');
    expect(result.stdout).not.toContain('loop/');
  });
});

describe('monorepos', () => {
  /** A workspace root with two apps, an app hidden by .gitignore, one in node_modules, and a plain package. */
  function workspace(): string {
    const root = mkdtempSync(join(tmpdir(), 'ssc-monorepo-'));
    temps.push(root);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, workspaces: ['apps/*', 'packages/*'] }));
    const place = (fixture: string, folder: string) => {
      mkdirSync(join(root, folder, '..'), { recursive: true });
      cpSync(join(FIXTURES, fixture, 'input'), join(root, folder), { recursive: true });
    };
    place('svelte5-ts-cart', 'apps/shop');
    place('svelte4-js-no-layout', 'apps/admin');
    place('svelte5-js-no-layout', 'apps/scratch');
    place('svelte5-js-no-layout', 'node_modules/some-app');
    mkdirSync(join(root, 'packages/utils'), { recursive: true });
    writeFileSync(join(root, 'packages/utils/package.json'), JSON.stringify({ name: 'utils' }));
    writeFileSync(join(root, '.gitignore'), 'node_modules\napps/scratch/\n');
    return root;
  }

  it('never follows a link out of the folder it is given, and says so once', () => {
    const root = workspace();
    // A link to / would make a walk that follows it read the whole machine.
    symlinkSync('/', join(root, 'apps/everything'));
    const result = cli([root, '--json', '--dry']);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).apps.map((app: { root: string }) => app.root)).toEqual(['apps/admin', 'apps/shop']);
    expect(result.stderr.match(/skipped apps\/everything: links outside/g)).toHaveLength(1);
  });

  it('names an app whose configuration cannot be read, and migrates the others', () => {
    const root = workspace();
    writeFileSync(join(root, 'apps/admin/svelte.config.js'), 'export default { kit: { files: { routes: process.env.ROUTES } } };\n');
    const result = cli([root, '--json', '--dry']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/apps\/admin: svelte\.config\.js \(kit\): `files\.routes` is not a plain string.*; this app is left as it is/);
    expect(JSON.parse(result.stdout).apps.map((app: { root: string }) => app.root)).toEqual(['apps/shop']);
  });

  it('finds every app in the workspaces, migrates each and groups the results per app', () => {
    const root = workspace();
    const result = cli([root, '--json', '--dry']);
    expect(result.status, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.apps.map((app: { root: string }) => app.root)).toEqual(['apps/admin', 'apps/shop']);
    expect(document.apps[1].storeModules[0]).toEqual(expect.objectContaining({ file: 'src/lib/stores/cart.ts', status: 'migrated' }));
    expect(result.stderr).toContain('== apps/admin ==');
    expect(result.stderr).toContain('== apps/shop ==');
  });

  it('prints one diff for the whole root that git apply accepts', async () => {
    const root = workspace();
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'workspace');
    const dry = cli([root, '--dry']);
    expect(dry.stdout).toContain('diff --git a/apps/shop/src/lib/stores/cart.ts b/apps/shop/src/lib/stores/cart.ts');
    expect(dry.stdout).toContain('diff --git a/apps/admin/src/routes/+layout.svelte b/apps/admin/src/routes/+layout.svelte');
    const applied = spawnSync('git', ['apply', '-'], { cwd: root, input: dry.stdout, encoding: 'utf8' });
    expect(applied.status, applied.stderr).toBe(0);
    expect(readFileSync(join(root, 'apps/shop/src/lib/context-keys.ts'), 'utf8')).toContain('CART_CONTEXT');
  });

  it('--cpus 2 migrates the apps in worker threads with the same result', () => {
    const root = workspace();
    const inline = cli([root, '--dry', '--cpus', '1']);
    const parallel = cli([root, '--dry', '--cpus', '2']);
    expect(parallel.status, parallel.stderr).toBe(0);
    expect(parallel.stdout).toBe(inline.stdout);
    expect(parallel.stderr).toBe(inline.stderr);
    expect(cli([root, '--cpus', '0']).status).toBe(2);
  });

  it('follows pnpm-workspace.yaml', () => {
    const root = mkdtempSync(join(tmpdir(), 'ssc-pnpm-'));
    temps.push(root);
    writeFileSync(join(root, 'package.json'), '{ "private": true }');
    writeFileSync(join(root, 'pnpm-workspace.yaml'), "packages:\n  - 'sites/*'\n");
    cpSync(join(FIXTURES, 'svelte5-ts-cart', 'input'), join(root, 'sites/store'), { recursive: true });
    cpSync(join(FIXTURES, 'svelte5-ts-cart', 'input'), join(root, 'elsewhere/store'), { recursive: true });
    const document = JSON.parse(cli([root, '--json', '--dry']).stdout);
    expect(document.apps.map((app: { root: string }) => app.root)).toEqual(['sites/store']);
  });

  it('says that a malformed package.json is malformed, exit 2', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    writeFileSync(join(dir, 'package.json'), '{ "name": "shop", }\n');
    const result = cli([dir, '--dry']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('package.json is not valid JSON');
  });

  it('says so when there is no SvelteKit app', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ssc-empty-'));
    temps.push(empty);
    const result = cli([empty]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no SvelteKit app');
  });
});

describe('at a terminal', () => {
  /** Runs the bin with stderr on a pseudo-terminal (util-linux `script`), stdout thrown away. */
  const onTerminal = (dir: string, env: Record<string, string> = {}) =>
    spawnSync('script', ['-qc', `"${process.execPath}" "${BIN}" "${dir}" --dry > /dev/null`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env } }).stdout;

  it('shows a progress line and colour on a TTY', () => {
    const output = onTerminal(app('blocked-server-uses'));
    expect(output).toMatch(/\r\x1b\[Kread \d+ files, parsed \d+, 2 store modules/);
    expect(output).toContain('\x1b[32mmigrated\x1b[39m');
    expect(output).toContain('\x1b[31mblocked\x1b[39m');
  });

  it('has no colour with NO_COLOR, and neither colour nor progress when piped', () => {
    expect(onTerminal(app('blocked-server-uses'), { NO_COLOR: '1' })).not.toContain('\x1b[3');
    const piped = cli([app('blocked-server-uses'), '--dry']);
    expect(piped.stderr).not.toContain('\x1b[');
    expect(piped.stderr).not.toContain('\r');
  });
});

describe('scripting', () => {
  it('--json prints exactly one JSON document on stdout', () => {
    const result = cli([app('blocked-server-uses'), '--json', '--dry']);
    expect(result.status).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.schemaVersion).toBe(1);
    expect(document.exitCode).toBe(0);
    const [only] = document.apps;
    expect(only.storeModules.map((module: { file: string; status: string }) => `${module.file} ${module.status}`)).toEqual([
      'src/lib/session.ts blocked',
      'src/lib/theme.ts migrated',
    ]);
    expect(only.storeModules[0].blockers).toContainEqual(expect.objectContaining({ file: 'src/hooks.server.ts', line: 6, column: 2 }));
    expect(only.files).toContainEqual({ file: 'src/lib/context-keys.ts', change: 'created' });
    expect(result.stderr).toContain('1 migrated, 1 blocked');
  });

  it('--include and --exclude narrow the store modules; --ignore-pattern skips files', () => {
    const excluded = cli([app('barrels'), '--json', '--dry', '--exclude', 'src/lib/stores/cart.ts']);
    expect(JSON.parse(excluded.stdout).apps[0].storeModules.map((module: { file: string }) => module.file)).toEqual(['src/lib/stores/user.ts']);
    const included = cli([app('barrels'), '--json', '--dry', '--include', 'src/lib/stores/c*.ts']);
    expect(JSON.parse(included.stdout).apps[0].storeModules.map((module: { file: string }) => module.file)).toEqual(['src/lib/stores/cart.ts']);
  });

  it('--ignore-pattern: an ignored file is never edited, and holds back the modules whose moving names it imports', () => {
    // The page imports `cart` from the barrel: left as it is, it would import a name that is gone.
    const consumer = cli([app('barrels'), '--dry', '--json', '--ignore-pattern', 'src/routes/+page.svelte']);
    const modules = JSON.parse(consumer.stdout).apps[0].storeModules as Array<{ file: string; status: string; blockers: Array<{ file: string; reason: string }> }>;
    const cart = modules.find((module) => module.file === 'src/lib/stores/cart.ts')!;
    expect(cart.status).toBe('blocked');
    expect(cart.blockers.length).toBeGreaterThan(0);
    for (const blocker of cart.blockers) expect(blocker).toEqual(expect.objectContaining({ file: 'src/routes/+page.svelte', reason: expect.stringMatching(/excluded by --ignore-pattern/) }));
    expect(JSON.parse(consumer.stdout).apps[0].files.map((file: { file: string }) => file.file)).not.toContain('src/routes/+page.svelte');
    // A file importing nothing that moves holds nothing back.
    const stateless = cli([app('svelte5-ts-cart'), '--dry', '--json', '--ignore-pattern', 'src/lib/format.ts']);
    expect(JSON.parse(stateless.stdout).apps[0].storeModules.map((module: { status: string }) => module.status)).toEqual(['migrated']);
  });

  it('never writes a file it did not read: an ignored root layout holds every module back', () => {
    const dir = app('svelte5-ts-cart', { repo: false });
    const layout = readFileSync(join(dir, 'src/routes/+layout.svelte'), 'utf8');
    const result = cli([dir, '--ignore-pattern', 'src/routes/+layout.svelte']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('the root layout is excluded by --ignore-pattern');
    expect(readFileSync(join(dir, 'src/routes/+layout.svelte'), 'utf8')).toBe(layout);
    expect(existsSync(join(dir, 'src/lib/context-keys.ts'))).toBe(false);
  });

  it('--fail-on-error exits 1 when a store module is blocked', () => {
    expect(cli([app('blocked-server-uses'), '--dry']).status).toBe(0);
    expect(cli([app('blocked-server-uses'), '--dry', '--fail-on-error']).status).toBe(1);
  });

  it('--print prints the whole new content of changed files, and writes nothing', async () => {
    const dir = app();
    const before = await readTree(dir);
    const result = cli([dir, '--print']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("==> src/lib/context-keys.ts <==\nexport const CART_CONTEXT = Symbol('cart');\n");
    expect(result.stdout).toContain('export function getCartContext(): CartContext {');
    expect(await readTree(dir)).toEqual(before);
  });
});

/** An app with `count` store modules, each with a consumer component, all under one root layout. */
