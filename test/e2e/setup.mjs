// Installs what the end-to-end tests need, so that `npm test` works on a fresh machine: each
// fixture app's dependencies (from its own lockfile) and Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');

function run(command, args, cwd) {
  console.log(`e2e setup: ${command} ${args.join(' ')}${cwd ? ` (in ${cwd})` : ''}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`e2e setup: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

for (const name of readdirSync(fixtures).filter((entry) => entry.startsWith('e2e-'))) {
  const app = join(fixtures, name);
  const installed = join(app, 'node_modules', '.package-lock.json');
  const fresh = existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(app, 'package-lock.json')).mtimeMs;
  // `npm install` follows the app's lockfile. Not `npm ci`: it refuses the lockfiles npm 11 writes
  // here, which leave out rollup's optional packages for other platforms.
  if (!fresh) run('npm', ['install', '--no-audit', '--no-fund'], app);
}

if (!existsSync('/usr/bin/chromium')) {
  if (process.getuid?.() !== 0) {
    console.error('e2e setup: /usr/bin/chromium is missing; install Debian\'s chromium package (apt-get install chromium)');
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
}
