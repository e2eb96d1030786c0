/** The app before and after the run, side by side: the original files and the files the run would write, parsed. */
import type { ParsedFile } from '../analyse/parse.js';
import type { SourceIndex } from '../analyse/source-index.js';

export class AppViews {
  constructor(
    private readonly index: SourceIndex,
    /** The new text of every written file. */
    private readonly output: ReadonlyMap<string, string>,
    /** Written files that parsed again. */
    private readonly written: ReadonlyMap<string, ParsedFile>,
  ) {}

  before(path: string): ParsedFile | undefined {
    return this.index.files.has(path) ? this.index.get(path) : undefined;
  }

  after(path: string): ParsedFile | undefined {
    return this.output.has(path) ? this.written.get(path) : this.before(path);
  }

  text(path: string): string {
    return this.output.get(path) ?? this.index.files.get(path) ?? '';
  }

  isWritten(path: string): boolean {
    return this.output.has(path);
  }

  writtenPaths(): Iterable<string> {
    return this.output.keys();
  }
}
