/**
 * The verify phase on its own: a migration's output is tampered with in one way at a time, and
 * the check must name the place and the module to hold back. Then, through `migrate`, files the
 * user asked not to read hold back the modules whose names they import.
 */
import { describe, expect, it } from 'vitest';
import { discoverProject } from '../transforms/analyse/project.js';
import { SourceIndex } from '../transforms/analyse/source-index.js';
import { isMigrating, planMigration } from '../transforms/plan.js';
import { migrate } from '../transforms/index.js';
import { verifyMigration } from '../transforms/verify/index.js';
import { declarationsBefore, findDeclarationProblems } from '../transforms/verify/declarations.js';
import { importedExportsFromText } from '../transforms/verify/links.js';
import { parseFile } from '../transforms/analyse/parse.js';

const APP: Record<string, string> = {
  'package.json': JSON.stringify({ devDependencies: { '@sveltejs/kit': '^2.0.0', svelte: '^5.0.0' } }),
  'svelte.config.js': 'export default { kit: {} };\n',
  'tsconfig.json': '{}\n',
  'src/lib/cart.ts': "import { writable } from 'svelte/store';\n\nexport const TAX = 0.2;\nexport const cart = writable<string[]>([]);\n",
  'src/lib/Cart.svelte': "<script lang=\"ts\">\n\timport { cart, TAX } from '$lib/cart';\n\tconst label = 'cart';\n</script>\n\n<p>{label} {$cart.length} {TAX}</p>\n",
  'src/lib/tax.ts': "import { TAX } from './cart';\n\nexport const withTax = (n: number) => n * (1 + TAX);\n",
};

/** The app's index and migrating plans, and the output `migrate` gives for it. */
function migrated(files: Record<string, string> = APP) {
  const map = new Map(Object.entries(files));
  const index = new SourceIndex(map, discoverProject(map, {}));
  const migrating = planMigration(index).modules.filter(isMigrating);
  const output = migrate(map).files;
  return { index, migrating, output };
}

/** Problems as `file:line:column reason` lines, culprits left out. */
const described = (problems: Array<{ file: string; line: number; column: number; reason: string }>) => problems.map(({ file, line, column, reason }) => `${file}:${line}:${column} ${reason}`);

function tampered(output: Map<string, string>, path: string, change: (text: string) => string): Map<string, string> {
  return new Map([...output, [path, change(output.get(path)!)]]);
}

describe('verifyMigration', () => {
  it('passes the untouched output of a migration', () => {
    const { index, migrating, output } = migrated();
    expect(migrating.map((plan) => plan.module.file)).toEqual(['src/lib/cart.ts']);
    expect(verifyMigration(index, output, migrating)).toEqual([]);
  });

  it('holds back the modules that touch a file that would not parse', () => {
    const { index, migrating, output } = migrated();
    const [problem] = verifyMigration(index, tampered(output, 'src/lib/Cart.svelte', (text) => text.replace('const label', 'const label =')), migrating);
    expect(problem).toMatchObject({ file: 'src/lib/Cart.svelte', line: 5, reason: expect.stringMatching(/would not parse/) });
    expect(problem!.culprits.map((plan) => plan.module.file)).toEqual(['src/lib/cart.ts']);
  });

  it('finds an import whose export the migration removed, in a file it did not rewrite', () => {
    const { index, migrating, output } = migrated();
    const problems = verifyMigration(index, tampered(output, 'src/lib/cart.ts', (text) => text.replace('export const TAX', 'const TAX')), migrating);
    expect(problems.map(({ file, line, column }) => `${file}:${line}:${column}`).sort()).toEqual(['src/lib/Cart.svelte:2:27', 'src/lib/tax.ts:1:10']);
    expect(problems[0]!.reason).toMatch(/`TAX` is named here from src\/lib\/cart\.ts, which would no longer export it/);
    expect(problems.every((problem) => problem.culprits[0]?.module.file === 'src/lib/cart.ts')).toBe(true);
  });

  it('does not blame the run for an import that was broken before it', () => {
    const files = { ...APP, 'src/lib/old.ts': "import { gone } from './cart';\n\nexport const x = gone;\n" };
    const { index, migrating, output } = migrated(files);
    expect(verifyMigration(index, output, migrating)).toEqual([]);
  });

  it('finds a name declared twice at the top level of a written file', () => {
    const { index, migrating, output } = migrated();
    // Within one script the parser finds it; across a component's two scripts only this check does.
    const problems = verifyMigration(index, tampered(output, 'src/lib/Cart.svelte', (text) => `<script module lang="ts">\n\texport function cart() {}\n</script>\n\n${text}`), migrating);
    expect(described(problems)).toEqual([expect.stringMatching(/^src\/lib\/Cart\.svelte:\d+:\d+ `cart` would be declared twice/)]);
  });

  it('finds a statement using a name above the line that now declares it', () => {
    const { index, migrating, output } = migrated();
    const moved = tampered(output, 'src/lib/Cart.svelte', (text) => {
      const getter = /\n\tconst \{ cart \} = getCartContext\(\);/.exec(text)![0];
      return text.replace(getter, '').replace("const label = 'cart';", `const label = $cart.length;${getter}`);
    });
    const problems = verifyMigration(index, moved, migrating);
    expect(described(problems)).toEqual([expect.stringMatching(/^src\/lib\/Cart\.svelte:\d+:\d+ this statement uses `cart` before the line that now declares it/)]);
  });

  it('finds state a migrated module would still make at module level', () => {
    const { index, migrating, output } = migrated();
    const problems = verifyMigration(index, tampered(output, 'src/lib/cart.ts', (text) => `${text}\nexport const history = [writable(0)];\n`), migrating);
    expect(described(problems)).toEqual([expect.stringMatching(/^src\/lib\/cart\.ts:\d+:\d+ state would still be made here at module level/)]);
  });

  it('finds a context bundle naming a key twice', () => {
    const { index, migrating, output } = migrated();
    const problems = verifyMigration(index, tampered(output, 'src/lib/cart.ts', (text) => text.replace('return { cart }', 'return { cart, cart }')), migrating);
    expect(described(problems)).toEqual([expect.stringMatching(/^src\/lib\/cart\.ts:\d+:\d+ the context bundle would name `cart` twice$/)]);
  });
});

describe('findDeclarationProblems', () => {
  const component = (script: string): ReturnType<typeof parseFile> => parseFile('src/A.svelte', `<script lang="ts">\n${script}\n</script>\n`);
  it('reports only what the run added', () => {
    const before = component("\tvar a = 1;\n\tvar a = 2;\n\timport { b } from './b';");
    const after = component("\tvar a = 1;\n\tvar a = 2;\n\tconst { b } = get();");
    expect(findDeclarationProblems(after, declarationsBefore(before))).toEqual([]);
  });
  it('counts a component\'s module and instance scripts as one top level', () => {
    const before = parseFile('src/A.svelte', "<script module>\n\texport const x = 1;\n</script>\n<script>\n\timport { y } from './y';\n</script>\n");
    const after = parseFile('src/A.svelte', "<script module>\n\texport const x = 1;\n</script>\n<script>\n\tconst { y, x } = get();\n</script>\n");
    expect(findDeclarationProblems(after, declarationsBefore(before))).toEqual([expect.objectContaining({ line: 5, reason: expect.stringMatching(/`x` would be declared twice/) })]);
  });
  it('finds a name still used, as a value, a store or in a type, whose import the run took away', () => {
    const before = component("\timport { cart } from './cart';\n\timport { colors } from './colors';\n\timport { user } from './user';\n\tlet key: keyof typeof colors;\n\t$cart;\n\tuser.set(1);");
    const after = component("\timport { getColorsContext } from './colors';\n\tlet key: keyof typeof colors;\n\t$cart;\n\tuser.set(1);");
    const reasons = findDeclarationProblems(after, declarationsBefore(before)).map((problem) => problem.reason);
    expect(reasons).toEqual([expect.stringMatching(/^`colors` is used here/), expect.stringMatching(/^`cart` is used here/), expect.stringMatching(/^`user` is used here/)]);
  });
  it("does not count a name bound again (a getter's result, a type-only import) or one that was never declared (a global)", () => {
    const before = component("\timport { cart } from './cart';\n\timport type { Item } from './types';\n\tconsole.log($cart, window);");
    const after = component("\timport { getCartContext } from './cart';\n\timport type { Item } from './types';\n\tconst { cart } = getCartContext();\n\tconsole.log($cart, window);");
    expect(findDeclarationProblems(after, declarationsBefore(before))).toEqual([]);
  });
  it('finds such a name in a statement that spells it with escapes or as `$name`, which the text search before the walk does not see as the word', () => {
    const before = component("\timport { cart } from './cart';\n\timport { user } from './user';\n\tconsole.log(\\u0063art);\n\t$user;");
    const after = component("\timport { getUserContext } from './user';\n\tconsole.log(\\u0063art);\n\t$user;");
    const reasons = findDeclarationProblems(after, declarationsBefore(before)).map((problem) => problem.reason);
    expect(reasons).toEqual([expect.stringMatching(/^`cart` is used here/), expect.stringMatching(/^`user` is used here/)]);
  });
  it('finds a statement that a line put before it swallowed (no semicolons), and not one that only got `export`', () => {
    const before = component("\timport { cart } from './cart'\n\t[1, 2].forEach((n) => console.log(n))\n\tfunction total() {\n\t\treturn 1\n\t}");
    const merged = component("\timport { getCartContext } from './cart'\n\n\tconst { cart } = getCartContext()\n\t[1, 2].forEach((n) => console.log(n))\n\texport function total() {\n\t\treturn 1\n\t}");
    expect(findDeclarationProblems(merged, declarationsBefore(before))).toEqual([
      expect.objectContaining({ line: 4, reason: 'the statement `[1, 2].forEach((n) => console.log(n))` would run into the code the run puts before it (`const { cart } = getCartContext()`), which changes what it does' }),
    ]);
    const apart = component("\timport { getCartContext } from './cart'\n\n\tconst { cart } = getCartContext();\n\t[1, 2].forEach((n) => console.log(n))\n\texport function total() {\n\t\treturn 1\n\t}");
    expect(findDeclarationProblems(apart, declarationsBefore(before))).toEqual([]);
  });
  it('finds such a statement among those moved into create…Context(), where it is indented one level more', () => {
    const module = (code: string) => parseFile('src/lib/cart.ts', code);
    const before = module("import { writable } from 'svelte/store'\nexport const cart = writable(0)\n;[cart].forEach((store) =>\n\tstore.subscribe(() => {}))\n");
    const merged = module("import { writable } from 'svelte/store'\nfunction createCartContext() {\n\tconst cart = writable(0)\n\t[cart].forEach((store) =>\n\t\tstore.subscribe(() => {}))\n\n\treturn { cart }\n}\n");
    expect(findDeclarationProblems(merged, declarationsBefore(before)).map((problem) => `${problem.line} ${problem.reason}`)).toEqual([
      '3 the statement `[cart].forEach((store) =>` would run into the code the run puts before it (`const cart = writable(0)`), which changes what it does',
    ]);
    const apart = module("import { writable } from 'svelte/store'\nfunction createCartContext() {\n\tconst cart = writable(0)\n\t;[cart].forEach((store) =>\n\t\tstore.subscribe(() => {}))\n\n\treturn { cart }\n}\n");
    expect(findDeclarationProblems(apart, declarationsBefore(before))).toEqual([]);
  });
  it('does not count a typeof of a name the statement declares itself (a parameter of create…Context)', () => {
    const before = component("\timport { cart } from './cart';\n\tfunction total(): number { return (cart as typeof cart).length; }");
    const after = component("\timport { getCartContext } from './cart';\n\tfunction createTotalContext({ cart } = getCartContext()) {\n\t\tfunction total(): number { return (cart as typeof cart).length; }\n\t\treturn { total };\n\t}");
    expect(findDeclarationProblems(after, declarationsBefore(before))).toEqual([]);
  });
});

describe('importedExportsFromText', () => {
  it('reads named, default, type and re-exported names from text', () => {
    const text = "import a, { b as c, type d } from './m';\nimport type e from \"./n\";\nexport { f } from './o';\nimport * as g from './p';\n";
    expect(importedExportsFromText(text).map(({ source, name, typeOnly }) => `${source} ${name}${typeOnly ? ' (type)' : ''}`)).toEqual([
      './m default',
      './m b',
      './m d (type)',
      './n default (type)',
      './o f',
    ]);
  });
});

describe("files outside the app's own code", () => {
  it('are never edited, and hold back a module whose moving name they import', () => {
    const files = { ...APP, 'scripts/dump.ts': "import { get } from 'svelte/store';\nimport { cart } from '../src/lib/cart';\n\nconsole.log(get(cart));\n" };
    const { report, files: written } = migrate(files);
    expect(report.storeModules[0]).toMatchObject({
      status: 'blocked',
      blockers: [expect.objectContaining({ file: 'scripts/dump.ts', line: 2, column: 10, reason: expect.stringMatching(/not the app's own code \(not in src\/, nor imported from there\)/) })],
    });
    expect([...written.keys()]).toEqual([]);
  });
});

describe('files the user asked not to read', () => {
  const ignoring = (path: string) => {
    const { [path]: text, ...readable } = APP;
    return migrate(readable, { ignored: [{ file: path, text: text! }] });
  };
  it('hold back a module whose moving name they import, naming the place', () => {
    const { report, files } = ignoring('src/lib/Cart.svelte');
    expect(report.storeModules).toEqual([
      expect.objectContaining({
        file: 'src/lib/cart.ts',
        status: 'blocked',
        blockers: [expect.objectContaining({ file: 'src/lib/Cart.svelte', line: 2, column: 11, reason: expect.stringMatching(/`cart` is named here .* excluded by --ignore-pattern/) })],
      }),
    ]);
    expect([...files.keys()]).toEqual([]);
    expect(report.errors).toEqual([]);
  });
  it('do not hold back a module when they import only names that stay', () => {
    const { report } = ignoring('src/lib/tax.ts');
    expect(report.storeModules.map((module) => module.status)).toEqual(['migrated']);
  });
  it('hold back every module when the root layout is one of them', () => {
    const files = { ...APP, 'src/routes/+layout.svelte': '<slot />\n' };
    const { 'src/routes/+layout.svelte': layout, ...readable } = files;
    const { report } = migrate(readable, { ignored: [{ file: 'src/routes/+layout.svelte', text: layout! }] });
    expect(report.storeModules[0]!.blockers).toEqual([expect.objectContaining({ reason: expect.stringMatching(/root layout is excluded by --ignore-pattern/) })]);
  });
});
