/**
 * The one shape of messages between the dispatcher and its workers (as three-mesh-bvh's
 * workers do): a worker posts `{progress}` while it runs, then exactly one `{result}` or
 * `{error}`. Buffers go in the transfer list, never copied.
 */
import type { ErrorCode } from '../errors.js';
import type { OptionsOf } from './kinds.js';

/** What the main thread hands a worker of kind K (options typed by the registry, kinds.ts). */
export interface JobInput<K extends string = string> {
  jobId: number;
  kind: K;
  /** The scan's original file name (for messages and format detection). */
  name: string;
  /** The file's bytes, transferred. */
  bytes: ArrayBuffer;
  /**
   * A file the worker reads itself instead of `bytes` (then empty): an upload's temp file,
   * which may be 1 GiB — the probe checks it a few MiB at a time (ingest/upload-probe-file.ts).
   */
  path?: string;
  /** Sibling files (an OBJ's .mtl, a glTF's .bin) by relative URI, transferred. */
  siblings: Record<string, ArrayBuffer>;
  /** Kind-specific options (e.g. the inspection profile). */
  options: OptionsOf<K>;
  /** Further meshes a job compares against (`previous` scan, `opposing` jaw), transferred too. */
  inputs?: Record<string, MeshInput>;
  /** Other binary inputs (a cached BVH), transferred too. */
  buffers?: Record<string, ArrayBuffer>;
}

/** One mesh file with its sibling files. */
export interface MeshInput {
  name: string;
  bytes: ArrayBuffer;
  siblings: Record<string, ArrayBuffer>;
}

/** Every buffer of a job input, for the transfer list. */
export function transferables(input: Pick<JobInput<string>, 'bytes' | 'siblings' | 'inputs' | 'buffers'>): ArrayBuffer[] {
  const out = [input.bytes, ...Object.values(input.siblings), ...Object.values(input.buffers ?? {})];
  for (const extra of Object.values(input.inputs ?? {})) out.push(extra.bytes, ...Object.values(extra.siblings));
  return out;
}

export interface ProgressMessage {
  progress: { fraction: number; stage: string };
}

export interface ResultMessage<R = unknown> {
  result: R;
}

export interface ErrorMessage {
  error: {
    code: ErrorCode;
    message: string;
    /** False for a verdict on the input (a rejected file): retrying cannot help. */
    retryable: boolean;
  };
}

export type WorkerMessage<R = unknown> = ProgressMessage | ResultMessage<R> | ErrorMessage;

/** The key under which a one-job worker finds its JobInput in workerData. */
export const INPUT_KEY = 'cuspJob';

/** workerData of a warm worker: it waits for JobMessages, one job at a time. */
export const WARM_KEY = 'cuspWarm';

/** A job posted to a warm worker (its buffers in the transfer list). */
export interface JobMessage<K extends string = string> {
  job: JobInput<K>;
}
