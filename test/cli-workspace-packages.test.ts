/**
 * The bin on a monorepo whose apps share a workspace package of stores: the package is rewritten
 * once, with its own key module, every app that uses it inits it in its own root layout, and a
 * use one app cannot migrate holds the package back in every app.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitAll, readTree, runCli, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const appFiles = (name: string, page: string): Record<string, string> => ({
  [`apps/${name}/package.json`]: JSON.stringify({ name, private: true, dependencies: { '@acme/stores': 'workspace:*' }, devDependencies: { svelte: '^5.0.0', '@sveltejs/kit': '^2.0.0' } }),
  [`apps/${name}/svelte.config.js`]: 'export default { kit: {} };\n',
  [`apps/${name}/tsconfig.json`]: '{}\n',
  [`apps/${name}/src/routes/+page.svelte`]: page,
});

/** Two apps (one with a root layout, one without) using `@acme/stores`, whose entry re-exports its modules. */
function workspace(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'ssc-packages-'));
  temps.push(root);
  writeTree(root, {
    'package.json': JSON.stringify({ private: true, workspaces: ['apps/*', 'packages/*'] }),
    'packages/stores/package.json': JSON.stringify({ name: '@acme/stores', type: 'module', exports: { '.': { svelte: './src/index.ts' } }, peerDependencies: { svelte: '^5.0.0' } }),
    'packages/stores/src/index.ts': "export * from './cart';\nexport { user, signIn } from './user';\n",
    // Written for NodeNext: relative imports end in `.js`.
    'packages/stores/src/cart.ts': "import { writable, derived } from 'svelte/store';\nimport { round } from './money.js';\n\nexport const TAX = 0.2;\nexport const cart = writable<number[]>([]);\nexport const total = derived(cart, ($cart) => round($cart.reduce((sum, price) => sum + price, 0) * (1 + TAX)));\n",
    'packages/stores/src/money.ts': 'export const round = (value: number) => Math.round(value * 100) / 100;\n',
    'packages/stores/src/user.ts': "import { writable } from 'svelte/store';\n\nexport const user = writable<string | null>(null);\nexport function signIn(name: string) {\n\tuser.set(name);\n}\n",
    'packages/utils/package.json': JSON.stringify({ name: '@acme/utils' }),
    ...appFiles('shop', "<script lang=\"ts\">\n\timport { cart, total } from '@acme/stores';\n</script>\n\n<p>{$cart.length}: {$total}</p>\n"),
    'apps/shop/src/routes/+layout.svelte': "<script lang=\"ts\">\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n",
    ...appFiles('admin', "<script lang=\"ts\">\n\timport { user, signIn, TAX } from '@acme/stores';\n</script>\n\n<button onclick={() => signIn('root')}>{$user ?? 'sign in'} {TAX}</button>\n"),
    ...extra,
  });
  commitAll(root);
  return root;
}

describe('workspace packages shared by several apps', () => {
  it('rewrites the package once, with its own key module, and inits it in each app', () => {
    const root = workspace();
    const dry = runCli([root, '--dry']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout.match(/^diff --git a\/packages\/stores\/src\/cart\.ts /gm)).toHaveLength(1);
    const applied = spawnSync('git', ['apply', '-'], { cwd: root, input: dry.stdout, encoding: 'utf8' });
    expect(applied.status, applied.stderr).toBe(0);

    const read = (path: string) => readFileSync(join(root, path), 'utf8');
    expect(read('packages/stores/src/context-keys.ts')).toBe("export const CART_CONTEXT = Symbol('cart');\nexport const USER_CONTEXT = Symbol('user');\n");
    expect(read('packages/stores/src/cart.ts')).toContain("import { CART_CONTEXT } from './context-keys.js';");
    expect(read('packages/stores/src/user.ts')).toContain("import { USER_CONTEXT } from './context-keys';");
    // The package's entry passes the new functions on: `export *` as it is, named re-exports gain them.
    expect(read('packages/stores/src/index.ts')).toBe("export * from './cart';\nexport { initUserContext, getUserContext } from './user';\n");
    expect(read('apps/shop/src/routes/+layout.svelte')).toBe(
      "<script lang=\"ts\">\n\timport { initCartContext, initUserContext } from '@acme/stores';\n\n\tinitCartContext();\n\tinitUserContext();\n\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n",
    );
    expect(read('apps/admin/src/routes/+layout.svelte')).toContain("import { initCartContext, initUserContext } from '@acme/stores';");
    expect(read('apps/admin/src/routes/+page.svelte')).toContain("import { getUserContext, TAX } from '@acme/stores';\n\n\tconst { user, signIn } = getUserContext();");
    expect(existsSync(join(root, 'apps/shop/src/lib/context-keys.ts'))).toBe(false);
  });

  it('writes what the dry run shows, reports the package per app, and changes nothing when run again', async () => {
    const root = workspace();
    const dry = runCli([root, '--print', '--dry']);
    const result = runCli([root, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout);
    for (const app of document.apps) {
      expect(app.storeModules.map((module: { file: string; status: string }) => `${module.file} ${module.status}`)).toEqual([
        '../../packages/stores/src/cart.ts migrated',
        '../../packages/stores/src/user.ts migrated',
      ]);
    }
    const written = await readTree(root);
    for (const [, path, text] of dry.stdout.matchAll(/^==> (.+) <==\n([\s\S]*?)(?=^==> |(?![\s\S]))/gm)) expect(written.get(path!), path).toBe(text);

    commitAll(root);
    const again = runCli([root, '--dry']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    // Each app's report, and the total of both.
    expect(again.stderr.match(/0 store modules found: 0 migrated, 0 blocked; 0 files changed/g)).toHaveLength(3);
    expect(again.stderr).toContain('== all 2 apps ==\n0 store modules found');
  });

  it('gives the same result with --cpus 2', () => {
    const root = workspace();
    const inline = runCli([root, '--dry', '--cpus', '1']);
    const parallel = runCli([root, '--dry', '--cpus', '2']);
    expect(parallel.status, parallel.stderr).toBe(0);
    expect(parallel.stdout).toBe(inline.stdout);
    expect(parallel.stderr).toBe(inline.stderr);
  });

  it('holds a package module back in every app when one app uses it where context cannot run', async () => {
    const hooks = "import { user } from '@acme/stores';\n\nexport async function handle({ event, resolve }) {\n\tuser.set(event.locals.name);\n\treturn resolve(event);\n}\n";
    const root = workspace({ 'apps/admin/src/hooks.server.ts': hooks });
    const before = await readTree(root);
    const result = runCli([root, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const [admin, shop] = JSON.parse(result.stdout).apps;
    for (const app of [admin, shop]) {
      const user = app.storeModules.find((module: { file: string }) => module.file === '../../packages/stores/src/user.ts');
      expect(user.status, app.root).toBe('blocked');
      expect(app.storeModules.find((module: { file: string }) => module.file === '../../packages/stores/src/cart.ts').status).toBe('migrated');
    }
    // The other app names the place in admin, relative to its own root.
    const shopBlocker = shop.storeModules.find((module: { file: string }) => module.file.endsWith('user.ts')).blockers[0];
    expect(shopBlocker).toEqual(expect.objectContaining({ file: '../admin/src/hooks.server.ts', line: 4, column: 2 }));
    const after = await readTree(root);
    expect(after.get('packages/stores/src/user.ts')).toBe(before.get('packages/stores/src/user.ts'));
    expect(after.get('packages/stores/src/index.ts')).toBe(before.get('packages/stores/src/index.ts'));
    expect(after.get('apps/admin/src/routes/+page.svelte')).toBe(before.get('apps/admin/src/routes/+page.svelte'));
    expect(after.get('packages/stores/src/context-keys.ts')).toBe("export const CART_CONTEXT = Symbol('cart');\n");
    expect(after.get('apps/shop/src/routes/+layout.svelte')).toContain("import { initCartContext } from '@acme/stores';");
  });

  it('treats a SvelteKit library others depend on as a package: its src/lib is edited for dist/, $lib is its own', async () => {
    const root = workspace({
      'packages/ui/package.json': JSON.stringify({ name: '@acme/ui', exports: { '.': { types: './dist/index.d.ts', svelte: './dist/index.js' } }, devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
      'packages/ui/svelte.config.js': 'export default { kit: {} };\n',
      'packages/ui/src/lib/index.ts': "export * from '$lib/theme';\n",
      'packages/ui/src/lib/theme.ts': "import { writable } from 'svelte/store';\n\nexport const theme = writable('light');\n",
      'apps/shop/package.json': JSON.stringify({ name: 'shop', dependencies: { '@acme/ui': 'workspace:*' }, devDependencies: { svelte: '^5.0.0', '@sveltejs/kit': '^2.0.0' } }),
      'apps/shop/src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { theme } from '@acme/ui';\n</script>\n\n<p>{$theme}</p>\n",
    });
    const result = runCli([root, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const apps = JSON.parse(result.stdout).apps;
    expect(apps.map((app: { root: string }) => app.root)).toEqual(['apps/admin', 'apps/shop']);
    const shop = apps[1];
    expect(shop.storeModules.map((module: { file: string; status: string }) => `${module.file} ${module.status}`)).toEqual(['../../packages/ui/src/lib/theme.ts migrated']);
    const after = await readTree(root);
    expect(after.get('packages/ui/src/lib/context-keys.ts')).toBe("export const THEME_CONTEXT = Symbol('theme');\n");
    expect(after.get('apps/shop/src/routes/+page.svelte')).toContain('const { theme } = getThemeContext();');
    expect(after.get('apps/shop/src/routes/+layout.svelte')).toContain("import { initThemeContext } from '@acme/ui';");
    expect(after.has('packages/ui/src/routes/+layout.svelte')).toBe(false);
  });

  it('reads the packages that depend on a used package, so that their uses count too', async () => {
    const root = workspace({
      'packages/widgets/package.json': JSON.stringify({ name: '@acme/widgets', dependencies: { '@acme/stores': 'workspace:*' } }),
      'packages/widgets/src/cart-count.ts': "import { cart } from '@acme/stores';\n\nexport let count = 0;\ncart.subscribe((items) => (count = items.length));\n",
    });
    const before = await readTree(root);
    const [admin, shop] = JSON.parse(runCli([root, '--json']).stdout).apps;
    for (const app of [admin, shop]) {
      const cart = app.storeModules.find((module: { file: string }) => module.file === '../../packages/stores/src/cart.ts');
      expect(cart.status, app.root).toBe('blocked');
      expect(cart.blockers[0]).toEqual(expect.objectContaining({ file: '../../packages/widgets/src/cart-count.ts', line: 1, column: 10 }));
    }
    expect((await readTree(root)).get('packages/stores/src/cart.ts')).toBe(before.get('packages/stores/src/cart.ts'));
  });

  it('holds a package module back when an import of the package cannot be resolved, or when no import of it reaches the module', async () => {
    const root = workspace({
      'apps/admin/src/routes/legacy/+page.svelte': "<script lang=\"ts\">\n\timport { user } from '@acme/stores/src/user';\n</script>\n\n<p>{$user}</p>\n",
      'packages/stores/src/prefs.ts': "import { writable } from 'svelte/store';\n\nexport const prefs = writable({});\n",
    });
    const [admin] = JSON.parse(runCli([root, '--json', '--dry']).stdout).apps;
    const status = (file: string) => admin.storeModules.find((module: { file: string }) => module.file === file);
    expect(status('../../packages/stores/src/user.ts').blockers).toContainEqual(
      expect.objectContaining({ file: 'src/routes/legacy/+page.svelte', line: 2, column: 2, reason: expect.stringContaining('could not be resolved to a file of @acme/stores') }),
    );
    expect(status('../../packages/stores/src/prefs.ts').blockers).toContainEqual(
      expect.objectContaining({ file: '../../packages/stores/src/prefs.ts', reason: expect.stringContaining('no import of @acme/stores leads to this module') }),
    );
  });
});

describe("a package whose module the app reaches only through the package's own components", () => {
  it("imports the module's init from a subpath its exports list, through the barrel there", async () => {
    const root = mkdtempSync(join(tmpdir(), 'ssc-packages-'));
    temps.push(root);
    writeTree(root, {
      'package.json': JSON.stringify({ private: true, workspaces: ['apps/*', 'packages/*'] }),
      'packages/kit/package.json': JSON.stringify({ name: '@acme/kit', type: 'module', exports: { '.': { svelte: './src/index.ts' }, './stores': { default: './src/stores/index.ts' } }, peerDependencies: { svelte: '^5.0.0' } }),
      'packages/kit/src/index.ts': "export { default as Nav } from './Nav.svelte';\n",
      'packages/kit/src/Nav.svelte': "<script lang=\"ts\">\n\timport { open } from './stores/nav';\n</script>\n\n<button onclick={() => open.update((value) => !value)}>{$open ? 'close' : 'menu'}</button>\n",
      'packages/kit/src/stores/index.ts': "export { open } from './nav';\n",
      'packages/kit/src/stores/nav.ts': "import { writable } from 'svelte/store';\n\nexport const open = writable(false);\n",
      ...appFiles('site', "<script lang=\"ts\">\n\timport { Nav } from '@acme/kit';\n</script>\n\n<Nav />\n"),
      'apps/site/package.json': JSON.stringify({ name: 'site', private: true, dependencies: { '@acme/kit': 'workspace:*' }, devDependencies: { svelte: '^5.0.0', '@sveltejs/kit': '^2.0.0' } }),
      'apps/site/src/routes/+layout.svelte': "<script lang=\"ts\">\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n",
    });
    commitAll(root);
    const run = runCli([root]);
    expect(run.status, run.stderr).toBe(0);
    const tree = await readTree(root);
    expect(tree.get('apps/site/src/routes/+layout.svelte')).toContain("import { initNavContext } from '@acme/kit/stores';");
    expect(tree.get('packages/kit/src/stores/index.ts')).toBe("export { initNavContext, getNavContext } from './nav';\n");
    expect(tree.get('packages/kit/src/Nav.svelte')).toContain('const { open } = getNavContext();');
  });
});

describe('counting and reach in a monorepo', () => {
  it('sums the apps with each store module and file once: the shared package is in both reports', () => {
    const root = workspace();
    const dry = runCli([root, '--dry']);
    expect(dry.status, dry.stderr).toBe(0);
    // Each app's own report counts the package's two modules and its files.
    expect(dry.stderr.match(/^2 store modules found: 2 migrated, 0 blocked; 6 files changed \(\d created\)/gm)).toHaveLength(2);
    const files = dry.stdout.match(/^diff --git /gm)!.length;
    expect(files).toBe(8);
    expect(dry.stderr).toContain('== all 2 apps ==\n2 store modules found: 2 migrated, 0 blocked; 8 files changed (2 created)\n');
  });

  it('run inside one app, warns that the workspace packages it uses are outside the folder, naming them and the workspace root', () => {
    const root = workspace();
    const inside = runCli(['--dry'], { cwd: join(root, 'apps', 'admin') });
    expect(inside.status, inside.stderr).toBe(0);
    expect(inside.stderr).toContain(
      'svelte-store-context: warning: this folder uses workspace packages outside it: @acme/stores (../../packages/stores). Their store modules are not read, so they stay module-level and shared between requests; run from the workspace root (../..) to migrate them too.\n',
    );
    // From the root, nothing is outside.
    expect(runCli([root, '--dry']).stderr).not.toContain('outside it');
  });
});

it('writes each app its own changes when an app before them is refused (its configuration cannot be read)', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssc-refused-'));
  temps.push(root);
  const app = (name: string) => ({
    [`apps/${name}/package.json`]: JSON.stringify({ name, devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
    [`apps/${name}/svelte.config.js`]: 'export default { kit: {} };\n',
    [`apps/${name}/src/lib/${name}.ts`]: `import { writable } from 'svelte/store';\nexport const ${name} = writable(0);\n`,
    [`apps/${name}/src/routes/+page.svelte`]: `<script>\n\timport { ${name} } from '$lib/${name}';\n</script>\n\n{$${name}}\n`,
  });
  writeTree(root, {
    'package.json': JSON.stringify({ private: true, workspaces: ['apps/*'] }),
    ...app('alpha'),
    'apps/alpha/svelte.config.js': 'const lib = process.env.LIB;\nexport default { kit: { files: { lib } } };\n',
    ...app('beta'),
    ...app('gamma'),
  });
  commitAll(root);
  const result = runCli([root]);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('svelte-store-context: apps/alpha: svelte.config.js (kit): `files.lib` is not a plain string');
  const changed = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' }).stdout;
  expect(changed.split('\n').filter(Boolean).map((line) => line.slice(3)).sort()).toEqual([
    'apps/beta/src/lib/beta.ts',
    'apps/beta/src/lib/context-keys.ts',
    'apps/beta/src/routes/+layout.svelte',
    'apps/beta/src/routes/+page.svelte',
    'apps/gamma/src/lib/context-keys.ts',
    'apps/gamma/src/lib/gamma.ts',
    'apps/gamma/src/routes/+layout.svelte',
    'apps/gamma/src/routes/+page.svelte',
  ]);
});
