/**
 * The leak analysis's text shortcut against Svelte's parser: where `mentionedOnlyInBrowserPlaces`
 * says every mention of a name in a component's markup sits in an event handler or a browser-only
 * directive, Svelte's parse must find that name only in such places. Checked for every name of
 * every fixture component and of a generated benchmark app.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markupIdentifiers, mentionedOnlyInBrowserPlaces } from '../transforms/analyse/leaks.js';
import { parseFile, parseMarkup } from '../transforms/analyse/parse.js';
import { FIXTURES } from './helpers.js';
// @ts-expect-error: a plain ES module without types
import { generateMonorepo } from './bench/generate.mjs';

const generated = mkdtempSync(join(tmpdir(), 'ssc-markup-'));
afterAll(() => rmSync(generated, { recursive: true, force: true }));
(generateMonorepo as (root: string, sizes: object) => string[])(generated, { apps: 1, components: 300, modules: 40, storeModules: 12 });

function components(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? components(path) : name.endsWith('.svelte') ? [path] : [];
  });
}

/** Names the shortcut answered for, and where Svelte's parse disagreed. */
function compare(path: string): { answered: number; disagreements: string[] } {
  const text = readFileSync(path, 'utf8');
  let file;
  try {
    file = parseFile(path, text, 'parse');
  } catch {
    return { answered: 0, disagreements: [] };
  }
  const fragment = parseMarkup(file);
  const markup = file.scripts.reduceRight((rest, script) => rest.slice(0, script.offset) + rest.slice(script.offset + script.code.length), file.text);
  const identifiers = markupIdentifiers(fragment);
  const names = new Set(identifiers.map(({ node }) => node.name.replace(/^\$/, '')));
  let answered = 0;
  const disagreements: string[] = [];
  for (const name of names) {
    if (!mentionedOnlyInBrowserPlaces(markup, [name])) continue;
    answered++;
    for (const { node, browserDirective } of identifiers) {
      if ((node.name === name || node.name === `$${name}`) && !browserDirective) disagreements.push(`${name} at ${node.start}`);
    }
  }
  return { answered, disagreements };
}

describe('the browser-places shortcut agrees with Svelte', () => {
  const files = [...components(FIXTURES), ...components(generated)];
  it.each(files.map((path) => [path.replace(FIXTURES, 'fixtures').replace(generated, 'generated')]))('%s', (shown) => {
    const path = shown.startsWith('fixtures') ? join(FIXTURES, shown.slice('fixtures/'.length)) : join(generated, shown.slice('generated/'.length));
    expect(compare(path).disagreements).toEqual([]);
  });

  it('answers for names used only in handlers (else it saves nothing)', () => {
    const answered = files.reduce((sum, path) => sum + compare(path).answered, 0);
    expect(answered).toBeGreaterThan(100);
  });
});
