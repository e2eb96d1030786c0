/**
 * The real bin on a generated SvelteKit 2 + Svelte 5 TypeScript app that mixes, in one app, the
 * patterns that broke codemods on real apps (test/mixed-app/generate.ts lists them): every store
 * module is migrated and none blocked, svelte-check finds no error before or after, the --dry diff
 * applied to the original commit gives exactly what the write run wrote, and a second run changes
 * nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { svelteCheck } from './e2e/apps.js';
import { BIN, commitAll, FIXTURES } from './helpers.js';
import { generateMixedApp, mixedAppFiles, STORE_MODULES } from './mixed-app/generate.js';

const INSTALLED_APP = join(FIXTURES, 'e2e-svelte5-ts');
const installed = existsSync(join(INSTALLED_APP, 'node_modules', '.bin', 'svelte-check'));
if (!installed) console.warn(`test/mixed-app.test.ts is skipped: ${INSTALLED_APP}/node_modules/.bin/svelte-check is missing (run: npm run e2e:setup)`);

interface StoreModuleReport {
  file: string;
  status: 'migrated' | 'blocked' | 'skipped';
  stateful: string[];
  blockers: { file: string; line: number; column: number; reason: string }[];
}

interface JsonReport {
  schemaVersion: number;
  dry: boolean;
  exitCode: number;
  apps: {
    root: string;
    storeModules: StoreModuleReport[];
    files: { file: string; change: 'created' | 'modified' }[];
    errors?: { file: string; line: number; column: number; message: string }[];
  }[];
}

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(cwd: string, args: string[], input?: string): string {
  const result = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'core.hooksPath=/dev/null', ...args], { cwd, encoding: 'utf8', input });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** svelte-check's errors as `file: message` lines (line numbers ignored, first line of the message). */
function checkErrors(dir: string): { errors: Set<string>; output: string } {
  const { output } = svelteCheck(dir, 'tsconfig.json');
  const errors = new Set<string>();
  for (const line of output.split('\n')) {
    const match = /^\d+ ERROR "([^"]+)" \d+:\d+ "(.*)"$/.exec(line);
    if (match) errors.add(`${match[1]}: ${match[2]!.replace(/\\n[\s\S]*/, '')}`);
  }
  return { errors, output };
}

/** Every file of the app but .git, node_modules and .svelte-kit, by relative POSIX path, read byte for byte (latin1). */
function appTree(root: string, dir = root, tree = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['.git', 'node_modules', '.svelte-kit'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) appTree(root, path, tree);
    else tree.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'latin1'));
  }
  return new Map([...tree].sort(([a], [b]) => a.localeCompare(b)));
}

describe('a generated app mixing patterns that broke codemods on real apps', () => {
  // svelte-kit and svelte-check come from the e2e fixture's install (npm run e2e:setup).
  const run = it.skipIf(!installed);
  let dir = '';
  let base = '';
  let errorsBefore = new Set<string>();

  run('is generated, committed and type-checks with no error before migration', () => {
    const root = mkdtempSync(join(tmpdir(), 'ssc-mixed-app-'));
    temps.push(root);
    dir = generateMixedApp(root, join(INSTALLED_APP, 'node_modules'));
    commitAll(dir);
    base = git(dir, ['rev-parse', 'HEAD']).trim();
    const before = checkErrors(dir);
    errorsBefore = before.errors;
    expect([...errorsBefore], `the generated app itself does not type-check:\n${before.output}`).toEqual([]);
  }, 60_000);

  run('reports every store module migrated and none blocked (--dry --json)', () => {
    const json = cli(['--dry', '--json', dir]);
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.apps).toHaveLength(1);
    const app = report.apps[0]!;
    expect(app.errors ?? [], 'files the tool could not read or parse').toEqual([]);
    const blocked = app.storeModules
      .filter((module) => module.status === 'blocked')
      .map((module) => `${module.file} (${STORE_MODULES[module.file] ?? 'not a generated store module'}):\n${module.blockers.map((b) => `  ${b.file}:${b.line}:${b.column} ${b.reason}`).join('\n')}`);
    expect(blocked, `blocked store modules:\n${blocked.join('\n')}`).toEqual([]);
    const statuses = Object.fromEntries(app.storeModules.map((module) => [module.file, module.status]));
    expect(statuses).toEqual(Object.fromEntries(Object.keys(STORE_MODULES).map((file) => [file, 'migrated'])));
    const changed = new Map(app.files.map((file) => [file.file, file.change]));
    for (const file of [...Object.keys(STORE_MODULES), 'src/routes/+layout.svelte']) expect(changed.get(file), `${file} is not changed`).toBe('modified');
    expect(changed.get('src/lib/context-keys.ts')).toBe('created');
  });

  run('writes what the --dry diff gives when applied to the original commit', () => {
    const dry = cli(['--dry', dir]);
    expect(dry.status, dry.stderr).toBe(0);
    const dryDiff = dry.stdout;
    expect(dryDiff).toMatch(/^diff --git |^--- /m);
    expect(git(dir, ['status', '--porcelain']), '--dry must not write').toBe('');

    const written = cli([dir]);
    expect(written.status, written.stderr).toBe(0);
    expect(written.stderr).toContain(`${Object.keys(STORE_MODULES).length} store modules found: ${Object.keys(STORE_MODULES).length} migrated, 0 blocked`);

    const alt = mkdtempSync(join(tmpdir(), 'ssc-mixed-app-dry-'));
    temps.push(alt);
    git(dir, ['worktree', 'add', '-q', '--detach', alt, base]);
    git(alt, ['apply', '--whitespace=nowarn', '-'], dryDiff);
    expect(appTree(alt)).toEqual(appTree(dir));
    git(dir, ['worktree', 'remove', '--force', alt]);
  });

  run('gives the unit test state of its own and the component test its context option', () => {
    const unit = readFileSync(join(dir, 'src/lib/stores/cart.test.ts'), 'utf8');
    expect(unit).toContain('const cartContext = createCartContext();\nconst cartCountContext = createCartCountContext(cartContext);\nconst { cart } = cartContext;\nconst { cartCount } = cartCountContext;\n');
    expect(unit).toContain("await import('./cart').then((module) => ({ ...module, ...module.createCartContext() }));");
    const mounted = readFileSync(join(dir, 'src/lib/components/CartBadge.test.ts'), 'utf8');
    expect(mounted).toContain('mount(CartBadge, { target, context: new Map([[CART_CONTEXT, createCartContext()]]) })');
    expect(mounted).toContain("import { CART_CONTEXT } from '$lib/context-keys';");
    expect(readFileSync(join(dir, 'src/lib/stores/cart.ts'), 'utf8')).toContain('export function createCartContext()');
  });

  run('keeps the SCSS block, the BOM, a module\'s missing semicolons and canvas.getContext', () => {
    const original = mixedAppFiles();
    const layout = readFileSync(join(dir, 'src/routes/+layout.svelte'), 'utf8');
    const style = /<style lang="scss">[\s\S]*<\/style>/.exec(original['src/routes/+layout.svelte']!)![0];
    expect(layout).toContain(style);
    expect(layout).toMatch(/initThemeContext\(\)/);
    expect(readFileSync(join(dir, 'src/lib/components/Flag.svelte'), 'utf8').startsWith('\uFEFF<script lang="ts">')).toBe(true);
    const one = readFileSync(join(dir, 'src/lib/stores/one.ts'), 'utf8');
    expect(one).toContain('getOneContext');
    expect(one, 'a module written without semicolons gains some').not.toMatch(/;[ \t]*$/m);
    const chart = readFileSync(join(dir, 'src/lib/components/Chart.svelte'), 'utf8');
    expect(chart).toContain("canvas?.getContext('2d')");
    expect(chart).not.toMatch(/import \{[^}]*getContext[^}]*\} from 'svelte'/);
  });

  run('changes nothing on a second run', () => {
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'migrated']);
    const again = cli([dir]);
    expect(again.status, again.stderr).toBe(0);
    expect(git(dir, ['status', '--porcelain', '-uall'])).toBe('');
  });

  run('type-checks with no error after migration', () => {
    const after = checkErrors(dir);
    const added = [...after.errors].filter((error) => !errorsBefore.has(error));
    expect(added, `new svelte-check errors:\n${after.output}`).toEqual([]);
    expect([...after.errors]).toEqual([]);
  }, 60_000);
});
