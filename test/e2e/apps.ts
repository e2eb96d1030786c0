/**
 * Driving a real SvelteKit app: copy it, build it, serve it with adapter-node on a free loopback
 * port, send it traffic as different users, type-check it, open it in Chromium.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';

/**
 * The Node.js binary that `npm run e2e:setup` installs from the npm registry (package
 * `node-<platform>-<arch>`, major 24) into test/e2e/.node, for apps whose toolchain needs a newer
 * Node than the one running the tests (SvelteKit 3 needs Node >= 22.17). Keep in step with setup.mjs.
 */
export const NODE_24 = join(import.meta.dirname, '.node', 'node_modules', `node-${process.platform}-${process.arch}`, 'bin', 'node');

export interface AppUser {
  /** Value of the `user` cookie; undefined for an anonymous visitor. */
  cookie?: string;
  /** Text that only this user's pages may contain. */
  markers: string[];
}

/**
 * Copies an installed fixture app to a temp dir, sharing its node_modules through a symlink; or,
 * for an app that extends `$app/tsconfig` (SvelteKit 3, whose `svelte-kit sync` writes
 * node_modules/$app/tsconfig.json with paths relative to the app), with a copy of its own
 * (symlinks kept as they are, so node_modules/.bin points into the copy; about a second).
 */
export function copyApp(appDir: string): string {
  const target = mkdtempSync(join(tmpdir(), `${basename(appDir)}-`));
  const skipped = new Set(['node_modules', '.svelte-kit', 'build']);
  cpSync(appDir, target, { recursive: true, filter: (source) => !skipped.has(basename(source)) });
  if (writesIntoNodeModules(appDir)) {
    const generated = join(appDir, 'node_modules', '$app');
    cpSync(join(appDir, 'node_modules'), join(target, 'node_modules'), { recursive: true, verbatimSymlinks: true, filter: (source) => source !== generated });
  } else {
    symlinkSync(join(appDir, 'node_modules'), join(target, 'node_modules'), 'dir');
  }
  return target;
}

/** Whether the app's tsconfig (or jsconfig) extends the config SvelteKit 3 generates into node_modules/$app. */
function writesIntoNodeModules(appDir: string): boolean {
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const file = join(appDir, name);
    if (existsSync(file)) return /"extends"\s*:\s*(\[[^\]]*)?"\$app\//.test(readFileSync(file, 'utf8'));
  }
  return false;
}

export function isInstalled(appDir: string): boolean {
  return existsSync(join(appDir, 'node_modules', '.bin', 'vite'));
}

/**
 * The environment for an app's tools: with `node`, that binary's folder first on PATH, so that
 * `#!/usr/bin/env node` scripts and `node` child processes run on it too.
 */
function appEnv(node?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  if (node) env.PATH = [dirname(node), env.PATH].filter(Boolean).join(delimiter);
  return env;
}

/** Runs one of the app's node_modules/.bin tools, on `node` when given (else as its shebang says). */
function run(dir: string, command: string, args: string[], node?: string): { status: number | null; output: string } {
  const bin = join(dir, 'node_modules', '.bin', command);
  const [file, argv] = node ? [node, [bin, ...args]] : [bin, args];
  const result = spawnSync(file, argv, { cwd: dir, encoding: 'utf8', env: appEnv(node) });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? `\n${result.error.message}` : ''}` };
}

/** `vite build`, on `node` when given. */
export function build(dir: string, node?: string): void {
  const result = run(dir, 'vite', ['build'], node);
  if (result.status !== 0) throw new Error(`vite build failed in ${dir}:\n${result.output}`);
}

export interface CheckCounts {
  errors: number;
  warnings: number;
  output: string;
}

/** `svelte-kit sync`, then `svelte-check`, on `node` when given. */
export function svelteCheck(dir: string, tsconfig: string, node?: string): CheckCounts {
  const sync = run(dir, 'svelte-kit', ['sync'], node);
  if (sync.status !== 0) throw new Error(`svelte-kit sync failed:\n${sync.output}`);
  const { output } = run(dir, 'svelte-check', ['--tsconfig', tsconfig, '--output', 'machine'], node);
  const completed = /COMPLETED \d+ FILES (\d+) ERRORS (\d+) WARNINGS/.exec(output);
  if (!completed) throw new Error(`svelte-check printed no summary:\n${output}`);
  return { errors: Number(completed[1]), warnings: Number(completed[2]), output };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const running = new Set<ChildProcess>();

/** Stops every server still running; call it from `afterAll` so a failed test leaves none behind. */
export function stopAllServers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Starts the adapter-node build on a free loopback port (on `node`, else this process's Node) and waits until it answers. */
export async function serve(dir: string, node?: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(node ?? process.execPath, ['build/index.js'], {
    cwd: dir,
    env: { ...(node ? appEnv(node) : process.env), HOST: '127.0.0.1', PORT: String(port), ORIGIN: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      running.delete(child);
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return { url, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error(`server did not answer within 20 s:\n${log}`);
}

export interface TrafficResult {
  requests: number;
  non200: number;
  /** Responses showing another request's state (another user's data, or `carriedOver`), as `user path: text` lines. */
  leaks: string[];
  /** Responses for a signed-in user on a page that should show their data but did not. */
  missingOwnData: string[];
}

export interface Visit {
  user: AppUser;
  path: string;
  /** Whether this page, for this user, must show the user's own data. */
  showsOwnData: boolean;
}

/**
 * Sends `visits` in order, then `bursts` rounds of all of them concurrently, and checks every
 * page for the markers of every other user, and for `carriedOver` (state left by another request).
 */
export async function sendTraffic(url: string, visits: Visit[], users: AppUser[], bursts: number, carriedOver?: RegExp): Promise<TrafficResult> {
  const result: TrafficResult = { requests: 0, non200: 0, leaks: [], missingOwnData: [] };
  const visit = async ({ user, path, showsOwnData }: Visit) => {
    const response = await fetch(url + path, { headers: user.cookie ? { cookie: `user=${user.cookie}` } : {}, signal: AbortSignal.timeout(10_000) });
    const html = await response.text();
    result.requests++;
    if (response.status !== 200) result.non200++;
    const who = `${user.cookie ?? 'anonymous'} ${path}`;
    for (const other of users) {
      if (other === user) continue;
      for (const marker of other.markers) if (html.includes(marker)) result.leaks.push(`${who}: ${marker}`);
    }
    const carried = carriedOver?.exec(html);
    if (carried) result.leaks.push(`${who}: ${carried[0]}`);
    if (showsOwnData && !user.markers.every((marker) => html.includes(marker))) result.missingOwnData.push(who);
  };
  for (const planned of visits) await visit(planned);
  for (let round = 0; round < bursts; round++) await Promise.all(visits.map(visit));
  return result;
}
