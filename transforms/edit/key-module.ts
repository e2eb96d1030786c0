/**
 * The context key modules: one `Symbol` per migrated store module, shared by its init and get. The
 * app has one; each workspace package with migrated modules has its own.
 */
import { keyModuleFor, type Project } from '../analyse/project.js';
import type { ModulePlan } from '../plan.js';
import { detectStyle, houseStyle, newFileStyle } from '../text.js';
import type { FileEdits } from './file-edits.js';
import { quoted, statement } from './script-edits.js';

export function addContextKeys(edits: FileEdits, plans: ModulePlan[], project: Project): void {
  const byKeyModule = new Map<string, ModulePlan[]>();
  for (const plan of plans) {
    const path = keyModuleFor(project, plan.module.file);
    byKeyModule.set(path, [...(byKeyModule.get(path) ?? []), plan]);
  }
  for (const [path, served] of byKeyModule) addKeys(edits, path, served);
}

function addKeys(edits: FileEdits, path: string, plans: ModulePlan[]): void {
  const existing = edits.files.get(path);
  const settings = edits.index.project.style;
  // A new key module follows the app's settings, else writes like the first store module it serves.
  const style = existing === undefined ? newFileStyle(edits.files.get(plans[0]!.module.file) ?? '', settings, edits.index.project.usualIndent) : detectStyle(existing, houseStyle(edits.index.project));
  const lines = plans.map(({ names }) => statement(style, `export const ${names.key} = Symbol(${quoted(style, names.label)})`));
  if (existing === undefined) {
    edits.create(path, lines.join(style.eol) + style.eol);
    return;
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : style.eol;
  edits.forFile(path).append(separator + lines.join(style.eol) + style.eol);
}
