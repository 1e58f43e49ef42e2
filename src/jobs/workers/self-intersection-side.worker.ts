/**
 * The second thread of the self-intersection test (see ../self-intersection-side.ts): build
 * the tree of the welded mesh in SharedArrayBuffers, list the leaf pairs, hand both to the
 * caller, then test chunks of leaf pairs from the shared counter until none is left. Not a
 * job of its own: `cusp inspect` starts it beside itself.
 */
import { parentPort } from 'node:worker_threads';
import { isCuspError } from '../../errors.js';
import type { MortonOrder } from '../../mesh/bvh/linear-bvh.js';
import { leafPairCount, listLeafPairs, prepareSelfIntersections, testLeafPairs } from '../../mesh/bvh/self-intersections.js';
import { stlFileMortonOrder } from '../stl-file.js';
import type { ChunkResult, SideMessage, SidePrepare, SideRequest } from '../self-intersection-side.js';

const port = parentPort;
if (!port) throw new Error('self-intersection-side.worker runs in a worker thread');

// Chunks a test is cut into: enough that two threads finish close together, few enough
// that taking one costs nothing (~140k leaf pairs at 1M triangles: ~1100 a chunk).
const CHUNKS = 128;

const post = (message: SideMessage): void => port.postMessage(message);

// The Morton order made from the file named by the last `prepare`, for that file's test.
let prepared: { file: string; order: MortonOrder } | undefined;

port.on('message', (request: SideRequest | SidePrepare) => {
  if ('prepare' in request) {
    prepared = undefined;
    try {
      const order = stlFileMortonOrder(request.prepare);
      if (order) prepared = { file: request.prepare, order };
    } catch {
      // Unreadable here: the caller's own read says why, and the tree is built the usual way.
    }
    return;
  }
  try {
    const presorted = prepared && prepared.file === request.file ? prepared.order : undefined;
    prepared = undefined;
    const mesh = { positions: request.positions, indices: request.indices };
    const tree = prepareSelfIntersections(mesh, request.arena ?? 'shared', presorted);
    const pairs = listLeafPairs(tree, true);
    const count = leafPairCount(pairs);
    const chunkSize = Math.max(1, Math.ceil(count / CHUNKS));
    const chunks = Math.ceil(count / chunkSize);
    post({ tree, pairs, chunks, chunkSize });
    const done: ChunkResult[] = [];
    for (let chunk = Atomics.add(request.next, 0, 1); chunk < chunks; chunk = Atomics.add(request.next, 0, 1)) {
      const from = chunk * chunkSize;
      done.push({ chunk, part: testLeafPairs(tree, pairs, from, Math.min(from + chunkSize, count)) });
    }
    post({ done });
  } catch (err) {
    post(isCuspError(err) ? { error: { code: err.code, message: err.message } } : { error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } });
  }
});
