#!/usr/bin/env node
/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where the time went, by function and by file.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bin/cli.js <repo> --dry --json > /dev/null
 *   node test/bench/profile-summary.mjs /tmp/prof [--top 25]
 *
 * Takes .cpuprofile files or folders of them (one per thread with --cpus) and adds them up. Prints
 * self time by function, self time by file (a package under node_modules counts as one file), and
 * the total time (self and callees) of this project's own functions, which tells the phases apart,
 * with the part of it spent outside `parseFile`: what the migration costs beyond parsing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = join(import.meta.dirname, '..', '..');

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (positionals.length === 0) {
  process.stderr.write('usage: node test/bench/profile-summary.mjs <file.cpuprofile | folder>... [--top N]\n');
  process.exit(2);
}
const top = Number(values.top);
const files = positionals.flatMap((path) =>
  statSync(path).isDirectory() ? readdirSync(path).filter((name) => name.endsWith('.cpuprofile')).map((name) => join(path, name)) : [path],
);

const selfByFunction = new Map();
const selfByFile = new Map();
const totalByFunction = new Map();
const unparsedByFunction = new Map();
let totalMs = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // Each sample stands for the time until the next one.
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const node = nodes.get(profile.samples[i]);
    totalMs += ms;
    add(selfByFunction, functionKey(node.callFrame), ms);
    add(selfByFile, fileKey(node.callFrame), ms);
    // A function counts once per sample however deep it recurses.
    const onStack = new Set();
    let parsing = false;
    for (let id = node.id; id !== undefined; id = parents.get(id)) {
      const frame = nodes.get(id).callFrame;
      if (!isOwnCode(frame.url)) continue;
      onStack.add(functionKey(frame));
      if (frame.functionName === 'parseFile') parsing = true;
    }
    for (const key of onStack) {
      add(totalByFunction, key, ms);
      if (!parsing) add(unparsedByFunction, key, ms);
    }
  }
}

console.log(`${files.length} profile${files.length === 1 ? '' : 's'}, ${(totalMs / 1000).toFixed(2)} s sampled`);
print(`self time by function (top ${top})`, selfByFunction, top);
print('self time by file', selfByFile, top);
print(`total time of this project's functions (top ${top}); in brackets, the part outside parseFile`, totalByFunction, top, unparsedByFunction);

function add(map, key, ms) {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function functionKey({ functionName, url, lineNumber }) {
  const where = url ? `${fileKey({ url })}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where ? `  ${where}` : ''}`;
}

/** A project file relative to the repo; a dependency as its package; V8's own entries as they are. */
function fileKey({ url, functionName }) {
  if (!url) return functionName; // (garbage collector), (program), (idle), native builtins
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packaged) return `[${packaged[1]}]`;
  return path.startsWith(REPO) ? relative(REPO, path) : path;
}

function isOwnCode(url) {
  return url.startsWith('file://') && fileURLToPath(url).startsWith(join(REPO, 'dist'));
}

function print(title, map, count, part) {
  console.log(`\n${title}:`);
  const seconds = (ms) => `${(ms / 1000).toFixed(2).padStart(6)} s`;
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    const share = part ? ` (${seconds(part.get(key) ?? 0)})` : '';
    console.log(`  ${seconds(ms)}${share}  ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
}
