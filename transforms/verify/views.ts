/**
 * The app before and after the run, side by side, as the link check reads it: the original files
 * (parsed when needed) and the facts of the files the run would write.
 */
import type { SourceIndex } from '../analyse/source-index.js';
import { exportFacts, type ExportFacts } from './module-exports.js';
import { importedExports, type ImportedExport } from './written-facts.js';
import { importedExportsFromText } from './links.js';

export interface WrittenFileFacts {
  imports: ImportedExport[];
  exports: ExportFacts;
}

export class AppViews {
  constructor(
    private readonly index: SourceIndex,
    /** The new text of every written file. */
    private readonly output: ReadonlyMap<string, string>,
    /** What each written file imports and exports, read from its new text. */
    private readonly written: ReadonlyMap<string, WrittenFileFacts>,
  ) {}

  /** What a file exports by its own text, before the run or after it; undefined for a file not parsed. */
  exports(path: string, after: boolean): ExportFacts | undefined {
    if (after && this.output.has(path)) return this.written.get(path)?.exports;
    const file = this.index.files.has(path) ? this.index.get(path) : undefined;
    return file && exportFacts(file);
  }

  /** Every name a file imports or re-exports by name after the run, from its syntax tree or, when it has none, its text. */
  importedExports(path: string): ImportedExport[] {
    if (this.output.has(path)) return this.written.get(path)?.imports ?? importedExportsFromText(this.text(path));
    const file = this.index.files.has(path) ? this.index.get(path) : undefined;
    return file ? importedExports(file, (script) => this.index.syntax(script)) : importedExportsFromText(this.text(path));
  }

  /** Every name a file imported or re-exported by name before the run (none for a file the run creates). */
  importedExportsBefore(path: string): ImportedExport[] {
    if (!this.index.files.has(path)) return [];
    const file = this.index.get(path);
    return file ? importedExports(file, (script) => this.index.syntax(script)) : importedExportsFromText(this.index.files.get(path)!);
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
