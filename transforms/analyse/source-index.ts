/**
 * Every file of the project, parsed at most once and only when asked for. Files that cannot be
 * parsed are remembered with their error and never edited.
 */
import { posix } from 'node:path';
import { MigrationError } from '../errors.js';
import type { FileError, ProjectFiles, UnreadableFile } from '../types.js';
import type { Project } from './project.js';
import { readModuleSyntax, type ModuleSyntax } from './module-syntax.js';
import { dropLocations, isComponentPath, parseFile, parseMarkup, type ParsedFile, type Script } from './parse.js';
import { appScope } from './app-scope.js';
import { resolveImport } from './resolve.js';
import { packageNamed } from './workspace-packages.js';

/**
 * Larger files are not parsed: no hand-written module is this big, and parsing a generated bundle
 * of 20 MB takes the parser most of a minute and gigabytes of memory. Such a file is left alone;
 * when it mentions a store module it is reported and holds the module back, like one that does
 * not parse (`holdBack`).
 */
export const MAX_PARSED_LENGTH = 5_000_000;

/** `from './cart'`, `import './x'`, `import('./y')`: a quoted static specifier. */
export const IMPORT_SPECIFIER = /\b(?:from|import)\s*\(?\s*(['"`])([^'"`\n]+)\1/g;

interface TextImports {
  targets: Set<string>;
  unresolved: string[];
}

/** Where an export comes from: the module declaring it, or the module a namespace export stands for (and, for an imported namespace exported again, the module and name holding it). */
type TracedExport = { module: string; exported: string } | { namespace: string; heldBy?: { module: string; exported: string } };

export class SourceIndex {
  private readonly parsed = new Map<string, ParsedFile | null>();
  private readonly syntaxes = new WeakMap<Script, ModuleSyntax>();
  /** Files that could not be read or parsed: reported. */
  readonly errors = new Map<string, FileError>();
  /** Files too large to parse: reported only once something needs them (`holdBack`). */
  private readonly tooLarge = new Map<string, FileError>();
  private readonly importsByPath = new Map<string, TextImports>();
  /** Files parsed (or tried) so far; `onParse` hears each one. */
  parsedCount = 0;
  onParse: (count: number) => void = () => {};

  constructor(
    readonly files: ProjectFiles,
    readonly project: Project,
    unreadable: readonly UnreadableFile[] = [],
    /** Files the user asked not to read: their text is there for the text checks, they are never parsed. */
    readonly ignored: readonly string[] = [],
    /**
     * A component whose markup Svelte cannot parse, when its markup is asked for, is an error to
     * report (the leak check: its writes are unknown). A migration leaves that to svelte-check: its
     * edits never touch the markup.
     */
    private readonly reportMarkupErrors = false,
  ) {
    for (const { text: _text, ...error } of unreadable) {
      this.errors.set(error.file, error);
      this.parsed.set(error.file, null);
    }
    for (const path of ignored) this.parsed.set(path, null);
  }

  /** The parsed file, or undefined if it does not exist or cannot be parsed (see `errors`). */
  get(path: string): ParsedFile | undefined {
    if (!this.parsed.has(path)) {
      const text = this.files.get(path);
      let result: ParsedFile | null = null;
      if (text !== undefined && text.length > MAX_PARSED_LENGTH) {
        const size = `${(text.length / 1e6).toFixed(1)} million characters`;
        this.tooLarge.set(path, { file: path, line: 1, column: 1, message: `too large to parse: ${size}, the limit is ${MAX_PARSED_LENGTH / 1e6} million` });
      } else if (text !== undefined) {
        try {
          result = parseFile(path, text);
          for (const script of result.scripts) dropLocations(script.ast);
        } catch (error) {
          if (!(error instanceof MigrationError)) throw error;
          this.errors.set(path, { file: error.file, line: error.line, column: error.column, message: error.reason });
        }
      }
      this.parsed.set(path, result);
      if (text !== undefined) this.onParse(++this.parsedCount);
    }
    return this.parsed.get(path) ?? undefined;
  }

  private readonly reExporting = new Map<string, boolean>();

  /**
   * Whether a file's text may hand on another module's exports, read without parsing: `export …
   * from`, or an import it exports again (`import { user } from './store'; export { user }`). Asked
   * for the same files again and again.
   */
  mayReExport(path: string): boolean {
    let known = this.reExporting.get(path);
    if (known === undefined) {
      const text = this.files.get(path) ?? '';
      known = /\bexport\b[^;]*?\bfrom\b/.test(text) || (/\bexport\s*\{/.test(text) && /\bimport\b/.test(text));
      this.reExporting.set(path, known);
    }
    return known;
  }

  /** Whether a file has been parsed (or found unparsable) and not released since. */
  wasRead(path: string): boolean {
    return this.parsed.has(path);
  }

  /** A component's markup tree, parsed on demand; undefined when it does not parse (see `reportMarkupErrors`). */
  markup(file: ParsedFile): unknown {
    try {
      return parseMarkup(file);
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      if (this.reportMarkupErrors) this.errors.set(file.path, { file: error.file, line: error.line, column: error.column, message: error.reason });
      return undefined;
    }
  }

  /**
   * Forgets a parsed file that nothing will edit, so that its tree dies young instead of being
   * kept (and copied by the garbage collector) for the whole run; asked for again, it is parsed again.
   */
  release(path: string): void {
    if (this.parsed.get(path)) this.parsed.delete(path);
  }

  /** Why a file that a store module depends on could not be parsed; it is reported from now on. */
  holdBack(path: string): FileError | undefined {
    const error = this.errors.get(path) ?? this.tooLarge.get(path);
    if (error) this.errors.set(path, error);
    return error;
  }

  /**
   * The project files a file's text imports or re-exports from, found without parsing it: every
   * quoted specifier after `from` or `import`, resolved. A superset (a specifier in a comment
   * counts), which is what the cheap checks before a parse need.
   */
  importedPaths(path: string): ReadonlySet<string> {
    return this.imports(path).targets;
  }

  /** Whether a file's text imports from a workspace package by a specifier that resolves to none of its files. */
  importsUnresolvedPackagePath(path: string): boolean {
    return this.imports(path).unresolved.some((specifier) => packageNamed(specifier, this.project.packages) !== undefined);
  }

  private imports(path: string): TextImports {
    let found = this.importsByPath.get(path);
    if (!found) {
      found = { targets: new Set(), unresolved: [] };
      for (const [, , specifier] of (this.files.get(path) ?? '').matchAll(IMPORT_SPECIFIER)) {
        if (specifier!.includes('${')) continue; // a template: not static
        const target = this.resolve(specifier!, path);
        if (target !== undefined) found.targets.add(target);
        else found.unresolved.push(specifier!);
      }
      this.importsByPath.set(path, found);
    }
    return found;
  }

  private scope: Set<string> | undefined;

  /** Whether a file is the app's own code, which the migration may edit (`app-scope.ts`). */
  inAppScope(path: string): boolean {
    return (this.scope ??= appScope(this)).has(path);
  }

  syntax(script: Script): ModuleSyntax {
    let syntax = this.syntaxes.get(script);
    if (!syntax) this.syntaxes.set(script, (syntax = readModuleSyntax(script)));
    return syntax;
  }

  /** Resolved specifiers by folder, and each importer's folder's map (asked for the same importers again and again). */
  private readonly resolvedInFolder = new Map<string, Map<string, string | undefined>>();
  private readonly resolvedFor = new Map<string, Map<string, string | undefined>>();

  /** The project file `specifier` refers to from `importer`: worked out once per folder, as many files of a folder import the same modules. */
  resolve(specifier: string, importer: string): string | undefined {
    let resolved = this.resolvedFor.get(importer);
    if (!resolved) {
      const folder = posix.dirname(importer);
      resolved = this.resolvedInFolder.get(folder);
      if (!resolved) this.resolvedInFolder.set(folder, (resolved = new Map()));
      this.resolvedFor.set(importer, resolved);
    }
    if (!resolved.has(specifier)) resolved.set(specifier, resolveImport(specifier, importer, this.project, this.files));
    return resolved.get(specifier);
  }

  private readonly traced = new Map<string, TracedExport | undefined>();

  /** Which module really declares export `name` of `modulePath`, following re-exports and barrels. */
  resolveExport(modulePath: string, name: string): { module: string; exported: string } | undefined {
    const traced = this.traceExport(modulePath, name);
    // A namespace a module imports and exports (`import * as stores …; export { stores }`) is its own export.
    return traced && 'namespace' in traced ? traced.heldBy : traced;
  }

  /**
   * The module whose namespace export `name` of `modulePath` is (`export * as stores from './cart'`,
   * `import * as stores from './cart'; export { stores }`), through re-exports; undefined when it is
   * no namespace.
   */
  namespaceExport(modulePath: string, name: string): string | undefined {
    // Only a module handing on other modules can hand on a namespace: others are not parsed for it.
    if (isComponentPath(modulePath) || !this.mayReExport(modulePath)) return undefined;
    const traced = this.traceExport(modulePath, name);
    return traced && 'namespace' in traced ? traced.namespace : undefined;
  }

  /** Where export `name` of `modulePath` comes from, following re-exports and barrels; worked out once. */
  private traceExport(modulePath: string, name: string): TracedExport | undefined {
    const key = `${modulePath}\0${name}`;
    if (!this.traced.has(key)) this.traced.set(key, this.findExport(modulePath, name, new Set()));
    return this.traced.get(key);
  }

  private findExport(modulePath: string, name: string, seen: Set<string>): TracedExport | undefined {
    const key = `${modulePath}\0${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    // A component is the module of its exports (its default is itself): no need to parse it for that.
    if (isComponentPath(modulePath)) return this.files.has(modulePath) ? { module: modulePath, exported: name } : undefined;
    const file = this.get(modulePath);
    if (!file) return undefined;
    const syntax = this.syntax(file.scripts[0]!);

    const local = syntax.localExports.get(name);
    if (local !== undefined) {
      // `import { cart } from './cart'; export { cart }` re-exports an import.
      for (const statement of syntax.imports) {
        const imported = statement.names.find((candidate) => candidate.local === local && !candidate.typeOnly);
        const target = imported && this.resolve(statement.source, modulePath);
        if (!imported || !target) continue;
        return imported.imported === '*' ? { namespace: target, heldBy: { module: modulePath, exported: name } } : this.findExport(target, imported.imported, seen);
      }
      return { module: modulePath, exported: name };
    }
    for (const reExport of syntax.reExports) {
      const target = this.resolve(reExport.source, modulePath);
      if (!target) continue;
      if (reExport.namespace === name) return { namespace: target };
      const named = reExport.names.find((candidate) => candidate.exported === name && !candidate.typeOnly);
      if (named) return this.findExport(target, named.imported, seen);
      if (reExport.star !== 'all' || name === 'default') continue;
      const found = this.findExport(target, name, seen);
      if (found) return found;
    }
    return undefined;
  }
}
