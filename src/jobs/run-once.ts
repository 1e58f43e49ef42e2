/**
 * One-off work on the warm pool, outside the job queue and its concurrency limit (the
 * ingest's try-read: short, and it must not wait behind long analyses). Nothing is written
 * to the database: the caller gets the worker's result, or a CuspError with the worker's
 * code and message.
 */
import { CuspError } from '../errors.js';
import { JOB_WORKERS, type JobKind, type ResultOf } from './kinds.js';
import type { JobInput, WorkerMessage } from './protocol.js';
import type { Warm, WorkerPool } from './worker-pool.js';

export interface RunOnceOptions {
  timeoutMs: number;
  /** The workers' heap limit, named in the message when one runs out of memory. */
  workerHeapMb: number;
}

/** Run `kind`'s worker once on `pool` with `input`; resolves with its result. */
export async function runOnce<K extends JobKind>(pool: WorkerPool, kind: K, input: Omit<JobInput<K>, 'jobId' | 'kind'>, { timeoutMs, workerHeapMb }: RunOnceOptions): Promise<ResultOf<K>> {
  const worker = JOB_WORKERS[kind];
  let warm: Warm;
  try {
    warm = pool.acquire(worker);
  } catch (err) {
    throw new CuspError('internal', `could not start the ${worker} worker: ${(err as Error).message}`);
  }
  let detach = () => {};
  try {
    return await new Promise<ResultOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        warm.spent = true;
        reject(new CuspError('unavailable', `${worker} timed out after ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const done = (fn: () => void, healthy = false) => {
        clearTimeout(timer);
        if (!healthy) warm.spent = true;
        fn();
      };
      const onMessage = (msg: WorkerMessage<ResultOf<K>>) => {
        if ('result' in msg) done(() => resolve(msg.result), true);
        else if ('error' in msg) done(() => reject(new CuspError(msg.error.code, msg.error.message)), true);
      };
      const onError = (err: Error & { code?: string }) => done(() => reject(new CuspError('internal',
        err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the ${worker} worker ran out of memory (limit ${workerHeapMb} MB)` : `the ${worker} worker crashed: ${err.message}`)));
      const onExit = (code: number) => done(() => reject(new CuspError('internal', `the ${worker} worker exited (code ${code}) without a result`)));
      detach = pool.post(warm, { ...input, kind, jobId: 0 }, { message: onMessage, error: onError, exit: onExit });
    });
  } finally {
    detach();
    pool.release(warm);
  }
}
