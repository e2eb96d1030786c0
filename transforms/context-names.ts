/** The names generated for a store module: `cart.ts` gives createCartContext, initCartContext, getCartContext, CartContext, CART_CONTEXT. */
import { posix } from 'node:path';
import type { StoreModule } from './analyse/find-stores.js';
import { keyModuleFor } from './analyse/project.js';
import type { SourceIndex } from './analyse/source-index.js';
import { moduleStem } from './analyse/store-modules.js';
import { identifierNames } from './analyse/ast.js';
import { unusedName } from './text.js';

export interface ContextNames {
  create: string;
  init: string;
  get: string;
  type: string;
  key: string;
  /** The `Symbol()` description. */
  label: string;
}

/**
 * Context names per module: `cart.ts` gives createCartContext, initCartContext, getCartContext,
 * CartContext, CART_CONTEXT. Modules sharing a key module (the app's, or a workspace package's)
 * are named together; a package's names depend on the package alone, so that every app using it
 * rewrites it the same way.
 */
export function nameContexts(modules: StoreModule[], index: SourceIndex): Map<string, ContextNames> {
  const byKeyModule = new Map<string, StoreModule[]>();
  for (const module of modules) {
    const keyModule = keyModuleFor(index.project, module.file);
    byKeyModule.set(keyModule, [...(byKeyModule.get(keyModule) ?? []), module]);
  }
  return new Map([...byKeyModule].flatMap(([keyModule, group]) => [...nameGroup(group, index.files.get(keyModule) ?? '')]));
}

function nameGroup(modules: StoreModule[], keyModuleText: string): Map<string, ContextNames> {
  const stems = new Map(modules.map((module) => [module.file, moduleStem(module.file)]));
  const labels = new Map<string, string>();
  // Two modules whose names would be the same (admin/cart.ts, shop/cart.ts) both take their
  // folder as a prefix; names that still collide (toast-queue.ts, toastQueue.ts) are numbered.
  for (const module of modules) {
    const stem = stems.get(module.file)!;
    const folder = posix.dirname(module.file);
    const shared = modules.some((other) => other !== module && pascalCase(stems.get(other.file)!) === pascalCase(stem) && posix.dirname(other.file) !== folder);
    labels.set(module.file, shared ? `${posix.basename(posix.dirname(module.file))}/${stem}` : stem);
  }
  const takenBases = new Set<string>();
  const takenKeys = new Set<string>();
  const names = new Map<string, ContextNames>();
  for (const module of modules) {
    const base = unusedName(pascalCase(labels.get(module.file)!), [], takenBases);
    takenBases.add(base);
    const inModule = identifierNames(module.script.ast.program);
    const key = unusedName(`${constantCase(base)}_CONTEXT`, [keyModuleText], new Set([...takenKeys, ...inModule]));
    takenKeys.add(key);
    names.set(module.file, {
      create: unusedName(`create${base}Context`, [], inModule),
      init: unusedName(`init${base}Context`, [], inModule),
      get: unusedName(`get${base}Context`, [], inModule),
      type: unusedName(`${base}Context`, [], inModule),
      key,
      label: labels.get(module.file)!,
    });
  }
  return names;
}

function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `Store${pascal}`;
}

function constantCase(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
