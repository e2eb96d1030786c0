/**
 * Preloaded with `node --import` into each process the benchmark measures, and into the processes
 * those fork (they inherit the flag): on exit, appends "<pid> <peak RSS in KiB>" to the file named
 * by BENCH_RSS_FILE. Node's own resourceUsage() works wherever Node does, unlike GNU time, and
 * gives each forked process on its own line. Worker threads share their process's RSS, so only
 * the main thread reports.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_RSS_FILE;
if (file && isMainThread) {
  process.on('exit', () => appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`));
}
