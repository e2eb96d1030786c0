/**
 * The README's commands and examples, run as a reader would: in a copy of this repository beside
 * a committed copy of an example app, the "Try it" command, the "Run it on your own app" commands
 * (npm pack, install the tarball in the app, dry run, write), the `npm link` alternative, and the
 * "From a script" example. The app ends up as the fixture's expected output each time. The cases
 * run in order, each on what the one before left, as a reader's steps would.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, FIXTURES, readTree } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const EXAMPLE = join(FIXTURES, 'svelte5-ts-cart');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The code blocks of the README section under `heading`, in order, with their language. */
function codeBlocks(heading: string): Array<{ language: string; code: string }> {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start, `README has no section "${heading}"`).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ language: match[1]!, code: match[2]! }));
}

function bash(script: string, cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const gitStatus = (dir: string) => spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' }).stdout;

/** The sandbox: `svelte-store-context/` (this repository's files, as a clone has them) beside `my-app/`. */
let sandbox: string;
let clone: string;
let app: string;

/** A fresh committed copy of the example app at `dir`. */
function placeApp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(EXAMPLE, 'input'), dir, { recursive: true });
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  commitAll(dir);
}

/** The app's files are the fixture's expected output. */
async function expectMigrated(dir: string): Promise<void> {
  const after = await readTree(dir);
  for (const [path, text] of await readTree(join(EXAMPLE, 'output'))) expect(after.get(path), path).toBe(text);
}

beforeAll(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'ssc-readme-'));
  clone = join(sandbox, 'svelte-store-context');
  app = join(sandbox, 'my-app');
  mkdirSync(clone);
  // What a clone holds: the tracked files (and new ones not ignored), as they are in this tree.
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const path of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(join(clone, path, '..'), { recursive: true });
    cpSync(join(ROOT, path), join(clone, path));
  }
  placeApp(app);
});
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

describe('the README, followed literally', { timeout: 600_000 }, () => {
  it('"Try it": installs the tool and prints the dry diff of the bundled example', () => {
    const [commands] = codeBlocks('Try it');
    const first = commands!.code.split('\n')[0]!;
    expect(first).toBe('npm ci && npx svelte-store-context fixtures/svelte5-ts-cart/input --dry');
    const result = bash(first, clone);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('diff --git a/src/lib/stores/cart.ts b/src/lib/stores/cart.ts');
    expect(result.stderr).toContain('run again without --dry');
  });

  it('"Run it on your own app": pack, install the tarball in the app, dry run, write', async () => {
    const [commands] = codeBlocks('Run it on your own app');
    expect(commands!.language).toBe('sh');
    // The tarball named is the one `npm pack` makes of this version.
    expect(commands!.code).toContain(`svelte-store-context-${version}.tgz`);
    const result = bash(commands!.code, clone);
    expect(result.status, result.stderr).toBe(0);
    // The dry run printed the diff, then the write wrote it.
    expect(result.stdout).toContain('diff --git a/src/routes/+layout.svelte b/src/routes/+layout.svelte');
    expect(result.stderr).toMatch(/Wrote \d+ files\./);
    await expectMigrated(app);
    // Installing the tool left the app's manifest alone.
    expect(readFileSync(join(app, 'package.json'), 'utf8')).toBe(readFileSync(join(EXAMPLE, 'input', 'package.json'), 'utf8'));
  });

  it('"From a script": the migrateDirectory example migrates the app the same way', async () => {
    const [example] = codeBlocks('From a script');
    expect(example!.language).toBe('js');
    // The app of the previous case, put back as committed; the tool stays installed in node_modules.
    expect(bash('git checkout -q . && git clean -fdq -e node_modules', app).status).toBe(0);
    writeFileSync(join(app, 'migrate.mjs'), example!.code);
    const result = bash('node migrate.mjs', app);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('migrated  src/lib/stores/cart.ts');
    await expectMigrated(app);
  });

  it('the npm link alternative: the linked tool runs in the app, and the app\'s package.json is left alone', () => {
    const linked = join(sandbox, 'linked-app');
    placeApp(linked);
    // A prefix of its own, so that the link does not go into this machine's global folder.
    const env = { npm_config_prefix: join(sandbox, 'npm-prefix') };
    expect(README.replace(/\s+/g, ' ')).toContain('`npm link` in the clone and `npm link svelte-store-context` in the app');
    expect(bash('npm link --no-audit --no-fund', clone, env).status).toBe(0);
    const result = bash('npm link svelte-store-context --no-audit --no-fund && npx svelte-store-context --dry', linked, env);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('diff --git a/src/lib/stores/cart.ts b/src/lib/stores/cart.ts');
    expect(gitStatus(linked)).toBe('');
  });
});
