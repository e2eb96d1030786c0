/**
 * Verify: the app as it will be after the run, checked as a whole before anything is written.
 * Every written file parses; every import of a changed module still finds its export; no written
 * script declares a name twice or uses a name above its new declaration; every context bundle has
 * unique keys; no migrated module still makes state at module level. Each problem names the modules whose edits caused it, so that they can be held
 * back and the edit phase run again without them.
 */
import { keyModuleFor } from '../analyse/project.js';
import { writtenLayout, type ParsedFile } from '../analyse/parse.js';
import type { SourceIndex } from '../analyse/source-index.js';
import type { ModulePlan } from '../plan.js';
import { lineColumn } from '../text.js';
import type { Blocker } from '../types.js';
import { declarationsBefore } from './declarations.js';
import { leftoverState } from './leftover-state.js';
import { findBrokenLinks, type BrokenLink } from './links.js';
import { bundleKey } from '../analyse/find-stores.js';
import { AppViews } from './views.js';
import { readWrittenFile, type WrittenFacts, type WrittenFile } from './written-facts.js';

export interface VerifyProblem extends Blocker {
  /** The migrating modules whose edits lead to it: they are held back together. */
  culprits: ModulePlan[];
}

export function verifyMigration(index: SourceIndex, output: ReadonlyMap<string, string>, migrating: ModulePlan[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const touching = (path: string) => migrating.filter((plan) => touches(plan, path, index));

  // Every written file is parsed again. The migrated modules keep their trees, checked below; of
  // the rest (the many consumers) only their facts are kept.
  const ignored = new Set(index.ignored);
  const declaring = new Set(migrating.map((plan) => plan.module.file));
  const modules = new Map<string, ParsedFile>();
  const facts = new Map<string, WrittenFacts>();
  for (const [path, text] of output) {
    if (ignored.has(path)) continue;
    const before = index.files.has(path) ? index.get(path) : undefined;
    const file: WrittenFile = { path, text, layout: writtenLayout(text, before), before: declarationsBefore(before) };
    facts.set(path, readWrittenFile(file, declaring.has(path) ? (tree) => modules.set(path, tree) : undefined));
  }

  const parsed = new Map<string, Extract<WrittenFacts, { parsed: true }>>();
  for (const path of output.keys()) {
    const read = facts.get(path);
    if (ignored.has(path)) {
      problems.push({ file: path, line: 1, column: 1, reason: 'the migration would have to edit this file, which --ignore-pattern excludes; stop ignoring it, then run again', culprits: touching(path) });
    } else if (!read!.parsed) {
      problems.push({ ...read!.error, reason: `the migrated file would not parse (${read!.error.reason})`, culprits: touching(path) });
    } else {
      parsed.set(path, read!);
    }
  }
  if (problems.length > 0) return problems;

  const views = new AppViews(index, output, parsed);
  for (const link of findBrokenLinks(index, views)) {
    const origin = index.resolveExport(link.module, link.name);
    const declaring = origin && migrating.find((plan) => plan.module.file === origin.module && plan.module.statefulExports.has(origin.exported));
    const culprits = declaring ? [declaring] : touching(link.module).length > 0 ? touching(link.module) : touching(link.file);
    problems.push({ file: link.file, line: link.line, column: link.column, reason: brokenLinkReason(link, declaring, origin?.exported, whyNotRewritten(link.file, index)), culprits });
  }
  for (const [path, read] of parsed) {
    for (const problem of read.declarationProblems) problems.push({ ...problem, culprits: touching(path) });
  }
  for (const plan of migrating) {
    const after = modules.get(plan.module.file);
    const duplicate = duplicateBundleKey(after, plan);
    if (duplicate) problems.push({ ...duplicate, culprits: [plan] });
    const leftover = after && !after.isComponent ? leftoverState(after, plan, index) : undefined;
    if (leftover) problems.push({ ...leftover, culprits: [plan] });
  }
  return problems;
}

/** What went wrong with an import that would lose its export, and what to do; `declaring` is the migrating module that declared it, if any. */
function brokenLinkReason(link: BrokenLink, declaring: ModulePlan | undefined, exported: string | undefined, notRewritten: string): string {
  const what = `\`${link.name}\` is named here from ${link.module}, which would no longer export it after the migration`;
  if (!declaring) return `${what}; change this import by hand, then run again`;
  if (link.typeOnly) {
    const key = bundleKey(declaring.module, exported!);
    return `${what}; use a type that does not name the store (such as \`Writable<…>\`; after the migration \`${declaring.names.type}['${key}']\`), then run again`;
  }
  return `${what}, and ${notRewritten}; move this use into a component, or pass the value in, then run again`;
}

/** Why the migration leaves a file as it is, for a file importing what moves. */
function whyNotRewritten(path: string, index: SourceIndex): string {
  if (index.ignored.includes(path)) return 'this file is excluded by --ignore-pattern';
  if (!index.inAppScope(path)) return `this file is not the app's own code (not in ${index.project.srcDir}/, nor imported from there), which the migration never edits`;
  return 'this file is not one the migration can rewrite';
}

/** The context bundle `create…()` returns, if it names a key twice. */
function duplicateBundleKey(file: ParsedFile | undefined, plan: ModulePlan): Blocker | undefined {
  const script = file?.scripts[0];
  const create = script?.ast.program.body.find((statement) => statement.type === 'FunctionDeclaration' && statement.id?.name === plan.names.create);
  if (!script || create?.type !== 'FunctionDeclaration') return undefined;
  const returned = create.body.body.findLast((statement) => statement.type === 'ReturnStatement');
  if (returned?.type !== 'ReturnStatement' || returned.argument?.type !== 'ObjectExpression') return undefined;
  const keys = new Set<string>();
  for (const property of returned.argument.properties) {
    if (property.type !== 'ObjectProperty' || property.computed || property.key.type !== 'Identifier') continue;
    if (keys.has(property.key.name)) {
      return { file: file!.path, ...lineColumn(file!.text, script.offset + property.start!), reason: `the context bundle would name \`${property.key.name}\` twice` };
    }
    keys.add(property.key.name);
  }
  return undefined;
}

/** Whether the module's edits reach `path`: its own file, its consumers, barrels, dependencies, the root layout, the key module. */
export function touches(plan: ModulePlan, path: string, index: SourceIndex): boolean {
  return (
    path === index.project.rootLayout ||
    path === keyModuleFor(index.project, plan.module.file) ||
    path === plan.module.file ||
    plan.consumers.some((use) => use.file.path === path) ||
    plan.typeUses.some((use) => use.file.path === path) ||
    plan.dependencies.some((use) => use.plan.module.file === path) ||
    plan.barrels.some((use) => use.file.path === path)
  );
}
