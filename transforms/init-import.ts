/**
 * How the root layout imports a module's init function: the way the app's components already
 * write it when they use an alias (`$lib/stores.js`, `@state/lang`), else through `$lib` or a
 * relative path. A workspace package's module is imported by the package's name, through its entry
 * when the package re-exports it (its barrels re-export the init function too); when no import of
 * the package reaches it, the module cannot be migrated (`packageSpecifier` says so in planning).
 */
import { importSpecifier } from './analyse/resolve.js';
import type { SourceIndex } from './analyse/source-index.js';
import { candidateSpecifiers, packageOf } from './analyse/workspace-packages.js';
import type { ModulePlan } from './plan.js';

export function layoutSpecifier(plan: ModulePlan, index: SourceIndex): string {
  const { project } = index;
  return packageOf(project.packages, plan.module.file)
    ? (packageSpecifier(plan, index) ?? importSpecifier(project.rootLayout, plan.module.file, project, index.files))
    : (mostUsedSpecifier(plan, index, (target) => target === plan.module.file) ?? importSpecifier(project.rootLayout, plan.module.file, project, index.files));
}

/** A bare specifier of the module's workspace package that leads the root layout to the module, if any. */
export function packageSpecifier(plan: ModulePlan, index: SourceIndex): string | undefined {
  const pkg = packageOf(index.project.packages, plan.module.file)!;
  const statefulName = [...plan.module.statefulExports.keys()].find((name) => name !== 'default') ?? 'default';
  const leadsToModule = (target: string) =>
    target === plan.module.file || (packageOf(index.project.packages, target) === pkg && index.resolveExport(target, statefulName)?.module === plan.module.file);
  return (
    mostUsedSpecifier(plan, index, leadsToModule) ??
    candidateSpecifiers(plan.module.file, pkg).find((specifier) => {
      const target = index.resolve(specifier, index.project.rootLayout);
      return target !== undefined && leadsToModule(target);
    })
  );
}

/** The non-relative specifier the module's consumers write most often, among those whose target passes `accept`. */
function mostUsedSpecifier(plan: ModulePlan, index: SourceIndex, accept: (target: string) => boolean): string | undefined {
  const counts = new Map<string, number>();
  for (const use of plan.consumers) {
    const source = use.statement.source;
    const target = index.resolve(source, use.file.path);
    if (source.startsWith('.') || target === undefined || !accept(target)) continue;
    counts.set(source, (counts.get(source) ?? 0) + 1);
  }
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0];
}
