/**
 * The worker side of the protocol: read the job from workerData, run the compute function,
 * post throttled progress and one result or error. Workers compute only: they never open
 * the database and never see the key.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCuspError } from '../errors.js';
import { lowerThisThread, PRIORITY_KEY, WORKER_NICE, type JobPriority } from '../os/thread-priority.js';
import type { ResultOf } from './kinds.js';
import { INPUT_KEY, type JobInput, type JobMessage, type WorkerMessage } from './protocol.js';

export { WORKER_NICE };

export type Report = (fraction: number, stage: string) => void;

/** How often progress is posted at most; the API promises an update at least every 2 s. */
const PROGRESS_INTERVAL_MS = 250;


/**
 * Run `compute` for this worker's jobs. Call once, at the top level of a `*.worker.ts`, with
 * the job kind it serves: `runWorker<'validate'>(…)` types its input's options and its result
 * from the registry (kinds.ts).
 *
 * A worker started with a job in its workerData runs that one job. The dispatcher starts
 * its workers warm instead (WARM_KEY): they wait for `{job}` messages and run one job at a
 * time, for as long as the dispatcher keeps them — starting and ending a thread costs the
 * main thread several milliseconds each time, and a small scan's job less than that.
 */
export function runWorker<K extends string>(compute: (input: JobInput<K>, report: Report) => Promise<{ result: ResultOf<K>; transfer?: ArrayBuffer[] }>): void {
  const port = parentPort;
  if (!port) throw new Error('runWorker must run in a worker thread');
  const data = workerData as Record<string, unknown> | undefined;
  lowerThisThread((data?.[PRIORITY_KEY] as JobPriority | undefined) ?? 'idle');
  const run = (input: JobInput<K>) => {
    let last = 0;
    const report: Report = (fraction, stage) => {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && fraction < 1) return;
      last = now;
      port.postMessage({ progress: { fraction, stage } } satisfies WorkerMessage);
    };
    compute(input, report).then(
      ({ result, transfer }) => port.postMessage({ result } satisfies WorkerMessage<ResultOf<K>>, transfer ?? []),
      (err: unknown) => {
        const message: WorkerMessage = isCuspError(err)
          ? { error: { code: err.code, message: err.message, retryable: err.code !== 'mesh_rejected' && err.code !== 'invalid_input' } }
          : { error: { code: 'internal', message: err instanceof Error ? err.message : String(err), retryable: true } };
        port.postMessage(message);
      },
    );
  };
  // What arrives was built by the main thread against the same registry.
  const first = data?.[INPUT_KEY] as JobInput<K> | undefined;
  if (first) run(first);
  else port.on('message', (msg: JobMessage) => run(msg.job as JobInput<K>));
}

