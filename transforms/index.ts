/**
 * svelte-store-context: moves module-scoped Svelte stores into per-request component context.
 *
 * `migrate` is pure: project files in, changed files and a report out. Three phases:
 * analyse (discover, parse, find stores), plan (decide per store module, all or nothing),
 * edit (magic-string on the original text). The CLI does all I/O.
 */
import picomatch from 'picomatch';
import { discoverProject, svelteRange, type Project } from './analyse/project.js';
import { linksOutThatMatter } from './analyse/links-out.js';
import type { ParsedFile, Script } from './analyse/parse.js';
import { replaceTypeSpecifiers, typeUseEdits, type TypeUseEdits } from './edit/type-uses.js';
import { SourceIndex } from './analyse/source-index.js';
import { parseFactorySpec } from './analyse/store-modules.js';
import { rewriteBarrels } from './edit/barrel.js';
import { rewriteConsumerImports, contextCallLine } from './edit/consumer.js';
import { rewriteDeclaringModule } from './edit/declaring-module.js';
import { FileEdits } from './edit/file-edits.js';
import { addContextKeys } from './edit/key-module.js';
import { annotateBlockers } from './edit/annotate.js';
import { initInRootLayout } from './edit/root-layout.js';
import { insertAfterImports } from './edit/script-edits.js';
import { blockDependentsOfBlocked, initOrder, isMigrating, planMigration, whyNotParsed, type ConsumerUse, type ModulePlan, type Plan, type TypeUse } from './plan.js';
import { verifyMigration } from './verify/index.js';
import { analyseLeaks } from './analyse/leaks.js';
import { serverRendering, type ServerRendering } from './analyse/server-rendering.js';
import { findStoreModules } from './analyse/store-modules.js';
import { buildReport } from './report.js';
import type { ContextNeed, LeakReport, MigrateOptions, MigrationResult, ProjectFiles, StateReport } from './types.js';
import { findRendersOutsideLayout, giveTestsTheirContext } from './outside-layout.js';
import { rewriteTests } from './edit/tests.js';

export { MigrationError } from './errors.js';
export { formatReport } from './report.js';
export { keyModuleProblem } from './analyse/project.js';
export type * from './types.js';

export function migrate(files: ProjectFiles | Record<string, string>, options: MigrateOptions = {}): MigrationResult {
  const readable: ProjectFiles = files instanceof Map ? files : new Map(Object.entries(files));
  const project = discoverProject(readable, options);
  const unreadable = linksOutThatMatter(options.unreadable ?? [], readable, project);
  const ignored = options.ignored ?? [];
  // Unreadable and ignored files take part only in the text checks, so that the modules they mention are held back.
  const projectFiles: ProjectFiles = new Map([...readable, ...[...unreadable, ...ignored].map((file) => [file.file, file.text] as const)]);
  if (!options.complete) refuseIncompleteFiles(readable, project);
  refuseUnsupportedContextStyle(project, readable, options.svelteVersion);
  const index = new SourceIndex(projectFiles, project, unreadable, ignored.map((file) => file.file));
  const { onProgress } = options;
  if (onProgress) index.onParse = (parsed) => onProgress({ parsed });
  const plan = planMigration(index, {
    all: options.all,
    factories: (options.factories ?? []).map(parseFactorySpec),
    isIncluded: pathFilter(options.include, options.exclude),
    sharedBlockers: options.sharedBlockers,
  });
  const rendering = serverRendering(index);
  const state = analyseLeaks(index, [...plan.modules.map((module) => module.module), ...plan.constantOnly], rendering);
  if (!options.all) skipWhatCannotLeak(plan, state, rendering, Boolean(options.onlyLeaks));
  blockOnUnparsableRootLayout(index, plan.modules);
  onProgress?.({ parsed: index.parsedCount, storeModules: plan.modules.length });

  // The app as it would be is verified before anything is returned. Should a check fail, the
  // modules whose edits caused it are held back and the edit phase runs again without them: a
  // module is migrated completely or not at all.
  for (;;) {
    const migrating = plan.modules.filter(isMigrating);
    const blocked = options.annotate ? plan.modules.filter((module) => !isMigrating(module)) : [];
    const { output, outsideRootLayout } = applyEdits(index, migrating, blocked);
    const problems = verifyMigration(index, output, migrating);
    if (problems.length === 0) return { files: output, report: buildReport(plan, projectFiles, output, index, state, rendering.offForApp, outsideRootLayout) };
    for (const { culprits, ...problem } of problems) {
      // A problem no module owns should not happen; holding every module back keeps the app intact.
      for (const module of culprits.length > 0 ? culprits : migrating) {
        module.blockers.push(problem);
      }
    }
    if (migrating.every(isMigrating)) throw new Error(`internal error: ${problems[0]!.file}: ${problems[0]!.reason}`);
    blockDependentsOfBlocked(plan.modules);
  }
}

/**
 * Where SSR is checked instead of migrated: every piece of module-level state, where it is
 * written and whether that leaks. Reads only what that needs; plans and edits nothing.
 */
export function checkLeaks(files: ProjectFiles | Record<string, string>, options: Pick<MigrateOptions, 'factories' | 'include' | 'exclude' | 'unreadable' | 'ignored' | 'links' | 'packages' | 'kitVersion' | 'svelteVersion'> = {}): LeakReport {
  const readable: ProjectFiles = files instanceof Map ? files : new Map(Object.entries(files));
  const project = discoverProject(readable, options);
  const unreadable = linksOutThatMatter(options.unreadable ?? [], readable, project);
  const ignored = options.ignored ?? [];
  const projectFiles: ProjectFiles = new Map([...readable, ...[...unreadable, ...ignored].map((file) => [file.file, file.text] as const)]);
  const index = new SourceIndex(projectFiles, project, unreadable, ignored.map((file) => file.file), true);
  const modules = findStoreModules(index, { factories: (options.factories ?? []).map(parseFactorySpec), isIncluded: pathFilter(options.include, options.exclude) });
  const rendering = serverRendering(index);
  const state = analyseLeaks(index, modules, rendering);
  const byPosition = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
  return { ...(rendering.offForApp ? { ssrOff: rendering.offForApp } : {}), state, errors: [...index.errors.values()].sort(byPosition) };
}

/**
 * Modules that cannot leak are left alone (unless `all`): those used only where SSR is off, and
 * with `onlyLeaks` those none of whose state leaks. Modules sharing state stay together: a module
 * kept for migration keeps the modules whose state it uses, and those using its state.
 */
function skipWhatCannotLeak(plan: Plan, state: StateReport[], rendering: ServerRendering, onlyLeaks: boolean): void {
  const leaking = new Set(state.filter((item) => item.class === 'leaks').map((item) => item.module));
  const kept = new Set(plan.modules.filter((module) => rendering.runsOnServer(module.module.file) && (!onlyLeaks || leaking.has(module.module.file))));
  for (let grew = true; grew; ) {
    grew = false;
    for (const module of plan.modules) {
      if (kept.has(module)) continue;
      const shares = module.dependencies.some((use) => kept.has(use.plan)) || [...kept].some((other) => other.dependencies.some((use) => use.plan === module));
      if (shares) {
        kept.add(module);
        grew = true;
      }
    }
  }
  for (const module of plan.modules) {
    if (!kept.has(module)) plan.skipped.push({ plan: module, reason: rendering.runsOnServer(module.module.file) ? 'not-leaking' : 'ssr-off' });
  }
  plan.modules = plan.modules.filter((module) => kept.has(module));
}

function applyEdits(index: SourceIndex, migrating: ModulePlan[], annotated: ModulePlan[]): { output: Map<string, string>; outsideRootLayout: ContextNeed[] } {
  const edits = new FileEdits(index.files, index);
  annotateBlockers(edits, index, annotated);
  if (migrating.length === 0) return { output: edits.result(), outsideRootLayout: [] };
  const { project } = index;
  const renders = findRendersOutsideLayout(index, migrating);
  // Tests make state with `create…Context()`: their own imports of state, and the render option.
  // (with the modules whose state theirs needs: a test makes those too, and hands them in)
  const madeByTests = new Set(initOrder([...migrating.filter((plan) => plan.testUses.length > 0 || plan.testImports.length > 0), ...renders.flatMap((render) => (render.option ? render.plans : []))]));
  const usesByFile = groupByFile(migrating.flatMap((plan) => plan.consumers));
  const typeEdits = typeUseEditsByFile(edits, migrating, usesByFile);
  const typeSpecifiers = new Map([...typeEdits.values()].flatMap((edit) => [...edit.specifiers]));

  const parametersOf = new Map<ModulePlan, ModulePlan[]>();
  for (const plan of migrating) {
    const editor = edits.editor(index.get(plan.module.file)!, plan.module.script);
    parametersOf.set(plan, rewriteDeclaringModule(editor, plan, project, index.files, { specifiers: typeSpecifiers, queries: typeEdits.get(plan.module.file)?.queries ?? [] }, madeByTests.has(plan)));
  }
  rewriteBarrels(edits, migrating.flatMap((plan) => plan.barrels), project);

  for (const [file, uses] of usesByFile) {
    if (file.path === project.rootLayout) continue;
    const editor = edits.editor(file, uses[0]!.script);
    const { calls, imports } = rewriteConsumerImports(editor, uses, 'get', typeSpecifiers);
    insertAfterImports(editor, [...imports, '', ...calls.map((call) => contextCallLine(editor.style, call))]);
  }
  const createdByTests = rewriteTests(edits, migrating, groupByFile(migrating.flatMap((plan) => plan.testUses)), renders, parametersOf, typeSpecifiers, index);
  const layoutUses = [...usesByFile].find(([file]) => file.path === project.rootLayout)?.[1] ?? [];
  initInRootLayout(edits, initOrder(migrating), layoutUses, project, typeSpecifiers);
  if (project.contextStyle === 'key-module') addContextKeys(edits, migrating, project);
  const left = giveTestsTheirContext(edits, renders, createdByTests);
  return { output: edits.result(), outsideRootLayout: left.map((render) => render.need) };
}

export function groupByFile(uses: ConsumerUse[]): Map<ParsedFile, ConsumerUse[]> {
  const byFile = new Map<ParsedFile, ConsumerUse[]>();
  for (const use of uses) {
    if (!byFile.has(use.file)) byFile.set(use.file, []);
    byFile.get(use.file)!.push(use);
  }
  return byFile;
}

/**
 * Type-only uses of stateful exports become the context's type. Import statements with nothing
 * else to change, and `typeof`s outside declaring modules, are rewritten here; the rest is
 * returned per file, for the rewrites that own those statements and code (consumer imports,
 * declaring modules, whose moved code is copied into `create…`).
 */
function typeUseEditsByFile(edits: FileEdits, migrating: ModulePlan[], consumerUses: Map<ParsedFile, ConsumerUse[]>): Map<string, TypeUseEdits> {
  const declaring = new Set(migrating.map((plan) => plan.module.file));
  const byScript = new Map<Script, TypeUse[]>();
  for (const use of migrating.flatMap((plan) => plan.typeUses)) byScript.set(use.script, [...(byScript.get(use.script) ?? []), use]);
  const ownedStatements = new Set([...consumerUses.values(), ...migrating.map((plan) => plan.dependencies), ...migrating.map((plan) => plan.testUses)].flat().map((use) => use.statement));
  const byFile = new Map<string, TypeUseEdits>();
  for (const [script, uses] of byScript) {
    const file = uses[0]!.file;
    const editor = edits.editor(file, script);
    const typeEdits = typeUseEdits(editor, uses);
    for (const statement of new Set(uses.map((use) => use.statement))) {
      if (!ownedStatements.has(statement)) replaceTypeSpecifiers(editor, statement, typeEdits.specifiers);
    }
    if (!declaring.has(file.path)) for (const { start, end, text } of typeEdits.queries) editor.edits.overwrite(start, end, text);
    const known = byFile.get(file.path);
    byFile.set(file.path, known ? { specifiers: new Map([...known.specifiers, ...typeEdits.specifiers]), queries: [...known.queries, ...typeEdits.queries] } : typeEdits);
  }
  return byFile;
}

/**
 * A caller that hands `migrate` some of an app's files (the four it thinks matter) would get a new
 * root layout written over the one it left out: such a set is refused unless declared complete.
 */
function refuseIncompleteFiles(files: ProjectFiles, project: Project): void {
  const paths = [...files.keys()];
  const whole = 'give migrate() every file of the app and pass { complete: true } (or let the CLI read the app: svelte-store-context --dry --json)';
  if (!paths.some((path) => /^(?:svelte|vite)\.config\.[cm]?[jt]s$/.test(path))) {
    throw new Error(`the files given hold no svelte.config.* or vite.config.*, so they may not be the whole app; ${whole}`);
  }
  if (paths.some((path) => path.startsWith(`${project.routesDir}/`)) && !files.has(project.rootLayout)) {
    throw new Error(`the files given hold routes but no ${project.rootLayout}, which the migration would create over the app's own if it has one; ${whole}`);
  }
}

/** `createContext` exists from Svelte 5.40; an app that may install an older Svelte cannot use it. */
function refuseUnsupportedContextStyle(project: Project, files: ProjectFiles, installed: string | undefined): void {
  if (project.contextStyle === 'key-module') return;
  if (project.contextStyle !== 'create-context') throw new Error(`unknown context style "${project.contextStyle}" (known: key-module, create-context)`);
  const [major, minor] = project.svelteVersion ?? [0, 0];
  if (major > 5 || (major === 5 && minor >= 40)) return;
  const range = svelteRange(files);
  const found = installed ? `svelte ${installed} is installed` : `the app's package.json ${range ? `allows svelte ${range}` : 'does not name svelte'}`;
  throw new Error(`--context-style create-context needs Svelte 5.40 or later (for createContext), but ${found}; upgrade it to 5.40 or later or leave out --context-style`);
}

/** `--include` / `--exclude` as one predicate over project-relative paths. */
function pathFilter(include: string[] = [], exclude: string[] = []): (path: string) => boolean {
  const included = include.length > 0 ? picomatch(include, { dot: true }) : () => true;
  const excluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  return (path) => included(path) && !excluded(path);
}

function blockOnUnparsableRootLayout(index: SourceIndex, plans: ModulePlan[]): void {
  const path = index.project.rootLayout;
  if (!index.files.has(path) || index.get(path)) return;
  const error = index.holdBack(path);
  const why = error ? `${whyNotParsed(error)}, so the init calls cannot be added; fix it and run again` : 'is excluded by --ignore-pattern, so the init calls cannot be added to it; stop ignoring it and run again';
  for (const plan of plans) plan.blockers.push({ file: path, line: error?.line ?? 1, column: error?.column ?? 1, reason: `the root layout ${why}` });
}
