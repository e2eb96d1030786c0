/**
 * Preloaded with `node --import` into each process the benchmark measures, and into the processes
 * those fork (they inherit the flag): on exit, appends "<pid> <peak RSS KiB> <CPU µs>" to the file
 * named by BENCH_USAGE_FILE. Node's own resourceUsage() works wherever Node does, unlike GNU time,
 * and gives each forked process on its own line. Worker threads share their process's figures,
 * so only the main thread reports.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_USAGE_FILE;
if (file && isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${process.pid} ${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
}
