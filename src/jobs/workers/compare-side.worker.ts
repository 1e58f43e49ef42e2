/**
 * The new scan's side of a comparison (see ../compare-side.ts): read (from its bytes, or its
 * file) and weld the new scan,
 * hand it back in SharedArrayBuffers, prepare it as the back deviation's target, help the
 * registration pair its samples (icp-crew.ts), then measure the old scan against it when
 * the registration's motion arrives. Not a job of its
 * own: the compare job's worker and `cusp compare` start it beside themselves.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCuspError } from '../../errors.js';
import { measureBack, prepareNewScan, type BackRequest } from '../../mesh/analysis/compare.js';
import { helpCrew, type CrewSetup } from '../../mesh/analysis/icp-crew.js';
import type { DistanceTarget } from '../../mesh/analysis/signed-distance.js';
import type { IndexedMesh } from '../../mesh/mesh.js';
import { weldExact } from '../../mesh/weld.js';
import { lowerThisThread } from '../../os/thread-priority.js';
import { shared, type SideData, type SideMessage, type SideRequest } from '../compare-side.js';
import { readScanPath } from '../scan-file.js';
import { readInputFully } from './read-input.js';

const port = parentPort;
if (!port) throw new Error('compare-side.worker runs in a worker thread');
const data = workerData as SideData;
if (data.priority) lowerThisThread(data.priority);

const post = (message: SideMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// Progress of the back pass, a few times a second at most (as runWorker throttles).
let lastProgress = 0;
const progress = (fraction: number): void => {
  const now = Date.now();
  if (now - lastProgress < 250 && fraction < 1) return;
  lastProgress = now;
  post({ progress: fraction });
};

let target: DistanceTarget | undefined;
let request: BackRequest | undefined;
let crew: CrewSetup | undefined;

/** Once the target is ready: help the registration (until it is over), then measure when asked. */
function workWhenReady(): void {
  if (!target) return;
  if (crew) {
    const setup = crew;
    crew = undefined;
    helpCrew(setup);
  }
  if (!request) return;
  const back = measureBack(target, request, progress);
  post({ back }, [back.buffer as ArrayBuffer]);
}

/** The welded mesh with its two big arrays in SharedArrayBuffers; the other per-vertex arrays go across transferred. */
function share(mesh: IndexedMesh): { mesh: IndexedMesh; transfer: ArrayBuffer[] } {
  const out: IndexedMesh = { ...mesh, positions: shared(mesh.positions), indices: shared(mesh.indices) };
  const transfer = new Set<ArrayBuffer>();
  for (const a of [out.normals, out.colors, out.uvs]) if (a && a.buffer instanceof ArrayBuffer) transfer.add(a.buffer);
  return { mesh: out, transfer: [...transfer] };
}

port.on('message', (message: SideRequest) => {
  if ('crew' in message) crew = message.crew;
  else request = message.back;
  try {
    workWhenReady();
  } catch (err) {
    fail(err);
  }
});

function fail(err: unknown): void {
  post(isCuspError(err) ? { error: { code: err.code, message: err.message } } : { error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } });
}

async function run(): Promise<void> {
  const { input } = data;
  const read = 'bytes' in input ? await readInputFully(input)
    : 'path' in input ? await readScanPath(input.path, true)
    : { mesh: input, warnings: [] };
  const welded = share(weldExact(read.mesh).mesh);
  post({ welded: welded.mesh, warnings: read.warnings }, welded.transfer);
  if (welded.mesh.indices.length === 0) return;
  target = prepareNewScan(welded.mesh);
  workWhenReady();
}

run().catch(fail);
