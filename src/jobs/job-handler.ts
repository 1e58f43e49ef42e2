/**
 * What a job kind does on the main thread around its worker: read the input from the store,
 * store the result, record a failure. Typed per kind by the registry (kinds.ts).
 */
import type { ErrorCode } from '../errors.js';
import type { Job } from '../store/jobs.js';
import type { ResultOf } from './kinds.js';
import type { JobInput } from './protocol.js';

/** Why a job's attempt failed, and whether another attempt could help. */
export interface JobFailure {
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

/** A job's input as its handler prepares it; the queue adds the job's id and kind. */
export type PreparedInput<K extends string> = Omit<JobInput<K>, 'jobId' | 'kind'>;

export interface JobHandler<K extends string = string> {
  kind: K;
  /**
   * Worker script base name (`<worker>.worker.js`); a registered kind's comes from
   * JOB_WORKERS, so only a kind outside the registry (a test's worker) names one.
   */
  worker?: string;
  /**
   * Read what the worker needs (async: big blobs are read a chunk per turn of the event
   * loop). Throwing fails the job (retryable unless a CuspError says otherwise).
   */
  prepare(job: Job): PreparedInput<K> | Promise<PreparedInput<K>>;
  /** Store a result. Runs on the main thread; may enqueue follow-up jobs. */
  complete(job: Job, result: ResultOf<K>): void | Promise<void>;
  /** The job failed for good (not retried). */
  failed(job: Job, failure: JobFailure): void;
}

/**
 * A handler of any kind, as the queue holds them: the queue hands each result only to the
 * handler of the kind whose worker produced it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a handler list mixes kinds; each is typed where it is written
export type AnyJobHandler = JobHandler<any>;
