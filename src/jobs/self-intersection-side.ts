/**
 * The self-intersection test on two threads, for `cusp inspect`: a second thread builds the
 * tree of the welded mesh while this thread runs the other checks, then both test leaf pairs
 * until none is left. The machine Cusp runs on has two cores or more, and the test is about
 * as long as all the other checks together.
 *
 * Nothing big is copied: the welded mesh goes out in SharedArrayBuffers (the checks' scratch
 * buffers are shared ones in `cusp inspect`, see `useSharedScratch`), the tree and the
 * leaf-pair list come back in SharedArrayBuffers. The leaf pairs are taken in chunks from
 * one shared counter; each chunk's result is kept by its index, and the chunks joined in
 * their order give exactly what the one-thread test gives (`joinParts`).
 *
 * The validate job keeps to one thread: the job pool already runs a job per core.
 */
import { isMainThread, Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CuspError, type ErrorCode } from '../errors.js';
import { joinParts, leafPairCount, testLeafPairs, type SelfIntersectionPart, type SelfIntersections, type SelfIntersectionTree } from '../mesh/bvh/self-intersections.js';
import type { IndexedMesh } from '../mesh/mesh.js';

/**
 * Asked ahead of a test: the Morton order of the binary STL at `path`, made from the file
 * while this thread welds it (see `stlMortonOrder`); the test of that file's mesh then
 * starts its tree at the splits.
 */
export interface SidePrepare {
  prepare: string;
}

/** What the thread is asked: one welded mesh, and the counter of chunks taken. */
export interface SideRequest {
  /** The file the mesh was read from, as given to `prepare` (its order is used only then). */
  file?: string;
  positions: Float32Array;
  indices: Uint32Array;
  /** [0]: the next chunk to take (Atomics). */
  next: Int32Array;
  /** Memory whose contents are no longer needed, for the tree (see `LinearBvhMemory`). */
  arena?: SharedArrayBuffer;
}

/** A chunk's result. */
export interface ChunkResult {
  chunk: number;
  part: SelfIntersectionPart;
}

/** Messages from the thread, one shape each. */
export type SideMessage =
  | { tree: SelfIntersectionTree; pairs: Uint32Array; chunks: number; chunkSize: number }
  | { done: ChunkResult[] }
  | { error: { code: ErrorCode; message: string } };

/** A running side; `close` must be called by every caller. */
export interface SelfIntersectionSide {
  /**
   * Start on the tree of the binary STL at `file` (its Morton order, from the file) while
   * this thread reads and welds it; `find` of that file's mesh then uses it. Anything that
   * goes wrong here only means the tree is built the usual way.
   */
  prepare(file: string): void;
  /**
   * The self-intersection test of a welded mesh, shared with this thread when it awaits.
   * `arena`: memory whose contents the caller no longer needs (the file's bytes once read),
   * which the tree may overwrite instead of taking new pages.
   */
  find(welded: IndexedMesh, arena?: SharedArrayBuffer, file?: string): Promise<SelfIntersections>;
  /** End the thread. */
  close(): Promise<void>;
}

/**
 * Start the thread now, so that it has loaded its code by the time the mesh is welded.
 * Undefined where no thread can be started (see `canStartSide`): then the caller tests on
 * its own thread, with the same result.
 */
export function startSelfIntersectionSide(workerFile = selfIntersectionWorkerFile()): SelfIntersectionSide | undefined {
  if (!canStartSide() || !existsSync(workerFile)) return undefined;
  const worker = new Worker(workerFile);
  // The thread keeps the process alive only while a test waits for it: a command that is
  // done exits without waiting for the thread to end.
  worker.unref();
  let listener: ((m: SideMessage) => void) | undefined;
  let failure: Error | undefined;
  const failed = (err: Error): void => {
    failure ??= err;
    listener?.({ error: { code: 'internal', message: failure.message } });
  };
  worker.on('message', (m: SideMessage) => listener?.(m));
  worker.on('error', failed);
  worker.on('exit', () => failed(new CuspError('internal', "the self-intersection test's second thread stopped before it answered")));
  return {
    prepare(file) {
      if (!failure) worker.postMessage({ prepare: file } satisfies SidePrepare);
    },
    async find(welded, arena, file) {
      if (failure) throw failure;
      if (welded.indices.length < 6) return { count: 0, examples: new Uint32Array(0) };
      const next = new Int32Array(new SharedArrayBuffer(4));
      const messages = inbox();
      listener = messages.put;
      worker.ref();
      const request: SideRequest = { positions: shared(welded.positions), indices: shared(welded.indices), next, arena, file };
      worker.postMessage(request);
      try {
        const start = await messages.take();
        if ('error' in start) throw new CuspError(start.error.code, start.error.message);
        if (!('tree' in start)) throw new CuspError('internal', 'the self-intersection thread answered out of order');
        // This thread joins in: chunks from the same counter until none is left.
        const tree: SelfIntersectionTree = start.tree;
        const mine: ChunkResult[] = [];
        for (let chunk = Atomics.add(next, 0, 1); chunk < start.chunks; chunk = Atomics.add(next, 0, 1)) {
          const from = chunk * start.chunkSize;
          mine.push({ chunk, part: testLeafPairs(tree, start.pairs, from, Math.min(from + start.chunkSize, leafPairCount(start.pairs))) });
        }
        const end = await messages.take();
        if ('error' in end) throw new CuspError(end.error.code, end.error.message);
        if (!('done' in end)) throw new CuspError('internal', 'the self-intersection thread answered out of order');
        return joinChunks([...mine, ...end.done], start.chunks);
      } finally {
        listener = undefined;
        worker.unref();
      }
    },
    async close() {
      listener = undefined;
      await worker.terminate();
    },
  };
}

/** The parts in chunk order; every chunk must be there once. */
export function joinChunks(results: ChunkResult[], chunks: number): SelfIntersections {
  const parts: SelfIntersectionPart[] = new Array(chunks);
  for (const r of results) parts[r.chunk] = r.part;
  for (let k = 0; k < chunks; k++) {
    if (!parts[k]) throw new CuspError('internal', `the self-intersection test lost part ${k} of ${chunks}`);
  }
  return joinParts(parts);
}

/**
 * Whether this thread can start the side. Not from a worker thread of the single executable
 * (as `canStartCompareSide` explains, @yao-pkg/pkg patches `Worker` on the main thread only).
 */
export function canStartSide(): boolean {
  return isMainThread || (process as { pkg?: unknown }).pkg === undefined;
}

/** A copy of `a` in a SharedArrayBuffer (or `a` itself when it is in one already). */
function shared<T extends Float32Array | Uint32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

/** Messages in arrival order, awaited one at a time. */
function inbox(): { put: (m: SideMessage) => void; take: () => Promise<SideMessage> } {
  const queue: SideMessage[] = [];
  let waiting: ((m: SideMessage) => void) | undefined;
  return {
    put(m) {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(m);
      } else {
        queue.push(m);
      }
    },
    take() {
      const m = queue.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => (waiting = resolve));
    },
  };
}

/**
 * The thread's script, beside the job workers: from dist/ when Cusp runs from its TypeScript
 * sources (threads run compiled JavaScript); in the single executable the workers' bundles
 * lie in lib/cusp/workers/ beside the CLI bundle (as compare-side.ts finds its own).
 */
export function selfIntersectionWorkerFile(): string {
  const url = import.meta.url as string | undefined;
  if (!url) return join(__dirname, 'self-intersection-side.worker.js');
  if (url.endsWith('.ts')) {
    const here = fileURLToPath(url);
    return `${here.slice(0, here.lastIndexOf('/src/jobs/'))}/dist/src/jobs/workers/self-intersection-side.worker.js`;
  }
  return fileURLToPath(new URL('./workers/self-intersection-side.worker.js', url));
}
