/**
 * The benchmark's baseline: one parse per file. Reads every source file under a folder once and
 * parses it once, in one thread: each component with Svelte's parser (which reads its scripts
 * too), each script file with the migration's TS parser (jscodeshift's). Prints
 * `{"files":N,"errors":M}`.
 *
 *   node test/bench/baseline.mjs <dir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseFile } from '../../dist/transforms/analyse/parse.js';

/** The files the CLI reads and may parse: scripts and components, not declaration files. */
const isSourceFile = (path) => /\.(?:svelte|[cm]?[jt]s)$/.test(path) && !path.endsWith('.d.ts');

// Svelte's one-file CommonJS build, which loads several times faster than its ES modules (the migration loads it the same way).
const { parse: parseComponent } = createRequire(import.meta.url)('svelte/compiler');

const root = process.argv[2];
let files = 0;
let errors = 0;
for (const path of readdirSync(root, { recursive: true })) {
  if (!isSourceFile(path)) continue;
  files++;
  try {
    const text = readFileSync(join(root, path), 'utf8');
    if (path.endsWith('.svelte')) parseComponent(text, { modern: true });
    else parseFile(path, text);
  } catch (error) {
    errors++;
    process.stderr.write(`${path}: ${error.message}\n`);
  }
}
process.stdout.write(`${JSON.stringify({ files, errors })}\n`);
