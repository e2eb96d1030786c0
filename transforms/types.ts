import type { CodeStyle } from './text.js';

/** Project files keyed by POSIX path relative to the project root (`src/lib/cart.ts`). */
export type ProjectFiles = ReadonlyMap<string, string>;

export interface MigrateOptions {
  /**
   * The files are the whole app (as the CLI reads it). Without it, `migrate` refuses a set with no
   * `svelte.config.*`/`vite.config.*`, or with routes but no root layout: it would create a root
   * layout over one it was not given.
   */
  complete?: boolean;
  /** Where the generated key module goes, relative to the project root. Default: `<lib>/context-keys.ts` (`.js` in JS projects). */
  keyModule?: string;
  /**
   * Migrate every store module with state: also stores that never change (a `readable` constant,
   * a `derived` of such), and apps or routes with SSR off. Default: leave those, as they cannot leak.
   */
  all?: boolean;
  /**
   * The smallest safe diff: migrate only modules holding state that `leaks` (written while a
   * request is handled on the server), and the modules sharing state with them.
   */
  onlyLeaks?: boolean;
  /**
   * More store factories, as `name@module`: calls of `name` imported from `module` create stores
   * (`persisted@svelte-persisted-store` is always known).
   */
  factories?: string[];
  /**
   * `key-module` (default): a generated module of `Symbol` keys for `setContext`/`getContext`.
   * `create-context`: Svelte's `createContext()` (Svelte 5.40 and later; refused for older apps).
   */
  contextStyle?: ContextStyle;
  /**
   * The Svelte version installed for the app (`node_modules/svelte/package.json`), when the caller
   * knows it: it decides over the range the app's `package.json` gives (`catalog:`, `workspace:*`).
   */
  svelteVersion?: string;
  /** The SvelteKit version installed for the app, when the caller knows it: 3 and later have no `$lib`. */
  kitVersion?: string;
  /**
   * The app's formatting settings (from its `.editorconfig` and Prettier configuration): new files
   * follow them, and so do edits in a file that shows no habit of its own (no indented line, say).
   * A file's own style wins over them.
   */
  style?: Partial<CodeStyle>;
  /** Add a `// @migration-task: reason` comment above each place that blocks a store module. */
  annotate?: boolean;
  /** Globs of store module paths to consider; by default every store module is. */
  include?: string[];
  /** Globs of store module paths to leave alone, as if they held no state. */
  exclude?: string[];
  /** Called as the run goes, for a progress line: files parsed so far, store modules found once known. */
  onProgress?: (progress: MigrationProgress) => void;
  /**
   * Files the caller could not read or decode, with whatever text could be recovered: they are
   * reported, never edited, and block the store modules they mention.
   */
  unreadable?: UnreadableFile[];
  /**
   * Files the user asked not to read (`--ignore-pattern`), with their text. They are never parsed
   * or edited; the verify phase reads their imports as text, so that a store module they import
   * a moving name from is held back instead of leaving them importing a name that is gone.
   */
  ignored?: IgnoredFile[];
  /**
   * Folders that are links to another folder of the project (`src/lib` -> `lib-real`). Files are
   * given under their real path only; imports through a link resolve to them.
   */
  links?: FolderLink[];
  /**
   * Workspace packages the app depends on (a monorepo's shared `@acme/stores`). Their files are in
   * `files` under `dir`, relative to the app root (`../../packages/stores/src/cart.ts`); imports of
   * `name` resolve into them through the package's `exports`, `svelte`, `module` or `main` field.
   * Their store modules are named from the package alone and keep their keys in the package's own
   * key module, so every app that uses a package rewrites it the same way.
   */
  packages?: WorkspacePackage[];
  /**
   * Blockers another app found for a shared package's store module, keyed by the module's path as
   * this app sees it: a module shared by several apps migrates in all of them or in none.
   */
  sharedBlockers?: Record<string, Blocker[]>;
}

export type ContextStyle = 'key-module' | 'create-context';

export interface WorkspacePackage {
  /** The name the app imports it by: `@acme/stores`. */
  name: string;
  /** Its folder relative to the app root, POSIX: `../../packages/stores`. */
  dir: string;
}

export interface FolderLink {
  /** The linked folder, POSIX, relative to the app: `src/lib`. */
  path: string;
  /** The folder it links to: `lib-real`. */
  target: string;
}

export interface IgnoredFile {
  file: string;
  text: string;
}

export interface UnreadableFile extends FileError {
  /** The content as far as it could be decoded (lossy), to tell which store modules it mentions. */
  text: string;
  /** A link (to a folder or a file) out of the project, which is never followed. */
  linksOut?: boolean;
}

/** A place in a file, 1-based line and column as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface Blocker extends SourceLocation {
  /** What stops the migration and what to do about it, as a sentence a person can act on. */
  reason: string;
}

export interface StoreModuleReport {
  file: string;
  /** `skipped`: left alone on purpose, as it does not leak (`skipReason` says why); `--all` migrates it anyway. */
  status: 'migrated' | 'blocked' | 'skipped';
  /**
   * For `skipped`: `constant`, its stores never change; `ssr-off`, it is used only where SSR is
   * off; `not-leaking`, `onlyLeaks` was asked and none of its state leaks.
   */
  skipReason?: 'constant' | 'ssr-off' | 'not-leaking';
  /** Exported names that move into the context bundle (for `skipped`, the constant stores). */
  stateful: string[];
  blockers: Blocker[];
}

export interface FileChange {
  file: string;
  change: 'created' | 'modified';
}

export interface FileError extends SourceLocation {
  message: string;
}

/** A place that renders a migrated consumer outside the root layout (a component test, a `mount()` call). */
export interface ContextNeed extends SourceLocation {
  /** The component rendered there. */
  component: string;
  /** The init functions whose context it now needs. */
  needs: string[];
  reason: string;
}

/** How a piece of module-level state is used: see `StateReport`. */
export type LeakClass = 'leaks' | 'latent' | 'constant';

export interface StateWrite extends SourceLocation {
  /**
   * `server`: while a request is handled on the server; `browser`: only in the browser (or in code
   * no server path reaches); `startup`: once, when its module is first imported.
   */
  runs: 'server' | 'browser' | 'startup';
  /** For a write in a function: the place on the server path that leads to it (a call in a component, a `load` function). */
  via?: SourceLocation;
}

/**
 * One piece of module-level state (a store, rune state): `leaks` when written while a request is
 * handled on the server (one user's data can reach another user's page), `latent` when written
 * only in the browser or at startup, `constant` when never written.
 */
export interface StateReport {
  module: string;
  /** The exported name, or the local one for state no export names directly. */
  name: string;
  /** Where it is declared in `module`. */
  line: number;
  column: number;
  class: LeakClass;
  writes: StateWrite[];
  /** For a derived store: the state it follows; it takes their class when that is worse. */
  derivedFrom?: string[];
}

/** What the leak check finds, without planning or editing anything. */
export interface LeakReport {
  /** Where SSR is turned off for the whole app (`export const ssr = false` in the root layout), when it is. */
  ssrOff?: SourceLocation;
  state: StateReport[];
  /** Files that could not be read or parsed. */
  errors: FileError[];
}

export interface MigrationReport {
  /** Where SSR is turned off for the whole app, when it is: nothing leaks, and nothing is migrated unless `all` is set. */
  ssrOff?: SourceLocation;
  storeModules: StoreModuleReport[];
  /** Every piece of module-level state found, with where it is written and whether that leaks. */
  state: StateReport[];
  /** Places rendering a migrated consumer outside the root layout: they now need context set up. */
  outsideRootLayout: ContextNeed[];
  files: FileChange[];
  /** Files that could not be read or parsed; they are left byte-identical. */
  errors: FileError[];
}

export interface MigrationResult {
  /** New content of every created or modified file; files not listed are unchanged. */
  files: Map<string, string>;
  report: MigrationReport;
}

export interface MigrationProgress {
  parsed: number;
  /** Undefined until planning has found them. */
  storeModules?: number;
}
