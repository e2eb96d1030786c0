/**
 * The package as scripts use it: `import { migrate } from 'svelte-store-context'` resolves to the
 * built entry with its types (this file type-checks against them), in Node itself too.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { migrate, migrateDirectory, type DirectoryMigration, type MigrationReport, type MigrateOptions } from 'svelte-store-context';
import { commitAll, copyToTemp, FIXTURES, runCli } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const ROOT = join(import.meta.dirname, '..');

const app = {
  'package.json': '{ "devDependencies": { "svelte": "^5.0.0", "@sveltejs/kit": "^2.0.0" } }',
  'svelte.config.js': 'export default { kit: {} };\n',
  'src/lib/count.js': "import { writable } from 'svelte/store';\nexport const count = writable(0);\n",
  'src/routes/+page.svelte': "<script>\n\timport { count } from '$lib/count';\n</script>\n\n{$count}\n",
};

it('refuses files that may not be the whole app instead of creating a root layout over one it was not given', () => {
  expect(() => migrate(app)).toThrow(/the files given hold routes but no src\/routes\/\+layout\.svelte, which the migration would create over the app's own if it has one; give migrate\(\) every file of the app and pass \{ complete: true \}/);
  const { 'svelte.config.js': _config, ...withoutConfig } = app;
  expect(() => migrate({ ...withoutConfig, 'src/routes/+layout.svelte': '<slot />\n' })).toThrow(/no svelte\.config\.\* or vite\.config\.\*/);
});

it('migrates files in memory through the package entry', () => {
  const options: MigrateOptions = { factories: ['persisted@svelte-persisted-store'], complete: true };
  const { files, report } = migrate(app, options);
  const summary: MigrationReport['storeModules'] = report.storeModules;
  expect(summary).toEqual([{ file: 'src/lib/count.js', status: 'migrated', stateful: ['count'], blockers: [] }]);
  expect([...files.keys()].sort()).toEqual(['src/lib/context-keys.js', 'src/lib/count.js', 'src/routes/+layout.svelte', 'src/routes/+page.svelte']);
});

it('is importable by name from plain Node', () => {
  const script = "import { migrate } from 'svelte-store-context'; console.log(typeof migrate);";
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('function');
});

it('migrateDirectory reads an app as the CLI does and returns what the CLI would write, writing nothing', async () => {
  const dir = copyToTemp(join(FIXTURES, 'cross-module-dependencies', 'input'), 'ssc-api');
  temps.push(dir);
  commitAll(dir);
  const status = () => spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' }).stdout;

  const result: DirectoryMigration = await migrateDirectory(dir, { factories: ['persisted@svelte-persisted-store'] });
  expect(status()).toBe('');
  expect(result.refused).toEqual([]);
  expect(result.apps.map(({ root }) => root)).toEqual(['.']);
  expect(result.apps[0]!.report.storeModules.filter((module) => module.status === 'migrated').length).toBeGreaterThan(1);

  const written = runCli(['--factory', 'persisted@svelte-persisted-store'], { cwd: dir });
  expect(written.status, written.stderr).toBe(0);
  const changed = status().split('\n').filter(Boolean).map((line) => line.slice(3)).sort();
  expect(result.changes.map(({ path }) => path)).toEqual(changed);
  for (const change of result.changes) expect(readFileSync(join(dir, change.path), 'utf8'), change.path).toBe(change.after);
  expect(result.changes.filter(({ before }) => before === undefined).map(({ path }) => path)).toEqual(['src/lib/context-keys.ts']);
});

it('migrateDirectory refuses a folder with no SvelteKit app', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-api-empty-'));
  temps.push(dir);
  await expect(migrateDirectory(dir)).rejects.toThrow(/no SvelteKit app under/);
});
