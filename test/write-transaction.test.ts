/**
 * Writes are all or nothing. The real bin on a generated app of about two thousand files is
 * interrupted at several moments of its write run: by SIGINT, SIGTERM or SIGHUP the app is left
 * entirely old or entirely new, by SIGKILL the next run puts it back first; never a temp file left,
 * and a rerun always converges to the full migration. Targets that cannot be written (a read-only
 * folder for a user who is not root, a read-only file, a file changed since it was read) stop the
 * run before anything is written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JOURNAL, writeTransaction, WriteError } from '../bin/write-transaction.js';
import { migrate } from '../transforms/index.js';
import { BIN } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** 40 store modules, each read by 50 components: 2,045 files, about 2,040 of them changed by a migration. */
function generatedApp(): Map<string, string> {
  const files = new Map<string, string>([
    ['package.json', JSON.stringify({ devDependencies: { svelte: '^5.0.0', '@sveltejs/kit': '^2.0.0' } })],
    ['tsconfig.json', '{}'],
    ['svelte.config.js', 'export default { kit: {} };\n'],
    ['src/routes/+layout.svelte', '<script lang="ts">\n\tlet { children } = $props();\n</script>\n\n{@render children()}\n'],
  ]);
  for (let store = 0; store < 40; store++) {
    files.set(`src/lib/stores/store${store}.ts`, `import { writable } from 'svelte/store';\n\nexport const value${store} = writable(${store});\n`);
    for (let view = 0; view < 50; view++) {
      files.set(`src/lib/views/s${store}/View${view}.svelte`, `<script lang="ts">\n\timport { value${store} } from '$lib/stores/store${store}';\n</script>\n\n<p>{$value${store}} ${view}</p>\n`);
    }
  }
  return files;
}

const original = generatedApp();
const migrated = new Map([...original, ...migrate(original).files]);

function writeApp(files: Map<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ssc-transaction-'));
  temps.push(dir);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function tree(root: string, dir = root, found = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tree(root, path, found);
    else found.set(relative(root, path), readFileSync(path, 'utf8'));
  }
  return found;
}

/** `old`, `new`, or a description of the mixture (and of leftovers). */
function stateOf(dir: string): string {
  const files = tree(dir);
  const leftovers = [...files.keys()].filter((path) => path.includes('svelte-store-context'));
  if (leftovers.length > 0) return `leftovers: ${leftovers.slice(0, 3).join(', ')}`;
  const equals = (expected: Map<string, string>) => files.size === expected.size && [...expected].every(([path, text]) => files.get(path) === text);
  if (equals(original)) return 'old';
  if (equals(migrated)) return 'new';
  const differing = [...migrated].filter(([path, text]) => files.get(path) !== text && files.get(path) !== original.get(path));
  return `mixed (${[...migrated].filter(([path, text]) => files.get(path) === text && text !== original.get(path)).length} new, ${differing.length} neither)`;
}

type Moment = 'reading' | 'staging' | 'committing';

/** Runs the bin on `dir` and sends `signal` at `moment`; resolves with the exit code (or signal). */
async function interrupted(dir: string, signal: NodeJS.Signals, moment: Moment): Promise<string> {
  const child = spawn(process.execPath, [BIN, dir], { stdio: 'ignore' });
  const firstTemp = () => existsSync(join(dir, 'src/routes', `.+layout.svelte.${child.pid}.svelte-store-context.tmp`)) || readdirSync(join(dir, 'src/lib/stores')).some((name) => name.endsWith('.tmp'));
  // The commit starts by keeping each old file under a backup name.
  const committing = () => existsSync(join(dir, 'src/lib/stores', `.store0.ts.${child.pid}.svelte-store-context.bak`));
  const reached = { reading: () => true, staging: firstTemp, committing }[moment];
  const exited = new Promise<string>((resolve) => child.once('exit', (code, killedBy) => resolve(killedBy ?? String(code))));
  let sent = false;
  const poll = setInterval(() => {
    if (!sent && reached()) {
      sent = true;
      child.kill(signal);
    }
  }, moment === 'reading' ? 150 : 0);
  const result = await exited;
  clearInterval(poll);
  return sent ? result : `finished before ${moment} was seen (${result})`;
}

describe('an interrupted write run', () => {
  const cases: Array<[NodeJS.Signals, Moment, string[]]> = [
    ['SIGINT', 'reading', ['old']],
    ['SIGTERM', 'staging', ['old']],
    ['SIGHUP', 'staging', ['old']],
    ['SIGINT', 'staging', ['old']],
    // The renames are made in one synchronous stretch: a signal is handled once they are done.
    ['SIGINT', 'committing', ['new']],
    ['SIGTERM', 'committing', ['new']],
  ];
  it.each(cases)('%s while %s leaves the app entirely old or new, no temp file, and a rerun converges', async (signal, moment, allowed) => {
    const dir = writeApp(original);
    const outcome = await interrupted(dir, signal, moment);
    // While reading, the signal's own default ends the process; while staging, the run removes its
    // temp files and exits with the signal's code; during the commit the files are all written
    // first, and a signal that lands as the run ends may find nothing left to interrupt.
    const exitCode = String({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal as string]);
    const expected = { reading: [exitCode, signal], staging: [exitCode], committing: [exitCode, '0'] }[moment];
    expect(expected, `${signal} while ${moment}`).toContain(outcome);
    expect(allowed).toContain(stateOf(dir));
    const rerun = spawnSync(process.execPath, [BIN, dir], { encoding: 'utf8' });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(stateOf(dir)).toBe('new');
  }, 60_000);

  it.each(['staging', 'committing'] as Moment[])('killed outright (SIGKILL) while %s: the next run puts the files back first, then converges', async (moment) => {
    const dir = writeApp(original);
    const outcome = await interrupted(dir, 'SIGKILL', moment);
    expect(outcome).toBe('SIGKILL');
    const rerun = spawnSync(process.execPath, [BIN, dir], { encoding: 'utf8' });
    expect(rerun.status, rerun.stderr).toBe(0);
    if (moment === 'committing') expect(rerun.stderr).toMatch(/an earlier run was interrupted while writing|cleaned up after an earlier run/);
    expect(stateOf(dir)).toBe('new');
    expect(existsSync(join(dir, JOURNAL))).toBe(false);
  }, 60_000);

  it('a dry run after a killed one refuses until a write run has put the files back', async () => {
    const dir = writeApp(original);
    await interrupted(dir, 'SIGKILL', 'committing');
    const dry = spawnSync(process.execPath, [BIN, dir, '--dry'], { encoding: 'utf8' });
    expect(dry.status).toBe(2);
    expect(dry.stderr).toContain('run without --dry once to put its files back');
  }, 60_000);
});

describe('targets that cannot be written', () => {
  const small = new Map([...original].filter(([path]) => !path.includes('/views/') || /\/View[0-2]\.svelte$/.test(path)));

  it('a read-only folder, for a user who is not root: nothing at all is written', () => {
    const dir = writeApp(small);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'src/lib/stores'), 0o555);
    const before = tree(dir);
    // As `nobody`, who can read the app and the tool but not write into src/lib/stores.
    const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, BIN, dir], { encoding: 'utf8' });
    chmodSync(join(dir, 'src/lib/stores'), 0o755);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('nothing was written');
    expect(result.stderr).toMatch(/src\/lib\/stores\/store0\.ts: its folder src\/lib\/stores is not writable by this user/);
    expect(tree(dir)).toEqual(before);
  });

  it('a read-only file is refused, not replaced, even for root', () => {
    const dir = writeApp(small);
    chmodSync(join(dir, 'src/lib/stores/store1.ts'), 0o444);
    const before = tree(dir);
    const result = spawnSync(process.execPath, [BIN, dir], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('src/lib/stores/store1.ts: is read-only (mode 444)');
    expect(tree(dir)).toEqual(before);
  });

  it('a file changed since the run read it is refused, with the rest', async () => {
    const dir = writeApp(new Map([['a.ts', 'old a\n'], ['b.ts', 'old b\n']]));
    writeFileSync(join(dir, 'b.ts'), 'edited b\n');
    const attempt = writeTransaction(dir, [
      { path: 'a.ts', before: 'old a\n', after: 'new a\n' },
      { path: 'b.ts', before: 'old b\n', after: 'new b\n' },
      { path: 'c.ts', before: undefined, after: 'new c\n' },
    ]);
    await expect(attempt).rejects.toThrow(WriteError);
    await expect(attempt).rejects.toThrow(/b\.ts: changed on disk since the run read it/);
    expect(tree(dir)).toEqual(new Map([['a.ts', 'old a\n'], ['b.ts', 'edited b\n']]));
  });

  it('writes every file and reports how many, leaving no temp or backup file', async () => {
    const dir = writeApp(new Map([['a.ts', 'old a\n']]));
    const count = await writeTransaction(dir, [
      { path: 'a.ts', before: 'old a\n', after: 'new a\n' },
      { path: 'new/deep/c.ts', before: undefined, after: 'new c\n' },
    ]);
    expect(count).toBe(2);
    expect(tree(dir)).toEqual(new Map([['a.ts', 'new a\n'], ['new/deep/c.ts', 'new c\n']]));
  });
});
