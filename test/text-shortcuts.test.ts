/**
 * The leak analysis reads a component as text where its text tells enough: the imports of its
 * instance script (`readImportsFromText`), and whether a function it imports is mentioned only in
 * the import and in event handlers. Held to the parser: the imports it reads equal the parsed
 * imports, and the leak report of every fixture app and of a generated app is the same with the
 * text shortcut and without it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseLeaks } from '../transforms/analyse/leaks.js';
import { readImportsFromText, readModuleSyntax } from '../transforms/analyse/module-syntax.js';
import { parseFile, isComponentPath, isScriptPath } from '../transforms/analyse/parse.js';
import { discoverProject } from '../transforms/analyse/project.js';
import { serverRendering } from '../transforms/analyse/server-rendering.js';
import { SourceIndex } from '../transforms/analyse/source-index.js';
import { findStoreModules } from '../transforms/analyse/store-modules.js';
import type { ProjectFiles } from '../transforms/types.js';
import { fixtureCases, FIXTURES, readTree } from './helpers.js';
// @ts-expect-error: a plain ES module without types
import { generateMonorepo } from './bench/generate.mjs';

const generated = mkdtempSync(join(tmpdir(), 'ssc-text-'));
afterAll(() => rmSync(generated, { recursive: true, force: true }));
(generateMonorepo as (root: string, sizes: object) => string[])(generated, { apps: 1, components: 300, modules: 40, storeModules: 12 });
const generatedApp = join(generated, 'apps', readdirSync(join(generated, 'apps'))[0]!);

const apps = [...fixtureCases().map((name) => join(FIXTURES, name, 'input')), generatedApp];
const shown = (dir: string) => (dir === generatedApp ? 'generated app' : dir.slice(FIXTURES.length + 1));

describe('readImportsFromText agrees with the parser', () => {
  it.each(apps.map((dir) => [shown(dir), dir]))('%s', async (_, dir) => {
    const files = await readTree(dir);
    let answered = 0;
    for (const [path, text] of files) {
      if (!isComponentPath(path) && !isScriptPath(path)) continue;
      let parsed;
      try {
        parsed = parseFile(path, text, 'parse');
      } catch {
        continue;
      }
      for (const script of parsed.scripts) {
        const fromText = readImportsFromText(script.code);
        if (!fromText) continue;
        answered++;
        const fromParser = readModuleSyntax(script).imports.map((statement) => ({
          start: statement.node.start,
          source: statement.source,
          names: statement.names.map(({ imported, local, typeOnly }) => ({ imported, local, typeOnly })),
        }));
        expect(fromText.map(({ start, source, names }) => ({ start, source, names })), `${path} (${script.kind})`).toEqual(fromParser);
      }
    }
    if (dir === generatedApp) expect(answered).toBeGreaterThan(300);
  });
});

/** The leak check's report of an app, read with or without the text shortcut. */
function leakReport(files: ProjectFiles, textShortcuts: boolean) {
  const index = new SourceIndex(files, discoverProject(files, {}), [], [], true);
  const modules = findStoreModules(index, {});
  const rendering = serverRendering(index);
  const state = analyseLeaks(index, modules, rendering, { textShortcuts });
  return { state, errors: [...index.errors.values()], parsed: index.parsedCount };
}

describe('the leak report is the same with the text shortcut', () => {
  it.each(apps.map((dir) => [shown(dir), dir]))('%s', async (_, dir) => {
    const files = await readTree(dir);
    let parsed;
    try {
      parsed = leakReport(files, false);
    } catch {
      return; // not an app the check reads (no SvelteKit configuration): nothing to compare
    }
    const fromText = leakReport(files, true);
    expect(fromText.state).toEqual(parsed.state);
    expect(fromText.errors).toEqual(parsed.errors);
    expect(fromText.parsed).toBeLessThanOrEqual(parsed.parsed);
    // It must spare parses, or it is not worth having.
    if (dir === generatedApp) expect(fromText.parsed).toBeLessThan(parsed.parsed / 2);
  });
});

it('reads no import it is unsure of', () => {
  const code = "import { a, b as c, type D } from './x';\nimport E, * as F from \"y\";\nimport './z';\nimport type G from './g';\n";
  expect(readImportsFromText(code)?.map(({ start, end, source, names }) => ({ statement: code.slice(start, end), source, names }))).toEqual([
    { statement: "import { a, b as c, type D } from './x'", source: './x', names: [{ imported: 'a', local: 'a', typeOnly: false }, { imported: 'b', local: 'c', typeOnly: false }, { imported: 'D', local: 'D', typeOnly: true }] },
    { statement: 'import E, * as F from "y"', source: 'y', names: [{ imported: 'default', local: 'E', typeOnly: false }, { imported: '*', local: 'F', typeOnly: false }] },
    { statement: "import './z'", source: './z', names: [] },
    { statement: "import type G from './g'", source: './g', names: [{ imported: 'default', local: 'G', typeOnly: true }] },
  ]);
  // A comment, a string, a dynamic import, `import.meta`, a quoted name, a comment in braces: unsure.
  for (const unsure of ["// import { a } from './x'\n", "/*\nimport { a } from './x'\n*/\n", "const t = 1; const u = 2 // import { a } from './x'\n", "const s = 'import';\n", "const m = import('./x');\n", "const u = import.meta.url;\n", "import { 'a-b' as c } from './x';\n", "import { a, // why\n b } from './x';\n"]) {
    expect(readImportsFromText(unsure), unsure).toBeUndefined();
  }
});
