/**
 * The package as scripts use it: `import { migrate } from 'svelte-store-context'` resolves to the
 * built entry with its types (this file type-checks against them), in Node itself too.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { migrate, type MigrationReport, type MigrateOptions } from 'svelte-store-context';

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
