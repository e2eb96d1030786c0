/**
 * The leak analysis's text shortcut against Svelte's parser: where `mentionedOnlyInBrowserPlaces`
 * says every mention of a name in a component's markup sits in an event handler or a browser-only
 * directive, Svelte's parse must find that name only in such places. Checked for every name of
 * every fixture component and of a generated benchmark app.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markupIdentifiers, mentionedOnlyInBrowserPlaces } from '../transforms/analyse/leaks.js';
import { markupText, parseFile, parseMarkup } from '../transforms/analyse/parse.js';
import { componentsUnder, FIXTURES } from './helpers.js';
// @ts-expect-error: a plain ES module without types
import { generateMonorepo } from './bench/generate.mjs';

const generated = mkdtempSync(join(tmpdir(), 'ssc-markup-'));
afterAll(() => rmSync(generated, { recursive: true, force: true }));
(generateMonorepo as (root: string, sizes: object) => string[])(generated, { apps: 1, components: 300, modules: 40, storeModules: 12 });


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
  const markup = markupText(file);
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
  const files = [...componentsUnder(FIXTURES), ...componentsUnder(generated)];
  it.each(files.map((path) => [path.replace(FIXTURES, 'fixtures').replace(generated, 'generated')]))('%s', (shown) => {
    const path = shown.startsWith('fixtures') ? join(FIXTURES, shown.slice('fixtures/'.length)) : join(generated, shown.slice('generated/'.length));
    expect(compare(path).disagreements).toEqual([]);
  });

  it('answers for names used only in handlers (else it saves nothing)', () => {
    const answered = files.reduce((sum, path) => sum + compare(path).answered, 0);
    expect(answered).toBeGreaterThan(100);
  });
});
