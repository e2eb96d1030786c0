/**
 * The benchmark's baseline: what the migration cannot avoid. Reads every source file under a
 * folder once and parses it once with the migration's own parsers (`parseFile`: svelte/compiler
 * to split components, jscodeshift's `ts` parser for every script), in one thread. Prints
 * `{"files":N,"errors":M}`.
 *
 *   node test/bench/baseline.mjs <dir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile } from '../../dist/transforms/analyse/parse.js';

/** The files the CLI reads and may parse: scripts and components, not declaration files. */
const isSourceFile = (path) => /\.(?:svelte|[cm]?[jt]s)$/.test(path) && !path.endsWith('.d.ts');

const root = process.argv[2];
let files = 0;
let errors = 0;
for (const path of readdirSync(root, { recursive: true })) {
  if (!isSourceFile(path)) continue;
  files++;
  try {
    parseFile(path, readFileSync(join(root, path), 'utf8'));
  } catch (error) {
    errors++;
    process.stderr.write(`${path}: ${error.message}\n`);
  }
}
process.stdout.write(`${JSON.stringify({ files, errors })}\n`);
