// Installs what the end-to-end tests need, so that `npm test` works on a fresh machine: each
// fixture app's dependencies (from its own lockfile), a Node.js 24 binary from the npm registry
// for the apps that need a newer Node than this one, and Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');

// Node.js 24 (SvelteKit 3 needs >= 22.17) and an npm to run on it, as npm packages in
// test/e2e/.node (gitignored). test/e2e/apps.ts reads the binary from the same place (NODE_24).
const nodeDir = join(import.meta.dirname, '.node');
const nodePackage = `node-${process.platform}-${process.arch}`;
const node24 = join(nodeDir, 'node_modules', nodePackage, 'bin', 'node');
const npm24 = join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js');

function run(command, args, cwd, env) {
  console.log(`e2e setup: ${command} ${args.join(' ')}${cwd ? ` (in ${cwd})` : ''}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: env ?? process.env });
  if (result.status !== 0) {
    console.error(`e2e setup: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

/** `[major, minor]` of a version such as `v24.22.3` or `22.17`. */
const majorMinor = (version) => version.replace(/^v/, '').split('.').slice(0, 2).map(Number);
const atLeast = ([major, minor], [wantMajor, wantMinor]) => major > wantMajor || (major === wantMajor && minor >= wantMinor);

/**
 * Whether this Node is too old for the app: its package.json `engines.node` is `>=X.Y` and this
 * Node is older. (The e2e apps declare only that form; an app without engines runs on this Node.)
 */
function needsNewerNode(app) {
  const engines = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')).engines?.node;
  const minimum = engines && /^>=\s*(\d+(?:\.\d+)?)/.exec(engines.trim());
  return minimum ? !atLeast(majorMinor(process.version), majorMinor(minimum[1])) : false;
}

function nodeVersion(binary) {
  if (!existsSync(binary)) return undefined;
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensureNode24() {
  const version = nodeVersion(node24);
  if (version && atLeast(majorMinor(version), [22, 17]) && existsSync(npm24)) return;
  run('npm', ['install', '--prefix', nodeDir, '--no-audit', '--no-fund', '--no-package-lock', `${nodePackage}@24`, 'npm@11']);
  const installed = nodeVersion(node24);
  if (!installed) {
    console.error(`e2e setup: ${node24} does not run after installing ${nodePackage}@24`);
    process.exit(1);
  }
  console.log(`e2e setup: Node ${installed} at ${node24}`);
}

// The e2e test runs the SvelteKit 3 app's toolchain and server on this binary whatever Node runs
// the tests, so it is installed in any case.
ensureNode24();

for (const name of readdirSync(fixtures).filter((entry) => entry.startsWith('e2e-'))) {
  const app = join(fixtures, name);
  const installed = join(app, 'node_modules', '.package-lock.json');
  const fresh = existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(app, 'package-lock.json')).mtimeMs;
  if (fresh) continue;
  // `npm install` follows the app's lockfile. Not `npm ci`: it refuses the lockfiles npm 11 writes
  // here, which leave out rollup's optional packages for other platforms.
  const args = ['install', '--no-audit', '--no-fund'];
  const lockfile = join(app, 'package-lock.json');
  const committed = readFileSync(lockfile);
  if (needsNewerNode(app)) {
    // On Node 24 with its own npm, and with Node 24 first on PATH for any install script.
    run(node24, [npm24, ...args], app, { ...process.env, PATH: [dirname(node24), process.env.PATH].filter(Boolean).join(delimiter) });
  } else {
    run('npm', args, app);
  }
  // npm adds other platforms' optional packages to the lockfile it followed; the committed one
  // stays as it was, so that a test run leaves the tree clean (and the install counts as fresh).
  if (!readFileSync(lockfile).equals(committed)) {
    writeFileSync(lockfile, committed);
    const now = new Date();
    utimesSync(installed, now, now);
  }
}

if (!existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() !== 0) {
    console.error('e2e setup: /usr/bin/chromium is missing; install Debian\'s chromium package (apt-get install chromium)');
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
}
