/**
 * The helper threads that parse the files a migration would write: the facts they give are the
 * facts this thread gives, in the same order, whichever thread read which file. Runs the built
 * pool (`dist/`), as worker threads load compiled modules.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WrittenFilesPool } from '../dist/bin/written-files-pool.js';
import { readInThisThread, type WrittenFile } from '../dist/transforms/verify/written-facts.js';
import { migrate } from '../dist/transforms/index.js';
import { readProject } from '../bin/read-project.js';
// @ts-expect-error: a plain ES module without types
import { generateMonorepo } from './bench/generate.mjs';

const generated = mkdtempSync(join(tmpdir(), 'ssc-pool-'));
const pool = new WrittenFilesPool(1);
afterAll(async () => {
  await pool.close();
  rmSync(generated, { recursive: true, force: true });
});

describe('WrittenFilesPool', () => {
  it('gives the facts this thread gives, in order, for files the helper read', async () => {
    (generateMonorepo as (root: string, sizes: object) => string[])(generated, { apps: 1, components: 600, modules: 40, storeModules: 12 });
    const project = await readProject(join(generated, 'apps', readdirSync(join(generated, 'apps'))[0]!));
    let files: WrittenFile[] = [];
    migrate(project.files, { complete: true, all: true, readWritten: (written) => ((files = written), readInThisThread(written)) });
    // One file that does not parse: where and why come back from the helper too.
    files.push({ path: 'src/lib/broken.ts', text: 'export const a = ;\n', before: { counts: new Map(), imported: new Set() } });
    expect(files.length).toBeGreaterThan(200);

    const expected = readInThisThread(files);
    expect(expected.at(-1)).toEqual({ path: 'src/lib/broken.ts', parsed: false, error: expect.objectContaining({ file: 'src/lib/broken.ts', line: 1 }) });
    // The split between the threads depends on timing: read until the helper has taken part.
    for (let batch = 0; batch < 20 && pool.readByHelpers === 0; batch++) expect(pool.read(files)).toEqual(expected);
    expect(pool.readByHelpers).toBeGreaterThan(0);
    expect(pool.read(files)).toEqual(expected);
  });

  it('reads a small batch in this thread', () => {
    const small = new WrittenFilesPool(1);
    const files: WrittenFile[] = [{ path: 'src/a.ts', text: 'export const a = 1;\n', before: { counts: new Map(), imported: new Set() } }];
    expect(small.read(files)).toEqual(readInThisThread(files));
    expect(small.readByHelpers).toBe(0);
  });
});
