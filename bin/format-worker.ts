/** A helper thread of `formatChanges`: formats the changed files it is sent with the app's Prettier, one at a time. */
import { parentPort } from 'node:worker_threads';
import { formatResult } from './format.js';
import type { RootChange } from './shared-packages.js';

parentPort!.on('message', async ({ root, change }: { root: string; change: RootChange }) => {
  parentPort!.postMessage(await formatResult(root, change));
});
