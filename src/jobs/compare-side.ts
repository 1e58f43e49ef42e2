/**
 * The new scan's half of a comparison on a thread of its own (`NewScanSide` of
 * mesh/analysis/compare.ts): the thread reads the new scan from its bytes, welds it,
 * builds its BVH while the caller's thread reads and prepares the old scan and registers,
 * then measures the old scan against it while the caller measures the new one. Used by the
 * compare job (inside its worker thread) and by `cusp compare`.
 *
 * Nothing big is copied twice: the welded new scan comes back in SharedArrayBuffers (the
 * thread keeps reading them for its tree), the old scan's vertices and normals go out in
 * SharedArrayBuffers once, the back distances come back transferred.
 */
import { isMainThread, resourceLimits as ownLimits, Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CuspError, type ErrorCode } from '../errors.js';
import type { BackRequest, NewScanSide } from '../mesh/analysis/compare.js';
import type { CrewSetup } from '../mesh/analysis/icp-crew.js';
import type { IndexedMesh } from '../mesh/mesh.js';
import type { JobPriority } from '../os/thread-priority.js';
import type { MeshInput } from './protocol.js';

/** A scan file the side's thread reads itself (`cusp compare`: its NEW argument). */
export interface ScanFile {
  path: string;
}

/** What the side's thread is started with (workerData). */
export interface SideData {
  /** The new scan as a file's bytes, a file to read, or already read (its two big arrays shared). */
  input: MeshInput | ScanFile | IndexedMesh;
  /** Lower the thread as a job's (`lowerThisThread`); none for a command in the foreground. */
  priority?: JobPriority;
}

/** Messages from the side's thread, one shape each. */
export type SideMessage =
  | { welded: IndexedMesh; warnings: string[] }
  | { progress: number }
  | { back: Float32Array }
  | { error: { code: ErrorCode; message: string } };

/** Messages to the side's thread: help the registration pair its samples, then measure the old scan. */
export type SideRequest = { crew: CrewSetup } | { back: BackRequest };

/** A running side: a `NewScanSide`, the new scan's read warnings, and `close`, which every caller must call. */
export interface CompareSide extends Required<NewScanSide> {
  /** The reader's warnings about the new scan (with the welded mesh). */
  warnings(): Promise<string[]>;
  /** End the thread (at once if it is still working). */
  close(): Promise<void>;
}

/** Options of `startCompareSide`. */
export interface CompareSideOptions {
  priority?: JobPriority;
  /** The thread's heap limit; default the calling worker's own, else 4096 MB (the dispatcher's default). */
  heapMb?: number;
  /** The thread's script (tests); found beside the job workers otherwise. */
  workerFile?: string;
}

/**
 * Start the new scan's side of a comparison on its own thread: from the new scan's bytes
 * (`input`'s buffers are transferred to it), from its path (the thread reads the file: 0.15–0.2 s
 * for a 50 MB STL here, no longer before the old scan's read on the caller's thread), or from
 * a mesh already read: only its positions and indices, what a comparison measures, copied
 * once into SharedArrayBuffers (the caller keeps its own; the comparison's `current` then
 * carries no colours or groups).
 */
export function startCompareSide(input: MeshInput | ScanFile | IndexedMesh, options: CompareSideOptions = {}): CompareSide {
  const file = 'bytes' in input;
  const data: SideData = { input: file || 'path' in input ? input : { positions: shared(input.positions), indices: shared(input.indices) }, priority: options.priority };
  const heapMb = options.heapMb ?? ownLimits.maxOldGenerationSizeMb ?? 4096;
  const script = options.workerFile ?? compareSideWorkerFile();
  if (!existsSync(script)) throw new CuspError('internal', `the comparison's thread script ${script} is missing — run 'npm run build'`);
  const worker = new Worker(script, {
    workerData: data,
    transferList: file ? [input.bytes, ...Object.values(input.siblings)] : [],
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  let failed: Error | undefined;
  let onProgress: ((fraction: number) => void) | undefined;
  const welded = deferred<{ mesh: IndexedMesh; warnings: string[] }>();
  const back = deferred<Float32Array>();
  const fail = (err: Error): void => {
    failed ??= err;
    welded.reject(err);
    back.reject(err);
  };
  worker.on('message', (m: SideMessage) => {
    if ('welded' in m) welded.resolve({ mesh: m.welded, warnings: m.warnings });
    else if ('progress' in m) onProgress?.(m.progress);
    else if ('back' in m) back.resolve(m.back);
    else fail(new CuspError(m.error.code, m.error.message));
  });
  worker.on('error', (err) => fail(err.message.includes('out of memory')
    ? new CuspError('internal', `the comparison's second thread ran out of memory (limit ${heapMb} MB)`, { cause: err })
    : err));
  worker.on('exit', () => fail(new CuspError('internal', "the comparison's second thread stopped before it answered")));
  return {
    welded: async () => (await welded.promise).mesh,
    warnings: async () => (await welded.promise).warnings,
    measureBack(request: BackRequest, progress?: (fraction: number) => void): Promise<Float32Array> {
      if (failed) return Promise.reject(failed);
      onProgress = progress;
      worker.postMessage({ back: { ...request, positions: shared(request.positions), normals: shared(request.normals) } } satisfies SideRequest);
      return back.promise;
    },
    helpRegister(setup: CrewSetup): void {
      if (!failed) worker.postMessage({ crew: setup } satisfies SideRequest);
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Whether this thread can start the side. Not from a worker thread of the single executable:
 * @yao-pkg/pkg starts threads from its snapshot by patching `Worker` on the main thread only
 * (prelude/sea-bootstrap-core.js), so a job's thread there would ask Node for a file that
 * exists only in the snapshot. The compare job then runs on its one thread, as before.
 */
export function canStartCompareSide(): boolean {
  return isMainThread || (process as { pkg?: unknown }).pkg === undefined;
}

/** A copy of `a` in a SharedArrayBuffer (or `a` itself when it is in one already). */
export function shared<T extends Float32Array | Uint32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever awaits it sees the failure; nobody awaiting it is no unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * The side's script, beside the job workers: from dist/ when Cusp runs from its TypeScript
 * sources (threads run compiled JavaScript); in the single executable a job worker is a
 * CommonJS bundle without `import.meta`, and the side's bundle lies in its own folder.
 */
export function compareSideWorkerFile(): string {
  const url = import.meta.url as string | undefined;
  if (!url) return join(__dirname, 'compare-side.worker.js');
  if (url.endsWith('.ts')) {
    const here = fileURLToPath(url);
    return `${here.slice(0, here.lastIndexOf('/src/jobs/'))}/dist/src/jobs/workers/compare-side.worker.js`;
  }
  // dist/src/jobs/ holds workers/; so does the executable's lib/cusp/ beside the CLI bundle.
  // A job worker of dist/ imports this module from dist/src/jobs/ too.
  return fileURLToPath(new URL('./workers/compare-side.worker.js', url));
}
