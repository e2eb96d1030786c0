/** A helper of `WrittenFilesPool`: reads written files from each batch it takes, and posts their facts. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readWrittenFile } from '../transforms/verify/written-facts.js';
import { DONE, OPEN, type Batch, type HelperResult } from './written-files-pool.js';

const { state, results } = workerData as { state: Int32Array; results: MessagePort };

parentPort!.on('message', ({ batch, files, next }: Batch) => {
  // The main thread may have closed the batch already, having read every file itself.
  if (Atomics.compareExchange(state, OPEN, batch, -batch) !== batch) return;
  const result: HelperResult = { read: [] };
  try {
    for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) result.read.push([i, readWrittenFile(files[i]!)]);
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  results.postMessage(result);
  Atomics.store(state, DONE, batch);
  Atomics.notify(state, DONE);
});
