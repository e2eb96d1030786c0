/**
 * The API a migrated module gains after its `create…()`: the context type, `init…Context()` and
 * `get…Context()`, typed in TypeScript or with JSDoc in JavaScript. Two styles:
 *
 *   key module (default)                     --context-style create-context (Svelte 5.40+)
 *   setContext(CART_CONTEXT, createCart…())  const [getCartContext, setCartContext] = createContext<CartContext>();
 *   getContext<CartContext>(CART_CONTEXT)    setCartContext(createCart…()), getCartContext()
 */
import type { Statement } from '@babel/types';
import { keyModuleFor, type Project } from '../analyse/project.js';
import { importSpecifier } from '../analyse/resolve.js';
import { packageOf } from '../analyse/workspace-packages.js';
import type { ModulePlan } from '../plan.js';
import { unusedName, type CodeStyle } from '../text.js';
import type { ProjectFiles } from '../types.js';
import { namesInUse, quoted, rewriteSpecifierList, statement, type ScriptEditor } from './script-edits.js';

export interface ContextApi {
  /** Top-level declarations that follow `create…()`, each a block of lines. */
  declarations: string[];
  /** Import lines the module needs that it does not have yet. */
  imports: string[];
}

export function contextApi(editor: ScriptEditor, plan: ModulePlan, project: Project, files: ProjectFiles): ContextApi {
  // A workspace package is typed as the package is, whatever the app that reads it.
  const typed = editor.script.lang === 'ts' && (packageOf(project.packages, plan.module.file)?.typescript ?? project.typescript);
  if (project.contextStyle === 'create-context') {
    const svelte = ensureSvelteImports(editor, ['createContext']);
    const setter = unusedName(plan.names.init.replace(/^init/, 'set'), [], namesInUse(editor));
    return { declarations: createContextApi(plan, svelte.locals.createContext!, setter, editor.style, typed), imports: svelte.newImport };
  }
  const svelte = ensureSvelteImports(editor, ['getContext', 'setContext']);
  const keyModule = withModuleExtensionStyle(editor, importSpecifier(plan.module.file, keyModuleFor(project, plan.module.file), project, files));
  const keyImport = statement(editor.style, `import { ${plan.names.key} } from ${quoted(editor.style, keyModule)}`);
  return { declarations: keyModuleApi(plan, svelte.locals, editor.style, typed), imports: [...svelte.newImport, keyImport] };
}

/** `./context-keys.js` in a module that writes its relative imports with `.js` (NodeNext packages). */
function withModuleExtensionStyle(editor: ScriptEditor, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const relative = editor.script.ast.program.body.flatMap((node) => (node.type === 'ImportDeclaration' || ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source) ? [node.source!.value] : [])).filter((source) => source.startsWith('.'));
  return relative.length > 0 && relative.every((source) => /\.js$/.test(source)) ? `${specifier}.js` : specifier;
}

const INIT_DOC = "Creates this module's state for the current request; call it once, in the root layout.";
const GET_DOC = "This request's state; call it at the top level of a component's script.";

function keyModuleApi({ names }: ModulePlan, svelte: Record<string, string>, style: CodeStyle, typed: boolean): string[] {
  const { eol, indent } = style;
  const setCall = statement(style, `return ${svelte.setContext}(${names.key}, ${names.create}())`);
  if (typed) {
    return [
      statement(style, `export type ${names.type} = ReturnType<typeof ${names.create}>`),
      [`/** ${INIT_DOC} */`, `export function ${names.init}(): ${names.type} {`, `${indent}${setCall}`, '}'].join(eol),
      [
        `/** ${GET_DOC} */`,
        `export function ${names.get}(): ${names.type} {`,
        `${indent}${statement(style, `const context = ${svelte.getContext}<${names.type} | undefined>(${names.key})`)}`,
        ...missingContextCheck(names, style),
        '}',
      ].join(eol),
    ];
  }
  return [
    `/** @typedef {ReturnType<typeof ${names.create}>} ${names.type} */`,
    [`/**`, ` * ${INIT_DOC}`, ` * @returns {${names.type}}`, ` */`, `export function ${names.init}() {`, `${indent}${setCall}`, '}'].join(eol),
    [
      `/**`,
      ` * ${GET_DOC}`,
      ` * @returns {${names.type}}`,
      ` */`,
      `export function ${names.get}() {`,
      `${indent}${statement(style, `const context = /** @type {${names.type} | undefined} */ (${svelte.getContext}(${names.key}))`)}`,
      ...missingContextCheck(names, style),
      '}',
    ].join(eol),
  ];
}

/** Svelte's `createContext` makes the key and a getter that throws when no init ran. */
function createContextApi({ names }: ModulePlan, createContext: string, setter: string, style: CodeStyle, typed: boolean): string[] {
  const { eol, indent } = style;
  const pair = `[${names.get}, ${setter}]`;
  const setCall = statement(style, `return ${setter}(${names.create}())`);
  if (typed) {
    return [
      statement(style, `export type ${names.type} = ReturnType<typeof ${names.create}>`),
      statement(style, `const ${pair} = ${createContext}<${names.type}>()`),
      [`/** ${INIT_DOC} */`, `export function ${names.init}(): ${names.type} {`, `${indent}${setCall}`, '}'].join(eol),
      [`/** ${GET_DOC} It throws when no init ran. */`, statement(style, `export { ${names.get} }`)].join(eol),
    ];
  }
  return [
    `/** @typedef {ReturnType<typeof ${names.create}>} ${names.type} */`,
    statement(style, `const ${pair} = /** @type {ReturnType<typeof ${createContext}<${names.type}>>} */ (${createContext}())`),
    [`/**`, ` * ${INIT_DOC}`, ` * @returns {${names.type}}`, ` */`, `export function ${names.init}() {`, `${indent}${setCall}`, '}'].join(eol),
    [`/** ${GET_DOC} It throws when no init ran. */`, statement(style, `export { ${names.get} }`)].join(eol),
  ];
}

/** A component rendered where no init ran (a test, a `mount()`) fails with a sentence saying what to do, not `undefined`. */
function missingContextCheck(names: ModulePlan['names'], style: CodeStyle): string[] {
  const message = `${names.get}(): no ${names.label} context; call ${names.init}() in the root layout first`;
  return [`${style.indent}if (!context) throw new Error(${quoted(style, message)})${style.semicolon ? ';' : ''}`, `${style.indent}${statement(style, 'return context')}`];
}

interface SvelteImports {
  /** The local name of each import asked for. */
  locals: Record<string, string>;
  /** A new `import { … } from 'svelte'` line, when the module had none to extend. */
  newImport: string[];
}

/** Makes `names` from `svelte` available, extending an existing `import … from 'svelte'`. */
function ensureSvelteImports(editor: ScriptEditor, names: string[]): SvelteImports {
  const { script, style } = editor;
  const existing = script.ast.program.body.find(
    (node): node is Extract<Statement, { type: 'ImportDeclaration' }> => node.type === 'ImportDeclaration' && node.source.value === 'svelte' && node.importKind !== 'type',
  );
  const local = (name: string): string | undefined =>
    existing?.specifiers.find((specifier) => specifier.type === 'ImportSpecifier' && specifier.importKind !== 'type' && (specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value) === name)?.local.name;
  const result: SvelteImports = { locals: {}, newImport: [] };
  const missing: string[] = [];
  for (const name of names) {
    const found = local(name);
    if (found) {
      result.locals[name] = found;
      continue;
    }
    const alias = unusedName(name, [], namesInUse(editor));
    result.locals[name] = alias;
    missing.push(alias === name ? name : `${name} as ${alias}`);
  }
  if (missing.length === 0) return result;
  if (existing && existing.specifiers.some((specifier) => specifier.type === 'ImportSpecifier')) {
    const named = existing.specifiers.filter((specifier) => specifier.type === 'ImportSpecifier');
    rewriteSpecifierList(editor, existing, [...named, ...missing]);
  } else {
    result.newImport.push(statement(style, `import { ${missing.join(', ')} } from ${quoted(style, 'svelte')}`));
  }
  return result;
}
