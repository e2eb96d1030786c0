/**
 * The package as scripts use it: `import { migrate } from 'svelte-store-context'` resolves to the
 * built entry with its types (this file type-checks against them), in Node itself too.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { migrate, type MigrationReport, type MigrateOptions } from 'svelte-store-context';

const ROOT = join(import.meta.dirname, '..');

it('migrates files in memory through the package entry', () => {
  const options: MigrateOptions = { factories: ['persisted@svelte-persisted-store'] };
  const { files, report } = migrate(
    {
      'package.json': '{ "devDependencies": { "svelte": "^5.0.0", "@sveltejs/kit": "^2.0.0" } }',
      'src/lib/count.js': "import { writable } from 'svelte/store';\nexport const count = writable(0);\n",
      'src/routes/+page.svelte': "<script>\n\timport { count } from '$lib/count';\n</script>\n\n{$count}\n",
    },
    options,
  );
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
