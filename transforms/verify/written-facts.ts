/**
 * What the checks of the app after the run need from each file it would write, read from the new
 * text alone: whether it parses, what it imports and exports, and the declaration problems the
 * run brings into it. Plain data: each written file's tree is dropped as soon as it is read.
 */
import { parseWritten, type ParsedFile, type ScriptLayout } from '../analyse/parse.js';
import { readModuleSyntax } from '../analyse/module-syntax.js';
import { MigrationError } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { findDeclarationProblems, type DeclarationProblem, type DeclarationsBefore } from './declarations.js';
import { exportFacts, type ExportFacts } from './module-exports.js';

/** A file the run would write, with what is known of it before the run. */
export interface WrittenFile {
  path: string;
  text: string;
  /** Where its scripts are, when its markup is unchanged (only its scripts are parsed again). */
  layout?: ScriptLayout;
  before: DeclarationsBefore;
}

/** A name a file imports or re-exports by name, at an offset in the file. */
export interface ImportedExport {
  source: string;
  name: string;
  typeOnly: boolean;
  at: number;
}

export type WrittenFacts =
  | { path: string; parsed: false; error: SourceLocation & { reason: string } }
  | { path: string; parsed: true; imports: ImportedExport[]; exports: ExportFacts; declarationProblems: DeclarationProblem[] };

/** Parses a written file and reads its facts (`keepTree` gets its tree); a file that does not parse gives where and why. */
export function readWrittenFile(file: WrittenFile, keepTree?: (parsed: ParsedFile) => void): WrittenFacts {
  let parsed: ParsedFile;
  try {
    parsed = parseWritten(file.path, file.text, file.layout);
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    return { path: file.path, parsed: false, error: { file: error.file, line: error.line, column: error.column, reason: error.reason } };
  }
  keepTree?.(parsed);
  return { path: parsed.path, parsed: true, imports: importedExports(parsed), exports: exportFacts(parsed), declarationProblems: findDeclarationProblems(parsed, file.before) };
}

/** Every name a file imports or re-exports by name (`import { a }`, `export { a } from`). */
export function importedExports(file: ParsedFile, syntaxOf = readModuleSyntax): ImportedExport[] {
  const found: ImportedExport[] = [];
  for (const script of file.scripts) {
    const syntax = syntaxOf(script);
    for (const statement of syntax.imports) {
      for (const name of statement.names) {
        if (name.imported !== '*') found.push({ source: statement.source, name: name.imported, typeOnly: name.typeOnly, at: script.offset + name.node.start! });
      }
    }
    for (const reExport of syntax.reExports) {
      for (const name of reExport.names) found.push({ source: reExport.source, name: name.imported, typeOnly: name.typeOnly, at: script.offset + name.node.start! });
    }
  }
  return found;
}

