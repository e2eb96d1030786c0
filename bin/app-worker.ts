/** Worker thread for `--cpus`: runs the app jobs it is sent, one at a time, and posts each result back. */
import { parentPort } from 'node:worker_threads';
import { runApp, type AppJob } from './run-app.js';

parentPort!.on('message', async (job: AppJob) => {
  parentPort!.postMessage(await runApp(job));
});
