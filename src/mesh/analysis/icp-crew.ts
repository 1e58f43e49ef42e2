/**
 * ICP's pairing on two threads: the registration's closest-point queries, split between the
 * thread that registers (the lead) and a helper thread with nothing else to do meanwhile
 * (the compare's second thread, once the new scan's tree is built).
 *
 * Everything is in shared memory: the fixed scan's tree and borders (copied in once per
 * registration), the samples and every per-sample array of one ICP run, the motion of each
 * iteration. An iteration's samples (in Morton order) are cut into chunks that either
 * thread claims from one shared word (generation << 16 | next chunk) with compare-exchange;
 * the lead claims too, then waits until every claimed chunk is done. A helper that is still
 * busy elsewhere simply claims nothing: the lead pairs everything, as on one thread. Since a
 * sample's answer depends on that sample alone (icp-pairing.ts), the result is the same to
 * the last bit whoever paired which chunk. Chunks are short (~1 ms), so blocking waits
 * (`Atomics.wait`) cost the lead nothing it would not have spent pairing.
 */
import { ClosestHit, ClosestPointQuery } from '../bvh/closest-point.js';
import type { FlatBvh } from '../bvh/flat-bvh.js';
import { CuspError } from '../../errors.js';
import { pairingArrays, pairRange, withSamples, type Pairing, type PairingArrays, type PairingCrew, type PairingRules, type PairingTarget } from './icp-pairing.js';
import type { SurfaceSamples } from './surface-samples.js';

/** What the helper thread is given once (all SharedArrayBuffer-backed; structured-clone it across). */
export interface CrewSetup {
  target: PairingTarget;
  arrays: PairingArrays;
  /** Int32 words: see CLAIM… below. */
  control: Int32Array;
  /** The iteration's motion (16 numbers), then maxDistance, minCos, cap. */
  numbers: Float64Array;
}

// Words of `control`.
const CLAIM = 0; // generation << 16 | next unclaimed chunk
const DONE = 1; // chunks of this generation finished
const COUNT = 2; // samples of this run
const CHUNK = 3; // samples per chunk
const CLOSED = 4; // 1: the registration is over, the helper leaves
const WORDS = 8;
const GENERATIONS = 0x7fff;
const NO_CHUNK = 0xffff;

// Chunks per iteration: enough that the two threads end close together, few enough that
// claiming costs nothing (8000 samples: 125 a chunk, about a millisecond of queries).
const CHUNKS = 64;
const MIN_CHUNK = 32;

// A helper that holds a chunk this long without finishing it is gone (its thread died):
// fail the comparison rather than wait forever. Far beyond any chunk's real time.
const STALLED_MS = 60_000;

/** The lead's side of a crew: `icp`'s `PairingCrew`, and `close` to let the helper go. */
export interface CrewLead extends PairingCrew {
  setup: CrewSetup;
  /** End the registration's use of the helper (it returns from `helpCrew`); idempotent. */
  close(): void;
}

/**
 * A crew for registering onto `target` with runs of at most `capacity` samples: the tree and
 * borders are copied into shared memory now. Give `setup` to the helper thread, which calls
 * `helpCrew(setup)` when it is free; pass the lead as `IcpOptions.crew`; `close` it after.
 */
export function createCrew(target: PairingTarget, capacity: number): CrewLead {
  const setup: CrewSetup = {
    target: { bvh: sharedBvh(target.bvh), borderEdges: sharedCopy(target.borderEdges) },
    arrays: pairingArrays(capacity, (bytes) => new SharedArrayBuffer(bytes)),
    control: new Int32Array(new SharedArrayBuffer(4 * WORDS)),
    numbers: new Float64Array(new SharedArrayBuffer(8 * 19)),
  };
  const { control, numbers } = setup;
  const query = new ClosestPointQuery(setup.target.bvh);
  const hit = new ClosestHit();
  let generation = 0;
  return {
    setup,
    begin(samples: SurfaceSamples, order: Uint32Array, rules: PairingRules): Pairing | undefined {
      const n = order.length;
      if (n > capacity || Atomics.load(control, CLOSED) === 1) return undefined;
      const arrays = withSamples(slice(setup.arrays, n), samples, order);
      const size = Math.max(MIN_CHUNK, Math.ceil(n / CHUNKS));
      return {
        arrays,
        pairAll(m: ArrayLike<number>): void {
          // Everything the helper reads is written before the new claim word publishes it.
          for (let k = 0; k < 16; k++) numbers[k] = m[k];
          numbers[16] = rules.maxDistance;
          numbers[17] = rules.minCos;
          numbers[18] = rules.cap;
          Atomics.store(control, COUNT, n);
          Atomics.store(control, CHUNK, size);
          Atomics.store(control, DONE, 0);
          generation = (generation + 1) & GENERATIONS;
          Atomics.store(control, CLAIM, generation << 16);
          Atomics.notify(control, CLAIM);
          const chunks = Math.ceil(n / size);
          while (claimAndPair(setup, query, hit)) { /* pair chunks until none is left */ }
          waitForChunks(control, chunks);
        },
      };
    },
    close(): void {
      if (Atomics.load(control, CLOSED) === 1) return;
      Atomics.store(control, CLOSED, 1);
      // A new claim word wakes a helper waiting on the old one.
      Atomics.store(control, CLAIM, (((generation + 1) & GENERATIONS) << 16) | NO_CHUNK);
      Atomics.notify(control, CLAIM);
    },
  };
}

/**
 * The helper's side: pair the chunks of every iteration it finds open, sleeping between
 * them, until the lead closes the crew. Blocks this thread meanwhile (its messages wait).
 * Returns how many chunks it paired.
 */
export function helpCrew(setup: CrewSetup): number {
  const { control } = setup;
  const query = new ClosestPointQuery(setup.target.bvh);
  const hit = new ClosestHit();
  let paired = 0;
  while (Atomics.load(control, CLOSED) !== 1) {
    const word = Atomics.load(control, CLAIM);
    if (claimAndPair(setup, query, hit)) paired++;
    else Atomics.wait(control, CLAIM, word);
  }
  return paired;
}

/** Claim one chunk of the open iteration and pair it; false when none is left to claim. */
function claimAndPair(setup: CrewSetup, query: ClosestPointQuery, hit: ClosestHit): boolean {
  const { control, numbers, arrays, target } = setup;
  while (true) {
    const word = Atomics.load(control, CLAIM);
    const chunk = word & 0xffff;
    const n = Atomics.load(control, COUNT);
    const size = Atomics.load(control, CHUNK);
    if (chunk === NO_CHUNK || chunk * size >= n) return false;
    if (Atomics.compareExchange(control, CLAIM, word, word + 1) !== word) continue;
    // The claim word was this iteration's, so COUNT, CHUNK and the numbers are too: the lead
    // changes them only after every chunk of it is done, this one included.
    const rules = { maxDistance: numbers[16], minCos: numbers[17], cap: numbers[18] };
    pairRange(query, hit, target, slice(arrays, n), numbers, rules, chunk * size, Math.min(n, (chunk + 1) * size));
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
    return true;
  }
}

/** Block until `chunks` chunks of this iteration are done (the helper finishing its last ones). */
function waitForChunks(control: Int32Array, chunks: number): void {
  while (true) {
    const done = Atomics.load(control, DONE);
    if (done >= chunks) return;
    if (Atomics.wait(control, DONE, done, STALLED_MS) === 'timed-out' && Atomics.load(control, DONE) === done) {
      throw new CuspError('internal', `the registration's second thread stopped answering (${chunks - done} of ${chunks} chunks not done after ${STALLED_MS / 1000} s)`);
    }
  }
}

/** The first `n` samples' part of each array. */
function slice(a: PairingArrays, n: number): PairingArrays {
  return {
    points: a.points.subarray(0, 3 * n),
    normals: a.normals.subarray(0, 3 * n),
    order: a.order.subarray(0, n),
    hints: a.hints.subarray(0, n),
    p: a.p.subarray(0, 3 * n),
    q: a.q.subarray(0, 3 * n),
    nq: a.nq.subarray(0, 3 * n),
    dist: a.dist.subarray(0, n),
    costs: a.costs.subarray(0, n),
  };
}

function sharedBvh(bvh: FlatBvh): FlatBvh {
  const nodes = bvh.nodes instanceof SharedArrayBuffer ? bvh.nodes : sharedCopy(new Uint8Array(bvh.nodes)).buffer;
  return { nodes: nodes as ArrayBuffer, corners: sharedCopy(bvh.corners), triangles: sharedCopy(bvh.triangles) };
}

function sharedCopy<T extends Float32Array | Uint32Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}
