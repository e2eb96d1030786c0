/**
 * Worker threads that parse the files a migration would write, for a big app: the main thread and
 * the helpers take files from one shared counter, and only each file's facts come back (never a
 * syntax tree). `migrate` is synchronous, so the main thread waits for its helpers with
 * `Atomics.wait` and takes their results with `receiveMessageOnPort`. A helper that has not
 * started on a batch when the main thread runs out of files is skipped: its files are all read.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { readInThisThread, readWrittenFile, type ReadWrittenFiles, type WrittenFacts, type WrittenFile } from '../transforms/verify/written-facts.js';

/** Below this many files, handing them over costs more than reading them here. */
const MIN_FILES = 200;

/** Slots of a helper's shared state: the batch it may take (negative once taken), the last batch it finished. */
export const OPEN = 0;
export const DONE = 1;

export interface Batch {
  batch: number;
  files: WrittenFile[];
  /** The index of the next file to read, shared by every thread. */
  next: Int32Array;
}

export interface HelperResult {
  read: Array<[number, WrittenFacts]>;
  error?: string;
}

interface Helper {
  worker: Worker;
  state: Int32Array;
  /** Where the helper posts its results; read synchronously. */
  results: MessagePort;
}

export class WrittenFilesPool {
  private helpers: Helper[] | undefined;
  private batches = 0;
  /** How many files the helpers have read so far (the rest were read in this thread). */
  readByHelpers = 0;

  /** `size` helper threads besides the main thread, started when a big app first needs them. */
  constructor(private readonly size: number) {}

  readonly read: ReadWrittenFiles = (files) => {
    if (this.size < 1 || files.length < MIN_FILES) return readInThisThread(files);
    const helpers = (this.helpers ??= Array.from({ length: this.size }, startHelper));
    const batch = ++this.batches;
    const next = new Int32Array(new SharedArrayBuffer(4));
    for (const helper of helpers) {
      Atomics.store(helper.state, OPEN, batch);
      helper.worker.postMessage({ batch, files, next } satisfies Batch);
    }
    const facts: WrittenFacts[] = new Array(files.length);
    for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) facts[i] = readWrittenFile(files[i]!);
    for (const helper of helpers) {
      // Not taken yet (the helper is still starting, or busy with nothing): closed, and not waited for.
      if (Atomics.compareExchange(helper.state, OPEN, batch, 0) === batch) continue;
      for (let done = Atomics.load(helper.state, DONE); done !== batch; done = Atomics.load(helper.state, DONE)) Atomics.wait(helper.state, DONE, done);
      const { read, error } = receiveMessageOnPort(helper.results)!.message as HelperResult;
      if (error) throw new Error(`internal error in a worker thread: ${error}`);
      for (const [i, fileFacts] of read) facts[i] = fileFacts;
      this.readByHelpers += read.length;
    }
    return facts;
  };

  async close(): Promise<void> {
    await Promise.all((this.helpers ?? []).map((helper) => helper.worker.terminate()));
    this.helpers = undefined;
  }
}

function startHelper(): Helper {
  const state = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./written-files-worker.js', import.meta.url), { workerData: { state, results: port2 }, transferList: [port2] });
  // Never what keeps the process alive: the main thread waits for it only while it works.
  worker.unref();
  port1.unref();
  return { worker, state, results: port1 };
}
