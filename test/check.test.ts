/**
 * `--check`, the read-only CI guard, through the bin on apps written for these tests: exit codes
 * before and after a migration, on an app whose only writes run in the browser and on one with SSR
 * off; the SARIF log and GitHub annotations point at the leaking writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type AjvDraft04 from 'ajv-draft-04';
import type addFormatsType from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, commitAll, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The bin with a clean environment: CI's own GITHUB_ACTIONS must not choose the format. */
function cli(args: string[], env: Record<string, string> = {}) {
  const { GITHUB_ACTIONS: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...inherited, NO_COLOR: '1', ...env } });
}

function app(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ssc-check-'));
  temps.push(root);
  writeTree(root, {
    'package.json': JSON.stringify({ name: 'app', private: true, type: 'module', devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
    'svelte.config.js': 'export default { kit: {} };\n',
    'tsconfig.json': '{}\n',
    ...files,
  });
  commitAll(root);
  return root;
}

/**
 * The SARIF 2.1.0 JSON schema (OASIS, as published with Microsoft's SARIF SDK). Its patterns are
 * not valid in unicode mode, hence `unicodeRegExp: false`.
 */
function sarifValidator() {
  const require = createRequire(import.meta.url);
  // CommonJS modules whose `module.exports` is the class and the function.
  const Ajv = require('ajv-draft-04') as typeof AjvDraft04.default;
  const addFormats = require('ajv-formats') as typeof addFormatsType.default;
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const leakingApp = () =>
  app({
    'src/lib/user.ts': "import { writable } from 'svelte/store';\n\nexport const user = writable<string | null>(null);\n",
    'src/lib/api.ts': "import { user } from './user';\n\nexport function remember(name: string) {\n\tuser.set(name);\n}\n",
    'src/routes/+layout.svelte': "<script lang=\"ts\">\n\timport { user } from '$lib/user';\n\n\tlet { data, children } = $props();\n\n\tuser.set(data.name);\n</script>\n\n<p>{$user}</p>\n{@render children()}\n",
    'src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { remember } from '$lib/api';\n\n\tremember('guest');\n</script>\n",
  });

describe('--check', () => {
  it('exits 1 naming each leaking write, and 0 once the app is migrated', () => {
    const root = leakingApp();
    const before = cli([root, '--check']);
    expect(before.status, before.stderr).toBe(1);
    expect(before.stdout).toContain("src/routes/+layout.svelte:6:2: error: `user` (src/lib/user.ts) is written while a request is handled on the server");
    expect(before.stdout).toContain('src/lib/api.ts:4:2: error: `user` (src/lib/user.ts) is written while a request is handled on the server, so one request\'s data can reach another request\'s page; reached from src/routes/+page.svelte:4:2');
    expect(before.stdout).toMatch(/1 piece of module-level state leak between requests, in 1 module/);
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout, '--check writes nothing').toBe('');

    const migrated = cli([root]);
    expect(migrated.status, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain('migrated  src/lib/user.ts (user)');
    const after = cli([root, '--check']);
    expect(after.status, after.stdout).toBe(0);
    expect(after.stdout).toContain('No module-level state leaks between requests');
  });

  it('exits 0 when every write runs in the browser: handlers, onMount, $effect, bindings, browser guards', () => {
    const root = app({
      'src/lib/ui.ts': "import { writable } from 'svelte/store';\n\nexport const open = writable(false);\nexport const width = writable(0);\nexport const query = writable('');\nexport const seen = writable(0);\n\nexport function toggle() {\n\topen.update((value) => !value);\n}\n",
      'src/routes/+layout.svelte': [
        '<script lang="ts">',
        "\timport { onMount } from 'svelte';",
        "\timport { browser } from '$app/environment';",
        "\timport { open, toggle, width, query, seen } from '$lib/ui';",
        '',
        '\tlet { children } = $props();',
        '',
        '\tonMount(() => width.set(window.innerWidth));',
        '\t$effect(() => {',
        '\t\tif ($open) seen.update((n) => n + 1);',
        '\t});',
        "\tif (browser) query.set(location.search);",
        '</script>',
        '',
        '<button onclick={toggle}>menu</button>',
        '<button on:click={() => ($open = false)}>close</button>',
        '<input bind:value={$query} />',
        '{@render children()}',
        '',
      ].join('\n'),
    });
    const result = cli([root, '--check']);
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain('No module-level state leaks between requests (state: 0 leaking, 4 latent, 0 constant).');
  });

  it('exits 0 on an app with SSR off, whose migration changes nothing and says why first', () => {
    const root = app({
      'src/routes/+layout.ts': 'export const ssr = false;\n',
      'src/lib/session.ts': "import { writable } from 'svelte/store';\n\nexport const session = writable('');\n",
      'src/routes/+layout.svelte': "<script lang=\"ts\">\n\timport { session } from '$lib/session';\n\n\tlet { data, children } = $props();\n\n\tsession.set(data.token);\n</script>\n\n{@render children()}\n",
    });
    const checked = cli([root, '--check']);
    expect(checked.status, checked.stdout).toBe(0);
    expect(checked.stdout).toContain('src/routes/+layout.ts:1:1: note: SSR is off for the whole app');

    const migrated = cli([root]);
    expect(migrated.status, migrated.stderr).toBe(0);
    expect(migrated.stderr.split('\n')[0]).toMatch(/^SSR is off for the whole app \(src\/routes\/\+layout\.ts:1:1: ssr = false\).*--all migrates it anyway\.$/);
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout).toBe('');

    const all = cli([root, '--all', '--dry']);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stderr).toContain('migrated  src/lib/session.ts (session)');
  });

  it('prints SARIF 2.1.0 with one rule per class and the leaking writes as error results', () => {
    const root = leakingApp();
    const result = cli([root, '--check', '--format', 'sarif']);
    expect(result.status).toBe(1);
    const log = JSON.parse(result.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'fatal' }] }] }), 'the schema check can fail').toBe(false);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('svelte-store-context');
    expect(run.tool.driver.rules.map((rule: { id: string; defaultConfiguration: { level: string } }) => [rule.id, rule.defaultConfiguration.level])).toEqual([
      ['state-leaks', 'error'],
      ['state-latent', 'note'],
      ['state-constant', 'none'],
    ]);
    const errors = run.results.filter((entry: { level: string }) => entry.level === 'error');
    expect(errors.map((entry: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }) => [entry.ruleId, entry.locations[0]!.physicalLocation.artifactLocation.uri, entry.locations[0]!.physicalLocation.region])).toEqual([
      ['state-leaks', 'src/lib/api.ts', { startLine: 4, startColumn: 2 }],
      ['state-leaks', 'src/routes/+layout.svelte', { startLine: 6, startColumn: 2 }],
    ]);
    for (const entry of run.results) expect(run.tool.driver.rules[entry.ruleIndex].id).toBe(entry.ruleId);
  });

  it('prints workflow annotations under GitHub Actions', () => {
    const root = leakingApp();
    const result = cli([root, '--check'], { GITHUB_ACTIONS: 'true' });
    expect(result.status).toBe(1);
    const annotations = result.stdout.trim().split('\n');
    expect(annotations).toHaveLength(2);
    expect(annotations[1]).toMatch(/^::error file=src\/routes\/\+layout\.svelte,line=6,col=2,title=Module state leaks between requests::`user` \(src\/lib\/user\.ts\) is written while a request is handled on the server/);
    expect(annotations[0]).toMatch(/^::error file=src\/lib\/api\.ts,line=4,col=2,title=[^:]+::.*; reached from src\/routes\/\+page\.svelte:4:2\./);
    expect(result.stderr).toContain('1 piece of module-level state leak between requests');
  });

  it('gives the state report as JSON, and refuses flags that do not go with it', () => {
    const root = leakingApp();
    const json = cli([root, '--check', '--json']);
    expect(json.status).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(document).toMatchObject({ schemaVersion: 1, check: true, exitCode: 1 });
    expect(document.apps[0].state).toEqual([
      {
        module: 'src/lib/user.ts',
        name: 'user',
        line: 3,
        column: 1,
        class: 'leaks',
        writes: [
          { file: 'src/lib/api.ts', line: 4, column: 2, runs: 'server', via: { file: 'src/routes/+page.svelte', line: 4, column: 2 } },
          { file: 'src/routes/+layout.svelte', line: 6, column: 2, runs: 'server' },
        ],
      },
    ]);
    for (const args of [['--format', 'sarif'], ['--check', '--print'], ['--all', '--only-leaks']]) {
      const refused = cli([root, ...args]);
      expect(refused.status, args.join(' ')).toBe(2);
      expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^svelte-store-context: /), 'Run svelte-store-context --help for the options.']);
    }
  });

  it('reads the SARIF location of a leak in a second app of a monorepo relative to the folder given', () => {
    const root = mkdtempSync(join(tmpdir(), 'ssc-check-mono-'));
    temps.push(root);
    const manifest = JSON.stringify({ private: true, type: 'module', devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } });
    writeTree(root, {
      'package.json': JSON.stringify({ private: true, workspaces: ['apps/*'] }),
      'apps/web/package.json': manifest,
      'apps/web/svelte.config.js': 'export default { kit: {} };\n',
      'apps/web/src/lib/count.ts': "import { writable } from 'svelte/store';\n\nexport const count = writable(0);\n",
      'apps/web/src/routes/+page.svelte': "<script>\n\timport { count } from '$lib/count';\n\n\tcount.update((n) => n + 1);\n</script>\n",
    });
    commitAll(root);
    const result = cli([root, '--check', '--format', 'sarif']);
    expect(result.status).toBe(1);
    const [leak] = JSON.parse(result.stdout).runs[0].results.filter((entry: { level: string }) => entry.level === 'error');
    expect(leak.locations[0].physicalLocation.artifactLocation.uri).toBe('apps/web/src/routes/+page.svelte');
    expect(readFileSync(join(root, 'apps/web/src/lib/count.ts'), 'utf8')).toContain('export const count = writable(0);');
  });
});

describe('a component whose markup Svelte cannot parse', () => {
  it('fails the check when the markup may write state, naming the place: its writes are unknown', () => {
    const root = app({
      'src/lib/count.ts': "import { writable } from 'svelte/store';\n\nexport const count = writable(0);\n",
      'src/routes/+layout.svelte': "<script lang=\"ts\">\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n",
      'src/routes/+page.svelte': "<script lang=\"ts\">\n\timport { count } from '$lib/count';\n</script>\n\n<button onclick={() => $count++}>{$count</button>\n",
    });
    const result = cli([root, '--check']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/src\/routes\/\+page\.svelte:5:43: error: cannot parse/);
  });
});
