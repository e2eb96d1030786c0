/**
 * Which code runs on the server while a request is handled. Server-only files (`+page.server.ts`,
 * `+server.ts`, server hooks) always do; pages, layouts and what they import do unless SSR is off
 * for them (`export const ssr = false` in their `+page` or nearest `+layout` options file). Code
 * nothing known reaches (an `import.meta.glob` target) counts as server code, since a leak missed
 * is worse than a store migrated that did not need it.
 */
import { posix } from 'node:path';
import { lineColumn } from '../text.js';
import type { SourceLocation } from '../types.js';
import type { SourceIndex } from './source-index.js';

export interface ServerRendering {
  /** Where SSR is turned off for the whole app (the root layout's `ssr = false`), when it is. */
  offForApp: SourceLocation | undefined;
  /** Whether code of this file can run on the server while a request is handled. */
  runsOnServer(path: string): boolean;
  /** Whether the file is reached by imports from server-run code (not merely unknown). */
  reachedFromServer(path: string): boolean;
}

const OPTION_FILE = /^\+(page|layout)(?:\.server)?\.[cm]?[jt]s$/;
const SERVER_ROUTE_FILE = /^\+(?:page\.server|layout\.server|server)\.[cm]?[jt]s$/;

export function serverRendering(index: SourceIndex): ServerRendering {
  const { routesDir, srcDir } = index.project;
  const routeFiles = [...index.files.keys()].filter((path) => path.startsWith(`${routesDir}/`));
  const options = new Map<string, { page?: SsrOption; layout?: SsrOption }>();
  const pageDirs = new Set<string>();
  for (const path of routeFiles) {
    const dir = posix.dirname(path);
    const base = posix.basename(path);
    if (/^\+page(?:\.server)?\.(?:svelte|[cm]?[jt]s)$/.test(base)) pageDirs.add(dir);
    const kind = OPTION_FILE.exec(base)?.[1] as 'page' | 'layout' | undefined;
    const option = kind && ssrOption(index, path);
    if (kind && option) options.set(dir, { ...options.get(dir), [kind]: option });
  }

  const ssrFor = (pageDir: string): SsrOption | undefined => {
    const own = options.get(pageDir)?.page;
    if (own) return own;
    for (let dir = pageDir; ; dir = posix.dirname(dir)) {
      const layout = options.get(dir)?.layout;
      if (layout) return layout;
      if (dir === routesDir || !dir.startsWith(routesDir)) return undefined;
    }
  };
  const serverEntries: string[] = [];
  const browserEntries: string[] = [];
  for (const pageDir of pageDirs) {
    const entries = routeFiles.filter((path) => {
      const dir = posix.dirname(path);
      const base = posix.basename(path);
      if (dir === pageDir) return /^\+(?:page|layout|error)(?:\.svelte|\.[cm]?[jt]s)$/.test(base);
      return (pageDir.startsWith(`${dir}/`) || dir === routesDir) && /^\+(?:layout|error)(?:\.svelte|\.[cm]?[jt]s)$/.test(base);
    });
    (ssrFor(pageDir)?.value === false ? browserEntries : serverEntries).push(...entries);
  }
  for (const path of index.files.keys()) {
    const base = posix.basename(path);
    if (path.startsWith(`${routesDir}/`) && SERVER_ROUTE_FILE.test(base)) serverEntries.push(path);
    else if (posix.dirname(path) === srcDir && /^hooks(?:\.server)?\.[cm]?[jt]s$/.test(base)) serverEntries.push(path);
    else if (posix.dirname(path) === srcDir && (/^hooks\.client\.[cm]?[jt]s$/.test(base) || /^service-worker(?:\.[cm]?[jt]s|\/index\.[cm]?[jt]s)$/.test(base))) browserEntries.push(path);
  }
  const server = reach(serverEntries, index);
  const browser = reach(browserEntries, index);
  const rootLayoutOption = options.get(routesDir)?.layout;
  // Off for the app: off in the root layout, and no page or layout below turns it back on (or sets it to something known only at run time).
  const turnedOn = [...options.values()].some(({ page, layout }) => [page, layout].some((option) => option !== undefined && option.value !== false));
  const offForApp = rootLayoutOption?.value === false && !turnedOn ? rootLayoutOption.at : undefined;
  return {
    offForApp,
    reachedFromServer: (path) => server.has(path),
    runsOnServer: (path) => server.has(path) || isServerOnlyPath(path) || (!offForApp && !browser.has(path)),
  };
}

interface SsrOption {
  value: boolean | undefined;
  at: SourceLocation;
}

/** `export const ssr = false` in an options file; a value that is not a literal is unknown. */
function ssrOption(index: SourceIndex, path: string): SsrOption | undefined {
  // Most options files set no `ssr`: their text tells without a parse (unless a name may be spelled with escapes).
  const text = index.files.get(path) ?? '';
  if (!/\bssr\b/.test(text) && !text.includes('\\u')) return undefined;
  const file = index.get(path);
  for (const statement of file?.scripts[0]?.ast.program.body ?? []) {
    if (statement.type !== 'ExportNamedDeclaration' || statement.declaration?.type !== 'VariableDeclaration') continue;
    for (const declarator of statement.declaration.declarations) {
      if (declarator.id.type !== 'Identifier' || declarator.id.name !== 'ssr') continue;
      const init = declarator.init;
      return { value: init?.type === 'BooleanLiteral' ? init.value : undefined, at: { file: path, ...lineColumn(file!.text, statement.start!) } };
    }
  }
  return undefined;
}

/** Server-only modules by SvelteKit's own rule: `*.server.*` and anything under a `server` folder. */
function isServerOnlyPath(path: string): boolean {
  return /\.server\.[cm]?[jt]s$/.test(path) || path.split('/').includes('server');
}

/** Every file reached from `entries` by imports (read from the text, so a superset). */
function reach(entries: string[], index: SourceIndex): Set<string> {
  const reached = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (reached.has(path)) continue;
    reached.add(path);
    for (const target of index.importedPaths(path)) if (!reached.has(target)) queue.push(target);
  }
  return reached;
}
