#!/usr/bin/env node
/**
 * `npm run bench`: how fast a full migration of a big monorepo is, next to what it cannot avoid.
 *
 *   node test/bench/run.mjs [--apps 3] [--components 1500] [--modules 400] [--store-modules 40] [--runs 3] [--scale]
 *
 * Generates a synthetic SvelteKit monorepo (generate.mjs; sizes per app) into a temp dir, checks
 * that the CLI migrates it without errors, then times each of these in a fresh child process and
 * prints the median of --runs repetitions (wall time, files/s, CPU time, peak RSS, and the median
 * of each run's ratio to the baseline, as the cases alternate within a run):
 *   - baseline: read every source file once and parse it once (Svelte's parser for a component, the TS parser for a script file), in one thread;
 *   - the CLI: a full `--dry --json` run, and the same with `--cpus 2`;
 *   - the CLI's read-only leak check, `--check`, which CI runs on every pull request;
 *   - jscodeshift's own CLI with a transform that parses each file and changes nothing (the least
 *     any transform does) over the .ts/.js files only, since it cannot read .svelte.
 * `--scale` does it all again at twice the size per app and prints the time ratios.
 *
 * A benchmark, not a test: the targets are printed as met or missed, never asserted. The targets
 * are about wall time; CPU time is printed too because it moves much less than wall time when
 * something else runs on the machine. It measures the compiled dist/, so build first (`npm run
 * bench` does).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateMonorepo, scaleSizes, sizesFromFlags } from './generate.mjs';

const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'dist', 'bin', 'cli.js');
const JSCODESHIFT = join(REPO, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');
const BASELINE = join(import.meta.dirname, 'baseline.mjs');
const REPORT_USAGE = pathToFileURL(join(import.meta.dirname, 'report-usage.mjs')).href;

/** The targets, on a 2-core machine: a dry run no slower than either baseline, `--check` (run on every pull request) far faster. */
const MAX_RATIO_TO_BASELINE = 1.0;
const MAX_RATIO_TO_JSCODESHIFT = 1.0;
const MAX_CHECK_TO_BASELINE = 0.3;
const MAX_RSS_MB = 300;
const MAX_SCALE_RATIO = 2;

const NOOP_TRANSFORM = `// Parses the file, as every transform does, and changes nothing.
module.exports = (file, api) => {
  api.jscodeshift(file.source);
};
`;

const { values: flags } = parseArgs({
  options: {
    apps: { type: 'string' },
    components: { type: 'string' },
    modules: { type: 'string' },
    'store-modules': { type: 'string' },
    runs: { type: 'string', default: '3' },
    scale: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write('usage: node test/bench/run.mjs [--apps N] [--components N] [--modules N] [--store-modules N] [--runs N] [--scale]\n');
  process.exit(0);
}
if (!existsSync(CLI)) {
  process.stderr.write(`bench: ${CLI} is missing; run \`npm run build\` first (\`npm run bench\` does)\n`);
  process.exit(1);
}
const runs = Number(flags.runs);
let sizes;
try {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a whole number of at least 1, not ${flags.runs}`);
  sizes = sizesFromFlags(flags);
} catch (error) {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(2);
}

const tmp = mkdtempSync(join(os.tmpdir(), 'svelte-store-context-bench-'));
const cleanUp = () => rmSync(tmp, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanUp();
  process.exit(130);
});
let childCount = 0;

try {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cpus, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `Node ${process.version}, ${os.platform()} ${os.release()}, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const noopTransform = join(tmp, 'noop-transform.cjs');
  writeFileSync(noopTransform, NOOP_TRANSFORM);

  const single = await benchmark('1x', sizes, noopTransform);
  let double;
  if (flags.scale) double = await benchmark('2x', scaleSizes(sizes, 2), noopTransform);
  printTargets(single, double);
} finally {
  cleanUp();
}

/** Generates a repo of `sizes`, checks the CLI's result on it, and times every case; returns the medians by case. */
async function benchmark(label, sizes, noopTransform) {
  const root = join(tmp, label);
  const started = performance.now();
  const written = generateMonorepo(root, sizes);
  // What `--extensions ts,js` selects under apps/, declaration files included.
  const jscodeshiftFiles = written.filter((path) => path.startsWith('apps/') && /\.(?:ts|js)$/.test(path)).length;
  console.log(
    `\n== ${label}: ${sizes.apps} apps of ${sizes.components} components, ${sizes.modules} modules, ${sizes.storeModules} store modules: ` +
      `${written.length} files, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // Also a warm-up: the files are in the page cache before anything is timed.
  await checkMigration(root);

  const cases = [
    { key: 'baseline', name: 'baseline: one parse per file', args: [BASELINE, root], captureStdout: true },
    { key: 'cli', name: 'cli --dry --json (default --cpus)', args: [CLI, root, '--dry', '--json'] },
    { key: 'cli2', name: 'cli --dry --json --cpus 2', args: [CLI, root, '--dry', '--json', '--cpus', '2'] },
    // Exit 1 means leaks were found, which the generated repo has: not a failure here.
    { key: 'check', name: 'cli --check', args: [CLI, root, '--check'], exitCodes: [0, 1] },
    {
      key: 'jscodeshift',
      name: 'jscodeshift, parse only, .ts/.js',
      files: jscodeshiftFiles,
      args: [JSCODESHIFT, '--transform', noopTransform, '--parser', 'ts', '--extensions', 'ts,js', '--dry', '--silent', join(root, 'apps')],
    },
  ];
  const samples = new Map(cases.map((entry) => [entry, []]));
  for (let run = 0; run < runs; run++) {
    for (const entry of cases) samples.get(entry).push(await measure(entry.args, entry));
  }
  // Baseline and CLI read the same files; the baseline counts them.
  const sourceFiles = JSON.parse(samples.get(cases[0])[0].stdout).files;
  const results = new Map();
  const perRun = (entry, other) => samples.get(entry).map((sample, run) => sample.seconds / samples.get(other)[run].seconds);
  const jscodeshiftCase = cases.find((entry) => entry.key === 'jscodeshift');
  for (const entry of cases) {
    const measured = samples.get(entry);
    results.set(entry.key, {
      toBaseline: median(perRun(entry, cases[0])),
      toJscodeshift: median(perRun(entry, jscodeshiftCase)),
      name: entry.name,
      files: entry.files ?? sourceFiles,
      seconds: median(measured.map((sample) => sample.seconds)),
      range: [Math.min(...measured.map((sample) => sample.seconds)), Math.max(...measured.map((sample) => sample.seconds))],
      cpuSeconds: median(measured.map((sample) => sample.cpuSeconds)),
      rssMB: median(measured.map((sample) => sample.rssMB)),
      processes: Math.max(...measured.map((sample) => sample.processes)),
    });
  }
  rmSync(root, { recursive: true, force: true });
  // The benchmark itself keeps one to two cores busy; a load average well above 2 means something
  // else was running too, and the timings are skewed.
  console.log(`\n${label}, median of ${runs} run${runs === 1 ? '' : 's'} (load average ${os.loadavg()[0].toFixed(2)} at the end):`);
  printTable(results);
  return results;
}

/** Runs the CLI once and prints what it did per app; a repo the CLI cannot parse would make the timings meaningless. */
async function checkMigration(root) {
  const { stdout, seconds } = await measure([CLI, root, '--dry', '--json'], { captureStdout: true });
  const document = JSON.parse(stdout);
  let errors = 0;
  for (const app of document.apps) {
    const count = (status) => app.storeModules.filter((module) => module.status === status).length;
    console.log(
      `   ${app.root}: store modules ${count('migrated')} migrated, ${count('blocked')} blocked, ${count('skipped')} skipped; ` +
        `${app.files.length} files changed, ${app.errors.length} errors`,
    );
    for (const error of app.errors) console.log(`     ${app.root}/${error.file}:${error.line}:${error.column}: ${error.message}`);
    errors += app.errors.length;
  }
  console.log(`   (check run: ${seconds.toFixed(1)} s, exit code ${document.exitCode})`);
  if (errors > 0) throw new Error('the generated repo has files the CLI cannot parse; fix generate.mjs');
}

/**
 * Runs `node <args>` and resolves with its wall time, its CPU time (its own and every process it
 * forked), its peak RSS (the largest of those processes') and its stdout when asked for; rejects
 * when it fails.
 */
function measure(args, { captureStdout = false, exitCodes = [0] } = {}) {
  const usageFile = join(tmp, `usage-${childCount++}.txt`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', REPORT_USAGE, ...args], {
      stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'],
      env: { ...process.env, BENCH_USAGE_FILE: usageFile },
    });
    const stdout = [];
    const stderr = [];
    child.stdout?.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!exitCodes.includes(code)) {
        reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${Buffer.concat(stderr).toString().slice(-2000)}`));
        return;
      }
      const processes = readFileSync(usageFile, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number));
      resolve({
        seconds,
        cpuSeconds: processes.reduce((sum, [, , cpu]) => sum + cpu, 0) / 1e6,
        rssMB: Math.max(...processes.map(([, rss]) => rss)) / 1024,
        processes: processes.length,
        stdout: Buffer.concat(stdout).toString(),
      });
    });
  });
}

function printTable(results) {
  const rows = [['case', 'files', 'wall s', 'min-max s', 'files/s', 'CPU s', 'peak RSS MB', 'x baseline', 'x jscodeshift']];
  for (const result of results.values()) {
    rows.push([
      result.processes > 1 ? `${result.name} (${result.processes} processes)` : result.name,
      String(result.files),
      result.seconds.toFixed(2),
      result.range.map((seconds) => seconds.toFixed(1)).join('-'),
      String(Math.round(result.files / result.seconds)),
      result.cpuSeconds.toFixed(2),
      result.rssMB.toFixed(0),
      result.toBaseline.toFixed(2),
      result.toJscodeshift.toFixed(2),
    ]);
  }
  printRows(rows);
}

function printTargets(single, double) {
  const cli = single.get('cli');
  const parallel = single.get('cli2');
  const check = single.get('check');
  const verdict = (met) => (met ? 'met   ' : 'MISSED');
  console.log('\ntargets (1x; ratios are medians of the runs\' ratios):');
  console.log(`  ${verdict(cli.toBaseline <= MAX_RATIO_TO_BASELINE)} dry run at most ${MAX_RATIO_TO_BASELINE}x the one-parse baseline: ${cli.toBaseline.toFixed(2)}x (--cpus 2: ${parallel.toBaseline.toFixed(2)}x)`);
  console.log(`  ${verdict(cli.toJscodeshift <= MAX_RATIO_TO_JSCODESHIFT)} dry run at most ${MAX_RATIO_TO_JSCODESHIFT}x jscodeshift's no-op run: ${cli.toJscodeshift.toFixed(2)}x`);
  console.log(`  ${verdict(check.toBaseline <= MAX_CHECK_TO_BASELINE)} --check at most ${MAX_CHECK_TO_BASELINE}x the baseline: ${check.toBaseline.toFixed(2)}x (${(check.seconds / cli.seconds).toFixed(2)}x the dry run)`);
  const rss = Math.max(cli.rssMB, check.rssMB);
  console.log(`  ${verdict(rss <= MAX_RSS_MB)} peak RSS at most ${MAX_RSS_MB} MB: dry run ${cli.rssMB.toFixed(0)} MB, --check ${check.rssMB.toFixed(0)} MB (--cpus 2: ${parallel.rssMB.toFixed(0)} MB)`);
  if (!double) return;
  console.log('\nscaling, 2x / 1x wall time:');
  const rows = [['case', '1x s', '2x s', '2x / 1x', '2x / 1x CPU']];
  for (const [key, result] of single) {
    const doubled = double.get(key);
    const ratio = (field) => (doubled[field] / result[field]).toFixed(2);
    rows.push([result.name, result.seconds.toFixed(2), doubled.seconds.toFixed(2), ratio('seconds'), ratio('cpuSeconds')]);
  }
  printRows(rows);
  const scaling = double.get('cli').seconds / cli.seconds;
  console.log(`  ${verdict(scaling <= MAX_SCALE_RATIO)} doubling the repo at most doubles the cli's time: ${scaling.toFixed(2)}x`);
}

/** Left-aligned first column, right-aligned numbers. */
function printRows(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`);
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
