/**
 * A small SvelteKit 2 + Svelte 5 TypeScript app whose files mix patterns that broke codemods on
 * real apps: an SCSS root layout that uses a store, an import below its first use, a trailing-slash
 * directory import, module names that collide once camel-cased, two modules with the same file name,
 * a store exported under several names and as default, a module with no semicolons or final newline,
 * `canvas.getContext('2d')` next to a store, a BOM, stores made by `.map()` and by a wrapper call, a
 * lazy runes singleton of a default-imported class, a class with a `subscribe` method, and `writable`
 * re-exported by a local module. Every store module is used by a component, so it really migrates.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Each store module the app holds (relative to the app), with the pattern it stands for. */
export const STORE_MODULES: Record<string, string> = {
  'src/lib/stores/theme.ts': 'used by the root layout, which has <style lang="scss">',
  'src/lib/stores/cart.ts': 'imported below a statement that already uses $cart, and by a unit test and a component test',
  'src/lib/stores/cart-count.ts': "derived from cart's state, and imported by the unit test too",
  'src/lib/components/dialog/index.ts': "imported as '$lib/components/dialog/' (trailing slash)",
  'src/lib/stores/toast-queue.ts': 'same camel-cased name as toastQueue.ts',
  'src/lib/stores/toastQueue.ts': 'same camel-cased name as toast-queue.ts',
  'src/lib/a/user.ts': 'same file name and export as b/user.ts',
  'src/lib/b/user.ts': 'same file name and export as a/user.ts',
  'src/lib/stores/items.ts': 'one store exported as items, cartItems and default',
  'src/lib/stores/one.ts': 'no semicolons, no final newline',
  'src/lib/stores/points.ts': "used next to canvas.getContext('2d') in $effect",
  'src/lib/stores/flag.ts': 'imported by a component that starts with a BOM',
  'src/lib/stores/counters.ts': 'stores made by [1, 2].map((n) => writable(n))',
  'src/lib/stores/wrapped.ts': 'a store made inside a wrapper call',
  'src/lib/auth/session.svelte.ts': 'a lazy singleton of a default-imported $state class',
  'src/lib/stores/counter.ts': 'a module-level instance of a class with a subscribe method',
  'src/lib/stores/prefs.ts': 'writable imported from a local module that re-exports it',
};

const BOM = '\uFEFF';

/** The app's files (POSIX paths relative to its root), all but node_modules. */
export function mixedAppFiles(): Record<string, string> {
  return {
    '.gitignore': 'node_modules\n.svelte-kit\nbuild\n',
    'package.json': `{
	"name": "mixed-app",
	"private": true,
	"version": "0.0.1",
	"type": "module",
	"scripts": {
		"build": "vite build",
		"check": "svelte-kit sync && svelte-check --tsconfig ./tsconfig.json"
	},
	"devDependencies": {
		"@sveltejs/adapter-node": "^5.5.7",
		"@sveltejs/kit": "^2.70.4",
		"@sveltejs/vite-plugin-svelte": "^6.2.4",
		"svelte": "^5.57.3",
		"svelte-check": "^4.7.8",
		"typescript": "^5.9.3",
		"vite": "^7.3.8"
	}
}
`,
    'svelte.config.js': `import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter()
	}
};

export default config;
`,
    'tsconfig.json': `{
	"extends": "./.svelte-kit/tsconfig.json",
	"compilerOptions": {
		"allowJs": true,
		"checkJs": true,
		"esModuleInterop": true,
		"forceConsistentCasingInFileNames": true,
		"resolveJsonModule": true,
		"skipLibCheck": true,
		"sourceMap": true,
		"strict": true,
		"moduleResolution": "bundler"
	}
}
`,
    'vite.config.ts': `import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [sveltekit()]
});
`,
    'src/app.html': `<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		%sveltekit.head%
	</head>
	<body>
		<div style="display: contents">%sveltekit.body%</div>
	</body>
</html>
`,
    'src/app.d.ts': `declare global {
	namespace App {}
}

export {};
`,

    // The root layout uses a store itself and has SCSS: nesting, a variable, a // comment.
    'src/routes/+layout.svelte': `<script lang="ts">
	import { theme } from '$lib/stores/theme';

	let { children } = $props();
</script>

<div class="app" data-theme={$theme}>
	<button class="toggle" onclick={() => theme.update((t) => (t === 'light' ? 'dark' : 'light'))}>theme</button>
	{@render children()}
</div>

<style lang="scss">
	// the gap between everything
	$gap: 1px;

	.app {
		padding: $gap;

		.toggle {
			margin: calc($gap * 2);

			&:hover {
				opacity: 0.5;
			}
		}
	}
</style>
`,
    'src/lib/stores/theme.ts': `import { writable } from 'svelte/store';

export const theme = writable<'light' | 'dark'>('light');
`,
    'src/routes/+page.svelte': `<script lang="ts">
	import CartBadge from '$lib/components/CartBadge.svelte';
	import OpenDialog from '$lib/components/OpenDialog.svelte';
	import Toasts from '$lib/components/Toasts.svelte';
	import Users from '$lib/components/Users.svelte';
	import Items from '$lib/components/Items.svelte';
	import One from '$lib/components/One.svelte';
	import Chart from '$lib/components/Chart.svelte';
	import Flag from '$lib/components/Flag.svelte';
	import Counters from '$lib/components/Counters.svelte';
	import Login from '$lib/components/Login.svelte';
	import Prefs from '$lib/components/Prefs.svelte';
	import CartCount from '$lib/components/CartCount.svelte';
</script>

<CartBadge />
<OpenDialog />
<Toasts />
<Users />
<Items />
<One />
<Chart />
<Flag />
<Counters />
<Login />
<Prefs />
<CartCount />
`,

    // An import in the middle of the script, below a statement that already uses its store.
    'src/lib/components/CartBadge.svelte': `<script lang="ts">
	const count = $derived($cart.length);
	import { cart } from '$lib/stores/cart';

	function add() {
		cart.update((c) => [...c, c.length]);
	}
</script>

<button onclick={add}>{count} in cart</button>
`,
    'src/lib/stores/cart.ts': `import { writable } from 'svelte/store';

export const cart = writable<number[]>([]);
`,
    'src/lib/components/CartCount.svelte': `<script lang="ts">
	import { cartCount } from '$lib/stores/cart-count';
</script>

<span>{$cartCount}</span>
`,
    'src/lib/stores/cart-count.ts': `import { derived } from 'svelte/store';
import { cart } from './cart';

export const cartCount = derived(cart, ($cart) => $cart.length);
`,
    // A unit test of the stores, without a test runner's types: it gets state of its own.
    'src/lib/stores/cart.test.ts': `import { get } from 'svelte/store';
import { cart } from './cart';
import { cartCount } from './cart-count';

cart.set([1, 2]);
if (get(cartCount) !== 2) throw new Error('the cart should hold two items');

// A fresh module, as tests get after resetting modules: it comes with state of its own.
export async function freshCart() {
	const { cart: fresh } = await import('./cart');
	return get(fresh);
}
`,
    // A component test mounting a component that reads the store: it is given the context option.
    'src/lib/components/CartBadge.test.ts': `import { mount } from 'svelte';
import CartBadge from './CartBadge.svelte';

export function mountBadge(target: HTMLElement) {
	return mount(CartBadge, { target });
}
`,

    // A trailing-slash directory import of dialog/index.ts.
    'src/lib/components/OpenDialog.svelte': `<script lang="ts">
	import { openDialog, dialogOpen } from '$lib/components/dialog/';
</script>

<button onclick={openDialog}>open</button>
{#if $dialogOpen}<p>dialog</p>{/if}
`,
    'src/lib/components/dialog/index.ts': `import { writable } from 'svelte/store';

export const dialogOpen = writable(false);

export function openDialog() {
	dialogOpen.set(true);
}
`,

    // Two modules whose names both camel-case to toastQueue, used in one component.
    'src/lib/components/Toasts.svelte': `<script lang="ts">
	import { toasts } from '$lib/stores/toast-queue';
	import { queued } from '$lib/stores/toastQueue';
</script>

<ul>
	{#each $toasts as toast (toast)}<li>{toast}</li>{/each}
</ul>
<p>{$queued.length} queued</p>
`,
    'src/lib/stores/toast-queue.ts': `import { writable } from 'svelte/store';

export const toasts = writable<string[]>([]);
`,
    'src/lib/stores/toastQueue.ts': `import { writable } from 'svelte/store';

export const queued = writable<string[]>([]);
`,

    // Two modules named user.ts, with the same export, both used.
    'src/lib/components/Users.svelte': `<script lang="ts">
	import { user } from '$lib/a/user';
	import { user as admin } from '$lib/b/user';
</script>

<p>{$user ?? 'anonymous'} / {$admin ?? 'no admin'}</p>
`,
    'src/lib/a/user.ts': `import { writable } from 'svelte/store';

export const user = writable<string | null>(null);
`,
    'src/lib/b/user.ts': `import { writable } from 'svelte/store';

export const user = writable<string | null>(null);
`,

    // One store exported under three names, imported by all of them.
    'src/lib/components/Items.svelte': `<script lang="ts">
	import allItems, { items, cartItems } from '$lib/stores/items';
</script>

<button onclick={() => items.update((list) => [...list, list.length])}>add</button>
<p>{$allItems.length} {$items.length} {$cartItems.length}</p>
`,
    'src/lib/stores/items.ts': `import { writable } from 'svelte/store';

const items = writable<number[]>([]);
export { items, items as cartItems };
export { items as default };
`,

    // No semicolons and no final newline.
    'src/lib/components/One.svelte': `<script lang="ts">
	import { one } from '$lib/stores/one';
</script>

<button onclick={() => one.update((n) => n + 1)}>{$one}</button>
`,
    'src/lib/stores/one.ts': "import { writable } from 'svelte/store'\nexport const one = writable(0)",

    // canvas.getContext('2d') is not Svelte's getContext.
    'src/lib/components/Chart.svelte': `<script lang="ts">
	import { points } from '$lib/stores/points';

	let canvas: HTMLCanvasElement | undefined = $state();

	$effect(() => {
		const context = canvas?.getContext('2d');
		if (!context) return;
		context.clearRect(0, 0, 100, 100);
		$points.forEach((point, i) => context.fillRect(i * 10, 100 - point, 8, point));
	});
</script>

<canvas bind:this={canvas} width="100" height="100"></canvas>
`,
    'src/lib/stores/points.ts': `import { writable } from 'svelte/store';

export const points = writable<number[]>([3, 5, 8]);
`,

    // A component that starts with a BOM.
    'src/lib/components/Flag.svelte': `${BOM}<script lang="ts">
	import { flag } from '$lib/stores/flag';
</script>

<label><input type="checkbox" bind:checked={$flag} /> flag</label>
`,
    'src/lib/stores/flag.ts': `import { writable } from 'svelte/store';

export const flag = writable(false);
`,

    // Stores made by .map() and by a wrapper call.
    'src/lib/components/Counters.svelte': `<script lang="ts">
	import { counters } from '$lib/stores/counters';
	import { logged } from '$lib/stores/wrapped';

	const [first, second] = counters;
</script>

<p>{$first} {$second} {$logged}</p>
`,
    'src/lib/stores/counters.ts': `import { writable } from 'svelte/store';

export const counters = [1, 2].map((n) => writable(n));
`,
    'src/lib/stores/wrapped.ts': `import { writable, type Writable } from 'svelte/store';

function withLogging<T>(store: Writable<T>): Writable<T> {
	return {
		...store,
		set(value) {
			console.log('set', value);
			store.set(value);
		},
	};
}

export const logged = withLogging(writable('hello'));
`,

    // A lazy singleton of a $state class, default-exported by another .svelte.ts module.
    'src/lib/components/Login.svelte': `<script lang="ts">
	import { getAuth } from '$lib/auth/session.svelte';

	const auth = getAuth();
</script>

<button onclick={() => auth.signIn('guest')}>{auth.user ?? 'sign in'}</button>
`,
    'src/lib/auth/Auth.svelte.ts': `export default class Auth {
	user = $state<string | null>(null);

	signIn(name: string) {
		this.user = name;
	}
}
`,
    'src/lib/auth/session.svelte.ts': `import Auth from './Auth.svelte';

let instance: Auth | undefined;

export const getAuth = () => (instance ??= new Auth());
`,

    // A class with a subscribe method, instantiated at module level; and writable re-exported locally.
    'src/lib/components/Prefs.svelte': `<script lang="ts">
	import { counter } from '$lib/stores/counter';
	import { prefs } from '$lib/stores/prefs';
</script>

<button onclick={() => counter.increment()}>{$counter}</button>
<label><input type="checkbox" bind:checked={$prefs.compact} /> compact</label>
`,
    'src/lib/stores/counter.ts': `type Run = (value: number) => void;

class Counter {
	#value = 0;
	#runs = new Set<Run>();

	subscribe(run: Run) {
		run(this.#value);
		this.#runs.add(run);
		return () => {
			this.#runs.delete(run);
		};
	}

	increment() {
		this.#value++;
		for (const run of this.#runs) run(this.#value);
	}
}

export const counter = new Counter();
`,
    'src/lib/store-utils.ts': `export { writable } from 'svelte/store';
`,
    'src/lib/stores/prefs.ts': `import { writable } from '$lib/store-utils';

export const prefs = writable({ compact: false });
`,
  };
}

/**
 * Stand-in for the `sass` package, used by svelte-check only (the codemod never runs it): the
 * fixture whose node_modules the app borrows has no sass, and without one vitePreprocess fails on
 * `<style lang="scss">`, so svelte-check reports that instead of checking the root layout. It turns
 * the subset of SCSS the layout uses into CSS Svelte can compile (Svelte 5 accepts nesting): `//`
 * comments and `$name: value;` lines become blank, `$name` becomes its value. Line numbers are kept.
 * A real sass installed in the fixture's node_modules is found first and wins.
 */
const SASS_STAND_IN = String.raw`// Stand-in for sass (see test/mixed-app/generate.ts): only what the generated layout uses.
function compile(source) {
	const variables = new Map();
	return source
		.replace(/(^|[^:\w])\/\/[^\n]*/g, '$1')
		.replace(/^([ \t]*)\$([\w-]+)[ \t]*:[ \t]*([^;\n]+);[ \t]*$/gm, (_line, indent, name, value) => {
			variables.set(name, value.trim());
			return indent;
		})
		.replace(/\$([\w-]+)/g, (whole, name) => variables.get(name) ?? whole);
}

export async function initAsyncCompiler() {
	return {
		async compileStringAsync(source) {
			return { css: compile(source), loadedUrls: [] };
		},
		async dispose() {},
	};
}
`;

/**
 * Writes the app into `<root>/app`, with node_modules a symlink to `nodeModules`, and the sass
 * stand-in into `<root>/node_modules/sass` (outside the app, where Vite still finds it); returns
 * the app's folder.
 */
export function generateMixedApp(root: string, nodeModules: string): string {
  const app = join(root, 'app');
  const files: Record<string, string> = {
    ...Object.fromEntries(Object.entries(mixedAppFiles()).map(([path, text]) => [join(app, path), text])),
    [join(root, 'node_modules/sass/package.json')]: '{ "name": "sass", "version": "0.0.0-stand-in", "type": "module", "exports": "./index.js" }\n',
    [join(root, 'node_modules/sass/index.js')]: SASS_STAND_IN,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  symlinkSync(nodeModules, join(app, 'node_modules'), 'dir');
  return app;
}
