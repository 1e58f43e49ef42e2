import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { EventBus, type CuspEvents } from '../../src/events/bus.js';
import { JobDispatcher, type JobFailure, type JobHandler } from '../../src/jobs/dispatcher.js';
import type { Job } from '../../src/store/jobs.js';
import { openStore } from '../../src/store/store.js';
import { captureLogging } from '../helpers/logging.js';
import { tempDir } from '../helpers/temp.js';

const WORKER_DIR = fileURLToPath(new URL('../fixtures/workers/', import.meta.url));

function setup(t: TestContext, options: { concurrency?: number; timeoutMs?: number; maxAttempts?: number; workerHeapMb?: number; warmIdleMs?: number } = {}) {
  const store = openStore(join(tempDir(t), 'cusp.db'), randomBytes(32));
  const bus = new EventBus();
  const { logging } = captureLogging();
  const completed = new Map<number, unknown>();
  const failed = new Map<number, JobFailure>();
  const blob = store.blobs.put(Buffer.from([1, 2, 3, 4, 250]));
  const handler: JobHandler = {
    kind: 'behave',
    worker: 'behave',
    prepare: async (job: Job) => ({
      name: 'scan.stl',
      bytes: (await store.blobs.readArrayBuffer(blob.hash))!,
      siblings: { 'scan.mtl': new Uint8Array([7]).buffer },
      options: job.payload,
    }),
    complete: (job, result) => {
      completed.set(job.id, result);
    },
    failed: (job, failure) => failed.set(job.id, failure),
  };
  const dispatcher = new JobDispatcher({
    store, bus, log: logging.logger('jobs'), handlers: [handler], workerDir: WORKER_DIR,
    concurrency: options.concurrency ?? 2, timeoutMs: options.timeoutMs ?? 20_000, retryBackoffMs: 10,
    workerHeapMb: options.workerHeapMb ?? 256, pollMs: 20, warmIdleMs: options.warmIdleMs,
  });
  t.after(async () => {
    await dispatcher.stop();
    store.close();
    await logging.close();
  });
  const enqueue = (mode: string) => store.jobs.enqueue('behave', null, { payload: { mode }, maxAttempts: options.maxAttempts ?? 3 });
  const finished = (jobId: number) => new Promise<CuspEvents['job.finished']>((resolve) => {
    const off = bus.on('job.finished', (e) => {
      if (e.jobId === jobId && e.state !== 'queued') {
        off();
        resolve(e);
      }
    });
  });
  return { store, bus, dispatcher, completed, failed, enqueue, finished };
}

test('a job runs in a worker with the blob transferred, reports progress, and its result is stored', async (t) => {
  const s = setup(t);
  const job = s.enqueue('ok');
  const progress: number[] = [];
  s.bus.on('job.progress', (e) => progress.push(e.progress));
  const done = s.finished(job.id);
  s.dispatcher.start();
  assert.equal((await done).state, 'done');
  assert.deepEqual(s.completed.get(job.id), { length: 5, sum: 260, siblings: ['scan.mtl'] });
  assert.ok(progress.length >= 2 && progress.at(-1) === 1, `progress events: ${progress.join(',')}`);
  assert.equal(s.store.jobs.get(job.id)?.state, 'done');
});

test('a rejected input fails at once without retries; a transient failure is retried then fails with the reason', async (t) => {
  const s = setup(t, { maxAttempts: 2 });
  const rejected = s.enqueue('reject');
  const flaky = s.enqueue('throw');
  const doneRejected = s.finished(rejected.id);
  const doneFlaky = s.finished(flaky.id);
  s.dispatcher.start();
  const [r, f] = await Promise.all([doneRejected, doneFlaky]);
  assert.equal(r.state, 'failed');
  assert.equal(s.store.jobs.get(rejected.id)?.attempts, 1);
  assert.deepEqual(s.failed.get(rejected.id), { code: 'mesh_rejected', message: 'scan.stl is truncated', retryable: false });
  assert.equal(f.state, 'failed');
  assert.equal(s.store.jobs.get(flaky.id)?.attempts, 2);
  assert.equal(s.store.jobs.get(flaky.id)?.error, 'transient failure');
});

test('a worker that exits early or runs out of memory leaves a failed job with the reason, and the dispatcher goes on', async (t) => {
  const s = setup(t, { maxAttempts: 1, workerHeapMb: 64 });
  const exit = s.enqueue('exit');
  const oom = s.enqueue('oom');
  const waits = [s.finished(exit.id), s.finished(oom.id)];
  s.dispatcher.start();
  await Promise.all(waits);
  assert.match(s.store.jobs.get(exit.id)!.error!, /the worker exited \(code 3\) without a result/);
  assert.match(s.store.jobs.get(oom.id)!.error!, /ran out of memory \(limit 64 MB\)/);
  const after = s.enqueue('quick');
  const done = s.finished(after.id);
  s.dispatcher.notify();
  assert.equal((await done).state, 'done', 'the dispatcher still runs jobs after failures');
});

test('a worker that hangs is stopped at the time limit and its job fails with the reason', async (t) => {
  const s = setup(t, { maxAttempts: 1, timeoutMs: 1000 });
  const hang = s.enqueue('hang');
  const done = s.finished(hang.id);
  s.dispatcher.start();
  assert.equal((await done).state, 'failed');
  assert.equal(s.store.jobs.get(hang.id)!.error, 'timed out after 1 s');
});

test('at most `concurrency` workers run at once', async (t) => {
  const s = setup(t, { concurrency: 2 });
  let running = 0;
  let peak = 0;
  s.bus.on('job.started', () => { running++; peak = Math.max(peak, running); });
  s.bus.on('job.finished', () => { running--; });
  const jobs = [1, 2, 3, 4, 5].map(() => s.enqueue('ok'));
  const waits = jobs.map((j) => s.finished(j.id));
  s.dispatcher.start();
  await Promise.all(waits);
  assert.equal(peak, 2);
  assert.equal(s.completed.size, 5);
});

test('cancelling a running job stops its worker; jobs running at stop are queued again for the next start', async (t) => {
  const s = setup(t);
  const hang = s.enqueue('hang');
  const started = new Promise<void>((resolve) => s.bus.on('job.started', (e) => e.jobId === hang.id && resolve()));
  const done = s.finished(hang.id);
  s.dispatcher.start();
  await started;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(s.dispatcher.cancel(hang.id), true);
  assert.equal((await done).state, 'cancelled');
  assert.equal(s.store.jobs.get(hang.id)?.state, 'cancelled');

  const second = s.enqueue('hang');
  const started2 = new Promise<void>((resolve) => s.bus.on('job.started', (e) => e.jobId === second.id && resolve()));
  s.dispatcher.notify();
  await started2;
  await s.dispatcher.stop();
  const job = s.store.jobs.get(second.id)!;
  assert.equal(job.state, 'queued');
  assert.equal(job.attempts, 0, 'an attempt cut short by a stop does not count');
});

test('workers stay warm: jobs one after another run in the same thread; one that exited is replaced; idle ones end', async (t) => {
  const s = setup(t, { concurrency: 1, maxAttempts: 1, warmIdleMs: 400 });
  s.dispatcher.start();
  const run = async (mode: string) => {
    const job = s.enqueue(mode);
    const done = s.finished(job.id);
    s.dispatcher.notify();
    return (await done).state;
  };
  assert.equal(await run('quick'), 'done');
  assert.equal(await run('quick'), 'done');
  assert.equal(await run('reject'), 'failed');
  assert.equal(await run('quick'), 'done');
  assert.deepEqual(s.dispatcher.workers(), { started: 1, idle: 1 }, 'four jobs, one thread: a job that failed with its own error leaves the worker usable');
  assert.equal(await run('exit'), 'failed');
  assert.equal(await run('quick'), 'done');
  assert.equal(s.dispatcher.workers().started, 2, 'a worker that exited is not reused');
  assert.deepEqual(s.completed.size, 4);
  await new Promise((r) => setTimeout(r, 900));
  assert.deepEqual(s.dispatcher.workers(), { started: 2, idle: 0 }, 'an idle worker ends after warmIdleMs');
  assert.equal(await run('quick'), 'done');
  assert.equal(s.dispatcher.workers().started, 3);
});
