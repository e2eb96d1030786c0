/**
 * One runner over `fixtures/<case>/{input,output}/**` (+ optional `case.json`). For every case:
 * the migrated tree equals `output/` file for file, migrating the output again changes nothing,
 * and every written file parses. `UPDATE_FIXTURES=1` rewrites `output/` (and the expected report
 * in an existing `case.json`) for a person to review with `git diff`.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, type MigrateOptions, type MigrationReport } from '../transforms/index.js';
import { assertParses, FIXTURES, fixtureCases, readTree } from './helpers.js';

interface CaseConfig {
  options?: MigrateOptions;
  /** The expected report; required for `blocked-*` cases. */
  report?: Pick<MigrationReport, 'storeModules'> & Partial<MigrationReport>;
}

const update = process.env.UPDATE_FIXTURES === '1';

describe.each(fixtureCases())('%s', (name) => {
  const caseDir = join(FIXTURES, name);
  const configPath = join(caseDir, 'case.json');
  const config: CaseConfig = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {};

  it('migrates input to output', async () => {
    const input = await readTree(join(caseDir, 'input'));
    const { files, report } = migrate(input, { complete: true, ...config.options });
    const migrated = new Map([...input, ...files]);

    if (update) {
      rmSync(join(caseDir, 'output'), { recursive: true, force: true });
      for (const [path, text] of migrated) {
        mkdirSync(dirname(join(caseDir, 'output', path)), { recursive: true });
        writeFileSync(join(caseDir, 'output', path), text);
      }
      if (config.report) writeFileSync(configPath, JSON.stringify({ ...config, report }, null, 2) + '\n');
      return;
    }

    expect(existsSync(join(caseDir, 'output')), 'every case needs an output/ tree').toBe(true);
    const expected = await readTree(join(caseDir, 'output'));
    expect([...migrated.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) expect(migrated.get(path), path).toBe(text);

    if (config.report) {
      expect(report.storeModules).toEqual(config.report.storeModules);
      if (config.report.files) expect(report.files).toEqual(config.report.files);
      if (config.report.errors) expect(report.errors).toEqual(config.report.errors);
      if (config.report.outsideRootLayout) expect(report.outsideRootLayout).toEqual(config.report.outsideRootLayout);
      if (config.report.state) expect(report.state).toEqual(config.report.state);
      if ('ssrOff' in config.report) expect(report.ssrOff).toEqual(config.report.ssrOff);
    }
    if (name.startsWith('blocked-')) {
      expect(config.report, 'blocked cases state their expected report in case.json').toBeDefined();
      expect(report.storeModules.some((module) => module.status === 'blocked')).toBe(true);
    }
  });

  it('writes only files that parse', async () => {
    const input = await readTree(join(caseDir, 'input'));
    const { files } = migrate(input, { complete: true, ...config.options });
    for (const [path, text] of files) expect(() => assertParses(path, text), path).not.toThrow();
  });

  it('changes nothing when run on its own output', async () => {
    const input = await readTree(join(caseDir, 'input'));
    const { files } = migrate(input, { complete: true, ...config.options });
    const again = migrate(new Map([...input, ...files]), { complete: true, ...config.options });
    expect([...again.files.keys()]).toEqual([]);
  });
});
