/**
 * Thread priorities: the API's event loop (the main thread) keeps the process's nice value;
 * everything that can wait runs at WORKER_NICE, and job threads by default in Linux's
 * SCHED_IDLE class as well. What Cusp asks of the operating system for its threads: below
 * the job workers and the store's own threads (WAL checkpoint, integrity check) alike.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/**
 * How a job's thread yields to the API (config `jobs.priority`):
 * - 'idle' (default): nice WORKER_NICE and Linux's SCHED_IDLE class. Nice alone lowers a
 *   job's share of a contended core but not how soon a waking thread gets one: the
 *   scheduler (EEVDF here, Linux 6.x) let the niced job finish its slice, and placed the
 *   woken API thread behind the load generator on the other core. A core that runs only
 *   SCHED_IDLE threads counts as idle to the scheduler, and any other thread that wakes
 *   preempts them at once. Measured with `npm run bench -- api` while a worker validated
 *   1M-triangle scans back to back: a 50-scan listing's p99 went from 18.6 to 12.9 ms,
 *   the server's event-loop delay p99 from 7.9 to 3.8 ms. A job still gets every cycle
 *   nothing else wants — on a server that is busy all day with other programs it may wait.
 * - 'low': nice WORKER_NICE only (jobs keep about a tenth of a core against a busy program).
 */
export type JobPriority = 'idle' | 'low';

/** The workerData key under which a job's thread finds its JobPriority. */
export const PRIORITY_KEY = 'cuspPriority';

/** Linux's scheduling policy number of SCHED_IDLE (sched.h). */
const SCHED_IDLE = 5;

/**
 * Lower the calling thread for background work (see JobPriority). There is no Node API to
 * change a thread's scheduling policy, so SCHED_IDLE is set with util-linux's `chrt`
 * (present on every Linux; an unprivileged thread may always move itself down to
 * SCHED_IDLE). What was applied: 'idle', 'nice', or 'none' when the system refused both.
 */
export function lowerThisThread(priority: JobPriority): 'idle' | 'nice' | 'none' {
  let applied: 'idle' | 'nice' | 'none' = 'none';
  try {
    setPriority(0, WORKER_NICE);
    applied = 'nice';
  } catch {
    // A seccomp filter or an exotic kernel may refuse.
  }
  if (priority !== 'idle' || process.platform !== 'linux') return applied;
  const tid = threadId();
  if (tid === undefined) return applied;
  const r = spawnSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
  return r.status === 0 && schedulingPolicy(tid) === SCHED_IDLE ? 'idle' : applied;
}

/** The kernel's id of the calling thread (Linux), from /proc/thread-self. */
export function threadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

/** A thread's scheduling policy (Linux: /proc/<pid>/task/<tid>/stat, field 41), or undefined. */
export function schedulingPolicy(tid: number, pid = process.pid): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[41 - 3]);
  } catch {
    return undefined;
  }
}
