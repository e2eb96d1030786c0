import type { SourceLocation } from './types.js';

/**
 * The one error for expected bails: a file that cannot be parsed, a use that context cannot serve.
 * Its message reads `file:line:column: sentence` so that editors and terminals can jump to it.
 */
export class MigrationError extends Error implements SourceLocation {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'MigrationError';
  }
}
