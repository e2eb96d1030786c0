/**
 * End to end on real SvelteKit servers: each app leaks one user's data into another's page before
 * migration (the test proves it can see the bug), and after the real bin has migrated it, the same
 * traffic shows no leak, svelte-check reports no more problems, and the app still hydrates and
 * updates in Chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { build, copyApp, isInstalled, NODE_24, sendTraffic, serve, stopAllServers, svelteCheck, type AppUser, type CheckCounts, type TrafficResult, type Visit } from './e2e/apps.js';
import { FIXTURES } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'dist', 'bin', 'cli.js');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

interface AppCase {
  /** The fixture app. */
  app: string;
  /** Extra flags for the migration. */
  flags?: string[];
  /** The Node.js binary the app's toolchain and server run on (the bin always runs on this process's Node). */
  node?: string;
  tsconfig: string;
  users: AppUser[];
  visits: (users: Record<'alice' | 'bob' | 'anonymous', AppUser>) => Visit[];
  /** Text no page may show: state carried over from another request. */
  carriedOver?: RegExp;
  /** svelte-check reports nothing at all, before and after. */
  checksClean?: boolean;
  /** A page, the element whose text a click on `click` changes, and that text before and after. */
  browser: { path: string; shows: string; click: string; before: string; after: string };
}

const name = (app: AppCase) => [app.app, ...(app.flags ?? [])].join(' ');

/** Two signed-in users with carts, and an anonymous visitor. */
const SHOPPERS: AppUser[] = [
  { cookie: 'alice', markers: ['Alice Anderson', 'Alice-book'] },
  { cookie: 'bob', markers: ['Bob Brown', 'Bob-lamp'] },
  { markers: [] },
];

/** Users taking turns between `/` and `/about`, where the root layout writes state on every page. */
const ALTERNATING_VISITS: AppCase['visits'] = ({ alice, bob, anonymous }) => [
  { user: alice, path: '/', showsOwnData: true },
  { user: anonymous, path: '/about', showsOwnData: false },
  { user: bob, path: '/about', showsOwnData: true },
  { user: anonymous, path: '/', showsOwnData: false },
  { user: alice, path: '/about', showsOwnData: true },
  { user: bob, path: '/', showsOwnData: true },
  { user: anonymous, path: '/about', showsOwnData: false },
];

const APPS: AppCase[] = [
  {
    app: 'e2e-svelte5-ts',
    tsconfig: 'tsconfig.json',
    users: SHOPPERS,
    // The root layout writes the user and the saved cart from layout data on every page.
    visits: ({ alice, bob, anonymous }) => [
      { user: alice, path: '/', showsOwnData: true },
      { user: anonymous, path: '/', showsOwnData: false },
      { user: bob, path: '/about', showsOwnData: true },
      { user: anonymous, path: '/about', showsOwnData: false },
      { user: alice, path: '/about', showsOwnData: true },
      { user: bob, path: '/', showsOwnData: true },
      { user: anonymous, path: '/', showsOwnData: false },
    ],
    browser: { path: '/', shows: 'total', click: 'add', before: '0 items, €0.00', after: '1 items, €6.00' },
  },
  {
    app: 'e2e-svelte4-js',
    tsconfig: 'jsconfig.json',
    users: [{ cookie: 'alice', markers: ['Alice Anderson'] }, { cookie: 'bob', markers: ['Bob Brown'] }, { markers: [] }],
    // Only /profile writes the user store (in a `$:` statement); the home page just reads it.
    visits: ({ alice, bob, anonymous }) => [
      { user: alice, path: '/profile', showsOwnData: true },
      { user: anonymous, path: '/', showsOwnData: false },
      { user: bob, path: '/profile', showsOwnData: true },
      { user: alice, path: '/', showsOwnData: false },
      { user: anonymous, path: '/profile', showsOwnData: false },
      { user: bob, path: '/', showsOwnData: false },
      { user: alice, path: '/profile', showsOwnData: true },
    ],
    browser: { path: '/', shows: 'total', click: 'add', before: 'Basket: 0', after: 'Basket: 3' },
  },
  // Svelte 5 runes state in .svelte.ts modules: a class instance holding the signed-in user, and a
  // `$state` view counter behind a getter, written by the root layout on every page. Migrated in
  // both context styles.
  ...[[], ['--context-style', 'create-context']].map(
    (flags): AppCase => ({
      app: 'e2e-svelte5-runes',
      flags,
      tsconfig: 'tsconfig.json',
      users: [{ cookie: 'alice', markers: ['Alice Anderson'] }, { cookie: 'bob', markers: ['Bob Brown'] }, { markers: [] }],
      visits: ALTERNATING_VISITS,
      // Each request renders one page, so its own count is 1.
      carriedOver: /Views this visit: (?!1\.)\d+/,
      checksClean: true,
      browser: { path: '/about', shows: 'views', click: 'record', before: 'Views this visit: 1.', after: 'Views this visit: 2.' },
    }),
  ),
  // SvelteKit 3 (config in the `sveltekit({...})` Vite plugin, no svelte.config.js, `#lib/...`
  // subpath imports with file extensions, tsconfig extending `$app/tsconfig`), on Node 24 from the
  // npm registry: a `user` store and a cart with a derived total written by the root layout from
  // layout data, and a module-level `$state` render counter the root layout bumps on every page.
  {
    app: 'e2e-kit3-ts',
    node: NODE_24,
    tsconfig: 'tsconfig.json',
    users: SHOPPERS,
    visits: ALTERNATING_VISITS,
    // Each request renders one page, so its own count is 1.
    carriedOver: /Pages rendered this visit: (?!1\.)\d+/,
    checksClean: true,
    browser: { path: '/', shows: 'total', click: 'add', before: '0 items, €0.00', after: '1 items, €6.00' },
  },
];

const BURSTS = 5;
const temps: string[] = [];
let browser: Browser | undefined;

afterAll(async () => {
  stopAllServers();
  await browser?.close();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function trafficOnce(dir: string, app: AppCase): Promise<TrafficResult> {
  build(dir, app.node);
  const server = await serve(dir, app.node);
  try {
    const [alice, bob, anonymous] = app.users as [AppUser, AppUser, AppUser];
    return await sendTraffic(server.url, app.visits({ alice, bob, anonymous }), app.users, BURSTS, app.carriedOver);
  } finally {
    await server.stop();
  }
}

describe.sequential.each(APPS.map((app) => [name(app), app] as const))('%s on a real SvelteKit server', (caseName, app) => {
  const appDir = join(FIXTURES, app.app);
  let dir = '';
  let checkBefore: CheckCounts;

  it('is installed (npm test installs the fixture apps first)', () => {
    expect(isInstalled(appDir), `run: npm install --prefix fixtures/${app.app}`).toBe(true);
    if (app.node) expect(existsSync(app.node), `${app.node} is missing: run npm run e2e:setup`).toBe(true);
    dir = copyApp(appDir);
    temps.push(dir);
  });

  it('leaks one user’s data into other pages before migration', async () => {
    checkBefore = svelteCheck(dir, app.tsconfig, app.node);
    const before = await trafficOnce(dir, app);
    console.log(`${caseName} before: ${before.requests} requests, ${before.leaks.length} leaking responses, svelte-check ${checkBefore.errors} errors / ${checkBefore.warnings} warnings`);
    expect(before.non200).toBe(0);
    expect(before.leaks.length).toBeGreaterThan(0);
  }, 180_000);

  it('is migrated by the bin', () => {
    const result = spawnSync(process.execPath, [BIN, dir, ...(app.flags ?? [])], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\d+ store modules? found: (\d+) migrated, 0 blocked/);
    expect(existsSync(join(dir, 'src/routes/+layout.svelte'))).toBe(true);
  });

  it('serves every user only their own data after migration', async () => {
    const after = await trafficOnce(dir, app);
    console.log(`${caseName} after: ${after.requests} requests, ${after.leaks.length} leaking responses, ${after.non200} non-200`);
    expect(after.non200).toBe(0);
    expect(after.leaks).toEqual([]);
    expect(after.missingOwnData).toEqual([]);
  }, 180_000);

  it('type-checks with no more errors or warnings than before', () => {
    const checkAfter = svelteCheck(dir, app.tsconfig, app.node);
    console.log(`${caseName} svelte-check after: ${checkAfter.errors} errors / ${checkAfter.warnings} warnings`);
    expect(checkAfter.errors, checkAfter.output).toBeLessThanOrEqual(checkBefore.errors);
    expect(checkAfter.warnings, checkAfter.output).toBeLessThanOrEqual(checkBefore.warnings);
    if (app.checksClean) expect([checkBefore.errors, checkBefore.warnings, checkAfter.errors, checkAfter.warnings], checkAfter.output).toEqual([0, 0, 0, 0]);
  }, 120_000);

  it('hydrates and updates state in Chromium', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`).toBe(true);
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    const server = await serve(dir, app.node);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    try {
      await page.goto(server.url + app.browser.path, { waitUntil: 'networkidle' });
      const shown = page.getByTestId(app.browser.shows);
      expect(await shown.textContent()).toContain(app.browser.before);
      await page.getByTestId(app.browser.click).click();
      await expect.poll(() => shown.textContent(), { timeout: 10_000 }).toContain(app.browser.after);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.stop();
    }
  }, 60_000);
});
