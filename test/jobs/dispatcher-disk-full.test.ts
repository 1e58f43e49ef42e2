// The dispatcher on a full disk (a real tmpfs, filled with a real file): the progress write
// that crashed the daemon with SQLITE_FULL, and the write of the job's outcome, fail; the
// job waits, unpenalised, and finishes by itself once space is freed. Needs root to mount;
// skipped with a message otherwise. Worker threads run from dist/ (`npm run build`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { EventBus } from '../../src/events/bus.js';
import { JobDispatcher, type JobHandler } from '../../src/jobs/dispatcher.js';
import { isDiskFull } from '../../src/store/disk-space.js';
import { openStore } from '../../src/store/store.js';
import { captureLogging } from '../helpers/logging.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const WORKER_DIR = fileURLToPath(new URL('../fixtures/workers/', import.meta.url));

/** Mount a tmpfs of `size` at `dir`; false (with the reason) when that is not possible here. */
function mountTmpfs(dir: string, size: string): true | string {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch (err) {
    return `cannot mount a tmpfs (needs root): ${(err as Error).message.split('\n')[0]}`;
  }
}

/** Write a file until the disk is full; returns its path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return path;
}

test('SQLITE_FULL from setProgress and finish: the daemon lives, the job waits and finishes once space is back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cusp-disk-full-'));
  const mounted = mountTmpfs(dir, '16m');
  t.after(() => {
    if (mounted === true) execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  if (mounted !== true) {
    t.skip(mounted);
    return;
  }
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  const bus = new EventBus();
  const { logging, lines } = captureLogging();
  const blob = store.blobs.put(Buffer.from([1, 2, 3]));
  const fullErrors: unknown[] = [];
  const handler: JobHandler = {
    kind: 'behave', worker: 'behave',
    prepare: async (job) => ({ name: 'scan.stl', bytes: (await store.blobs.readArrayBuffer(blob.hash))!, siblings: {}, options: job.payload }),
    complete: () => undefined,
    failed: () => undefined,
  };
  const dispatcher = new JobDispatcher({
    store, bus, log: logging.logger('jobs'), handlers: [handler], workerDir: WORKER_DIR,
    concurrency: 1, timeoutMs: 30_000, retryBackoffMs: 10, workerHeapMb: 256, pollMs: 50,
    diskFullRetryMs: 200, onDiskFull: (err) => fullErrors.push(err),
  });
  t.after(async () => {
    await dispatcher.stop();
    store.close();
    await logging.close();
  });
  const job = store.jobs.enqueue('behave', null, { payload: { mode: 'ok' }, maxAttempts: 1 });
  let filler: string | undefined;
  // Fill the disk as soon as the job runs: its progress (every second) and its end are
  // writes that need room in the WAL, which starts over empty.
  bus.on('job.started', () => {
    if (filler) return;
    dbOf(store).pragma('wal_checkpoint(TRUNCATE)');
    filler = fill(dir);
  });
  const states: string[] = [];
  bus.on('job.finished', (e) => states.push(e.state));
  dispatcher.start();

  await until('the dispatcher to wait for disk space', () => dispatcher.waitingForDisk, 30_000);
  assert.ok(fullErrors.length > 0 && fullErrors.every(isDiskFull), 'every write that failed was a full disk');
  // Still running in the database: its outcome could not be written — and nothing else ran.
  assert.equal(store.jobs.get(job.id)?.state, 'running');
  assert.ok(lines().some((l) => l.level === 'warn' && /jobs wait: the disk is full/.test(String(l.msg))), 'said once that jobs wait');

  rmSync(filler!);
  await until('the job to finish after space came back', () => store.jobs.get(job.id)?.state === 'done', 30_000);
  const done = store.jobs.get(job.id)!;
  assert.equal(done.attempts, 1, 'the attempt that met the full disk does not count against maxAttempts (1)');
  assert.equal(dispatcher.waitingForDisk, false);
  assert.ok(lines().some((l) => /jobs go on/.test(String(l.msg))), 'said once that jobs go on');
  assert.equal(lines().filter((l) => /jobs wait: the disk is full/.test(String(l.msg))).length, 1, 'the waiting is logged once, not at every retry');
});
