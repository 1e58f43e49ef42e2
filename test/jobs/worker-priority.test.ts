// A job's thread gives way to the API: runWorker lowers the nice value and scheduling class
// of its own thread only (Linux keeps them per thread), and the daemon's main thread keeps its own.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { INPUT_KEY } from '../../src/jobs/protocol.js';
import { niceHelperThreads, PRIORITY_KEY, schedulingPolicy, threadId, type JobPriority } from '../../src/os/thread-priority.js';
import { WORKER_NICE } from '../../src/jobs/worker-runtime.js';

const runtime = pathToFileURL(fileURLToPath(new URL('../../dist/src/jobs/worker-runtime.js', import.meta.url))).href;

const threadPriority = pathToFileURL(fileURLToPath(new URL('../../dist/src/os/thread-priority.js', import.meta.url))).href;

/** Run a one-job worker through runWorker with `priority` in its workerData; it reports its thread's nice value and scheduling policy. */
async function workerPriority(priority?: JobPriority): Promise<{ nice: number; policy: number }> {
  const source = `import { getPriority } from 'node:os'; import { runWorker } from ${JSON.stringify(runtime)};
import { schedulingPolicy, threadId } from ${JSON.stringify(threadPriority)};
runWorker(async () => ({ result: { nice: getPriority(0), policy: schedulingPolicy(threadId()) } }));`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData: { [INPUT_KEY]: {}, ...(priority ? { [PRIORITY_KEY]: priority } : {}) } });
  const message = await new Promise<{ result?: { nice: number; policy: number }; error?: unknown }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.ok(message.result, `the worker answered ${JSON.stringify(message)}`);
  return message.result;
}

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

test('a job worker runs at nice 10 in the SCHED_IDLE class while the main thread keeps its priority', { skip: process.platform !== 'linux' && 'per-thread priorities are a Linux behaviour' }, async () => {
  const before = getPriority(0);
  const mainPolicy = schedulingPolicy(threadId()!);
  assert.equal(mainPolicy, SCHED_OTHER);
  const idle = await workerPriority();
  assert.deepEqual(idle, { nice: Math.max(before, WORKER_NICE), policy: SCHED_IDLE }, 'the default (jobs.priority idle)');
  const low = await workerPriority('low');
  assert.deepEqual(low, { nice: Math.max(before, WORKER_NICE), policy: SCHED_OTHER }, 'jobs.priority low: niced only');
  assert.equal(getPriority(0), before, 'the main thread was not niced');
  assert.equal(schedulingPolicy(threadId()!), SCHED_OTHER, 'nor moved to another class');
});

test('the helper threads (garbage collection, I/O pool) are lowered to nice 10; the main thread is not', { skip: process.platform !== 'linux' && 'per-thread nice values are a Linux behaviour' }, async () => {
  // Make sure libuv's pool exists, as it does in a daemon that has read a file.
  await readFile(fileURLToPath(import.meta.url));
  const before = getPriority(0);
  const others = () => readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
  assert.ok(others().length >= 4, 'V8 and libuv helper threads exist');
  const lowered = niceHelperThreads();
  assert.ok(lowered >= 4, `lowered ${lowered} threads`);
  for (const tid of others()) {
    const nice = (() => {
      try {
        return getPriority(tid);
      } catch {
        return WORKER_NICE; // ended meanwhile
      }
    })();
    assert.ok(nice >= WORKER_NICE, `thread ${tid} at nice ${nice}`);
  }
  assert.equal(getPriority(0), before, 'the main thread keeps its priority');
  assert.equal(niceHelperThreads(), 0, 'a second call finds nothing left to lower');
});
