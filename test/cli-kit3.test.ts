/**
 * SvelteKit 3 through the bin: apps found by their Vite config, configuration read from the
 * `sveltekit({…})` options and refused by name when it cannot be read, and a monorepo with a Kit 2
 * app, a Kit 3 app and a shared package migrated in one run, each app in its own style.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, runCli, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ssc-kit3-'));
  temps.push(root);
  writeTree(root, files);
  commitAll(root);
  return root;
}

const kit3Manifest = (name: string, extra: object = {}) =>
  JSON.stringify({ name, private: true, type: 'module', imports: { '#lib/*': './src/lib/*' }, devDependencies: { '@sveltejs/kit': '^3.2.0', svelte: '^5.57.1' }, ...extra });

const themeModule = "import { writable } from 'svelte/store';\n\nexport const theme = writable('light');\n";

describe('SvelteKit 3 configuration', () => {
  it('refuses, exit 2, options that cannot be read without running the config, naming the setting', () => {
    const root = tree({
      'package.json': kit3Manifest('app'),
      'vite.config.ts': "import { sveltekit } from '@sveltejs/kit/vite';\nimport { routes } from './folders';\n\nexport default { plugins: [sveltekit({ files: { routes } })] };\n",
      'src/lib/theme.ts': themeModule,
    });
    const result = runCli([root, '--dry']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('vite.config.ts (the options of sveltekit()): `files.routes` is not a plain string');
  });

  it('refuses, exit 2, a computed kit.files.lib in svelte.config', () => {
    const root = tree({
      'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
      'svelte.config.js': "const lib = process.env.LIB;\nexport default { kit: { files: { lib } } };\n",
      'src/lib/theme.ts': themeModule,
    });
    const result = runCli([root, '--dry']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('svelte.config.js (kit): `files.lib` is not a plain string');
  });
});

describe('a monorepo with a SvelteKit 2 app, a SvelteKit 3 app and a shared package', () => {
  const storesPackage = {
    'packages/stores/package.json': JSON.stringify({ name: '@acme/stores', type: 'module', exports: { '.': './src/index.ts' } }),
    'packages/stores/src/index.ts': "export * from './cart';\n",
    'packages/stores/src/cart.ts': "import { writable } from 'svelte/store';\n\nexport const cart = writable<number[]>([]);\n",
  };
  const root = () =>
    tree({
      'package.json': JSON.stringify({ private: true, workspaces: ['apps/*', 'packages/*'] }),
      ...storesPackage,
      'apps/old/package.json': JSON.stringify({ name: 'old', dependencies: { '@acme/stores': 'workspace:*' }, devDependencies: { '@sveltejs/kit': '^2.70.0', svelte: '^5.0.0' } }),
      'apps/old/svelte.config.js': 'export default { kit: {} };\n',
      'apps/old/tsconfig.json': '{}\n',
      'apps/old/src/lib/theme.ts': themeModule,
      'apps/old/src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { theme } from '$lib/theme';\n\timport { cart } from '@acme/stores';\n</script>\n\n<p>{$theme} {$cart.length}</p>\n",
      'apps/new/package.json': kit3Manifest('new', { dependencies: { '@acme/stores': 'workspace:*' } }),
      'apps/new/vite.config.ts': "import { sveltekit } from '@sveltejs/kit/vite';\n\nexport default { plugins: [sveltekit({})] };\n",
      'apps/new/tsconfig.json': '{ "extends": "$app/tsconfig" }\n',
      'apps/new/src/lib/theme.ts': themeModule,
      'apps/new/src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { theme } from '#lib/theme.ts';\n\timport { cart } from '@acme/stores';\n</script>\n\n<p>{$theme} {$cart.length}</p>\n",
    });

  it('finds both apps and migrates each in its own style in one run', () => {
    const dir = root();
    const result = runCli([dir]);
    expect(result.status, result.stderr).toBe(0);
    const read = (path: string) => readFileSync(join(dir, path), 'utf8');
    // SvelteKit 2: `$lib`, no extensions.
    expect(read('apps/old/src/lib/theme.ts')).toContain("import { THEME_CONTEXT } from '$lib/context-keys';");
    expect(read('apps/old/src/routes/+layout.svelte')).toContain("import { initThemeContext } from '$lib/theme';");
    // SvelteKit 3: `#lib/…` with the extension, never `$lib`.
    expect(read('apps/new/src/lib/theme.ts')).toContain("import { THEME_CONTEXT } from '#lib/context-keys.ts';");
    expect(read('apps/new/src/routes/+layout.svelte')).toContain("import { initThemeContext } from '#lib/theme.ts';");
    expect(read('apps/new/src/routes/+layout.svelte')).not.toContain('$lib');
    // The shared package is rewritten once and inited in both apps by its name.
    for (const app of ['old', 'new']) expect(read(`apps/${app}/src/routes/+layout.svelte`)).toContain("import { initCartContext } from '@acme/stores';");
    expect(read('packages/stores/src/cart.ts')).toContain('export function getCartContext()');
    // A second run changes nothing.
    commitAll(dir);
    const again = runCli([dir, '--dry']);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
  });
});
