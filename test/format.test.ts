/**
 * The project's formatting, through the bin on hand-written apps formatted with Prettier at four
 * spaces: the changed files pass the app's own `prettier --check` afterwards and hold no tab; an
 * app without Prettier gets its `.editorconfig` indentation; `--no-format`, ignored files, files
 * that were not Prettier-formatted before, and a Prettier that fails are each handled as documented.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, runCli, writeTree } from './helpers.js';

const OWN_MODULES = join(import.meta.dirname, '..', 'node_modules');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const FOUR_SPACES = JSON.stringify({ tabWidth: 4, singleQuote: true, printWidth: 100, plugins: ['prettier-plugin-svelte'] });

/** A small Kit 2 app: a store module written in one line (it shows no indentation), a consumer, no root layout. */
const APP: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', type: 'module', devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }, null, 4) + '\n',
  'svelte.config.js': "export default { kit: {} };\n",
  '.gitignore': 'node_modules\n',
  'src/lib/stores/count.ts': "import { writable } from 'svelte/store';\nexport const count = writable(0);\n",
  'src/lib/stores/cart.ts': [
    "import { writable, derived } from 'svelte/store';",
    '',
    'export type Item = { id: string; price: number };',
    '',
    'export const cart = writable<Item[]>([]);',
    'export const total = derived(cart, ($cart) => $cart.reduce((sum, item) => sum + item.price, 0));',
    '',
    'export function addItem(item: Item) {',
    '    cart.update((items) => [...items, item]);',
    '}',
    '',
  ].join('\n'),
  'src/routes/+page.svelte': [
    '<script lang="ts">',
    "    import { cart, total, addItem } from '$lib/stores/cart';",
    "    import { count } from '$lib/stores/count';",
    '</script>',
    '',
    '<button onclick={() => addItem({ id: String($count), price: 1 })}>{$cart.length} items, {$total}</button>',
    '',
  ].join('\n'),
};

/** The app's own Prettier, through the bin its package.json names. */
function prettier(dir: string, args: string[]) {
  const installed = join(dir, 'node_modules', 'prettier');
  const { bin } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { bin: string | { prettier: string } };
  return spawnSync(process.execPath, [join(installed, typeof bin === 'string' ? bin : bin.prettier), ...args], { cwd: dir, encoding: 'utf8' });
}

/** The app in a temp folder, with Prettier and its Svelte plugin installed (linked) when asked, formatted with it and committed. */
function makeApp(files: Record<string, string>, options: { prettierInstalled: boolean; prettier2?: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-format-'));
  temps.push(dir);
  writeTree(dir, files);
  if (options.prettierInstalled) {
    mkdirSync(join(dir, 'node_modules'));
    if (options.prettier2) symlinkSync(join(OWN_MODULES, 'prettier2'), join(dir, 'node_modules', 'prettier'));
    else for (const name of ['prettier', 'prettier-plugin-svelte']) symlinkSync(join(OWN_MODULES, name), join(dir, 'node_modules', name));
    const formatted = prettier(dir, ['--write', '.']);
    expect(formatted.status, formatted.stderr).toBe(0);
  }
  commitAll(dir);
  return dir;
}

function changedFiles(dir: string): string[] {
  const result = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map((line) => line.slice(3));
}

const tabIndented = (dir: string, files: string[]) => files.filter((file) => /^\t/m.test(readFileSync(join(dir, file), 'utf8')));

describe("an app formatted with Prettier at four spaces", () => {
  it("the changed files pass the app's prettier --check afterwards, and hold no tab", () => {
    const dir = makeApp({ ...APP, '.prettierrc': FOUR_SPACES }, { prettierInstalled: true });
    expect(prettier(dir, ['--check', '.']).status).toBe(0);
    const dry = runCli(['--dry'], { cwd: dir });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/Formatted 5 of 5 changed files with the app's Prettier 3\.\d+\.\d+ \(--no-format to skip\)/);

    const write = runCli([], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    const changed = changedFiles(dir);
    expect(changed.sort()).toEqual(['src/lib/context-keys.ts', 'src/lib/stores/cart.ts', 'src/lib/stores/count.ts', 'src/routes/+layout.svelte', 'src/routes/+page.svelte']);
    const check = prettier(dir, ['--check', ...changed]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(tabIndented(dir, changed)).toEqual([]);
    // The dry run showed what was written.
    const applied = spawnSync('git', ['apply', '--reverse', '--check', '-'], { cwd: dir, input: dry.stdout, encoding: 'utf8' });
    expect(applied.status, applied.stderr).toBe(0);
    // And migrating the result again changes nothing.
    const again = runCli(['--force'], { cwd: dir });
    expect(again.stderr).toContain('Nothing was written.');
  });

  it('--no-format leaves the files as the migration writes them: in their own style, so the too-long line stays', () => {
    const dir = makeApp({ ...APP, '.prettierrc': FOUR_SPACES }, { prettierInstalled: true });
    const write = runCli(['--no-format'], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).not.toContain('Formatted');
    const changed = changedFiles(dir);
    expect(tabIndented(dir, changed)).toEqual([]);
    // The getter's error message makes a line longer than the app allows: only Prettier wraps it.
    const check = prettier(dir, ['--check', ...changed]);
    expect(check.status).not.toBe(0);
    expect(check.stderr).toContain('src/lib/stores/cart.ts');
  });

  it('leaves a file that was not Prettier-formatted before in its own layout, and one .prettierignore names alone', () => {
    const unformatted = 'import { writable } from "svelte/store"\nexport const flag = writable(false)\n';
    const dir = makeApp({ ...APP, '.prettierrc': FOUR_SPACES, '.prettierignore': 'src/lib/stores/count.ts\n' }, { prettierInstalled: true });
    writeTree(dir, { 'src/lib/stores/flag.ts': unformatted, 'src/routes/flag/+page.svelte': "<script>\n    import { flag } from '$lib/stores/flag';\n</script>\n\n{$flag}\n" });
    commitAll(dir);
    const write = runCli([], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    const flag = readFileSync(join(dir, 'src/lib/stores/flag.ts'), 'utf8');
    // Its double quotes and missing semicolons stay, in the new lines too.
    expect(flag).toContain('import { writable } from "svelte/store"\n');
    expect(flag).toContain('    const flag = writable(false)\n');
    expect(flag).not.toMatch(/;$/m);
    // count.ts is ignored by Prettier: its one-line store gets the configured four spaces, not Prettier's layout.
    const count = readFileSync(join(dir, 'src/lib/stores/count.ts'), 'utf8');
    expect(count).toContain('\n    const count = writable(0);\n');
    expect(write.stderr).toMatch(/Formatted 5 of 7 changed files/);
  });

  it("names a file Prettier fails on, and writes it as migrated: a plugin the configuration names is not installed", () => {
    const dir = makeApp({ ...APP, '.prettierrc': FOUR_SPACES }, { prettierInstalled: true });
    writeTree(dir, { '.prettierrc': JSON.stringify({ tabWidth: 4, singleQuote: true, plugins: ['prettier-plugin-svelte', 'prettier-plugin-not-installed'] }) });
    commitAll(dir);
    const write = runCli([], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).toMatch(/warning: src\/lib\/stores\/cart\.ts: Prettier could not format it \(.*prettier-plugin-not-installed.*\); it is written as the migration made it/);
    expect(readFileSync(join(dir, 'src/lib/stores/cart.ts'), 'utf8')).toContain('export function getCartContext(): CartContext {\n    const context');
    expect(write.stderr).toContain('Wrote 5 files.');
  });
});

describe('an app with Prettier 2 (no Svelte plugin)', () => {
  it('formats its changed scripts with it, honouring its one ignore file; components it cannot parse stay as migrated', () => {
    const dir = makeApp({ ...APP, '.prettierrc': JSON.stringify({ tabWidth: 4, singleQuote: true, printWidth: 100 }), '.prettierignore': 'src/routes\n' }, { prettierInstalled: true, prettier2: true });
    const write = runCli([], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).not.toContain('warning');
    expect(write.stderr).toMatch(/Formatted 3 of 5 changed files with the app's Prettier 2\.8\.8/);
    const check = prettier(dir, ['--check', 'src/lib']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});

describe('an app without Prettier installed', () => {
  it('follows .editorconfig where a file shows no indentation of its own, and in the files it creates', () => {
    const dir = makeApp({ ...APP, '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 4\n\n[*.md]\nindent_size = 2\n' }, { prettierInstalled: false });
    const write = runCli([], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).not.toContain('Formatted');
    const changed = changedFiles(dir);
    expect(tabIndented(dir, changed)).toEqual([]);
    expect(readFileSync(join(dir, 'src/lib/stores/count.ts'), 'utf8')).toContain('\n    const count = writable(0);\n');
    expect(readFileSync(join(dir, 'src/routes/+layout.svelte'), 'utf8')).toContain('\n    initCartContext();\n');
  });

  it("reads a JSON .prettierrc: tabs, double quotes and no semicolons in the files it creates", () => {
    const dir = makeApp({ ...APP, '.prettierrc': JSON.stringify({ useTabs: true, semi: false }) }, { prettierInstalled: false });
    const write = runCli([], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    expect(readFileSync(join(dir, 'src/lib/context-keys.ts'), 'utf8')).toBe('export const CART_CONTEXT = Symbol("cart")\nexport const COUNT_CONTEXT = Symbol("count")\n');
    expect(readFileSync(join(dir, 'src/routes/+layout.svelte'), 'utf8')).toMatch(/\n\tinitCartContext\(\)\n/);
  });
});

describe('formatting in helper threads', () => {
  it('gives what formatting in this thread gives, file for file', async () => {
    // Twenty consumers: enough changed files for helper threads to start.
    const consumers = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `src/lib/components/Line${i}.svelte`,
        ['<script lang="ts">', "    import { cart, total } from '$lib/stores/cart';", '</script>', '', `<p>Line ${i}: {$cart.length} items, {$total}</p>`, ''].join('\n'),
      ]),
    );
    const dir = makeApp({ ...APP, ...consumers, '.prettierrc': FOUR_SPACES }, { prettierInstalled: true });
    const { migrateDirectory } = await import('../dist/bin/api.js');
    const { formatChanges } = await import('../dist/bin/format.js');
    const { changes } = await migrateDirectory(dir, { format: false });
    const unformatted = changes.map(({ path, before, after }) => ({ path, before, after, created: before === undefined }));
    expect(unformatted.length).toBeGreaterThanOrEqual(20);
    const here = await formatChanges(dir, unformatted, 0);
    const helped = await formatChanges(dir, unformatted, 1);
    expect(here.count).toBe(unformatted.length);
    expect(helped).toEqual(here);
    // Formatting did something: the files as the migration wrote them are not what Prettier gives.
    expect(here.changes.filter((change, i) => change.after !== unformatted[i]!.after).length).toBeGreaterThan(0);

    // Which thread formats which file depends on timing: a helper thread, asked directly, formats as this thread does.
    const { formatResult } = await import('../dist/bin/format.js');
    const worker = new Worker(new URL('../dist/bin/format-worker.js', import.meta.url));
    try {
      for (const change of unformatted.slice(0, 3)) {
        const fromWorker = await new Promise((resolve) => {
          worker.once('message', resolve);
          worker.postMessage({ root: dir, change });
        });
        expect(fromWorker).toEqual(await formatResult(dir, change));
      }
    } finally {
      await worker.terminate();
    }
  });
});
