/** This package's version, from its package.json (two folders up from `dist/bin/`). */
import { createRequire } from 'node:module';

export function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
