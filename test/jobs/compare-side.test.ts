// The comparison on two threads (the new scan's side on a real worker thread, from dist/)
// gives exactly what the one-thread compareScans gives: the result JSON, both distance maps
// and the meshes, bit for bit — on generated pairs with borders the other scan does not
// reach, with the registration, without it, and with the old scan's tree from the cache.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCompareSide } from '../../src/jobs/compare-side.js';
import { compareScans, compareScansWith, type CompareOptions, type Comparison } from '../../src/mesh/analysis/compare.js';
import { serializeFlatBvh } from '../../src/mesh/bvh/flat-bvh-cache.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { readMesh } from '../../src/mesh/read/index.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { addNoise, cut, longAxis, moved, pushPatch, randomMotion } from '../mesh/analysis/ground-truth.js';
import { borderPair } from '../mesh/analysis/height-field.js';
import { tempDir } from '../helpers/temp.js';

/** The new scan as the file the side reads (an STL: a triangle soup it welds), and as this thread reads it. */
async function asFile(mesh: IndexedMesh): Promise<{ bytes: Uint8Array; mesh: IndexedMesh }> {
  const bytes = writeStlBinary(mesh);
  return { bytes, mesh: (await readMesh({ bytes, name: 'new.stl' })).mesh };
}

/** Both paths on the same pair; the side gets its own copy of the file's bytes. */
async function bothWays(old: IndexedMesh, fresh: IndexedMesh, options: CompareOptions = {}): Promise<{ one: Comparison; two: Comparison; stages: string[] }> {
  const file = await asFile(fresh);
  const one = compareScans(old, file.mesh, options);
  const stages: string[] = [];
  const fractions: number[] = [];
  const side = startCompareSide({ name: 'new.stl', bytes: file.bytes.slice().buffer, siblings: {} });
  try {
    const two = await compareScansWith(old, side, {
      ...options,
      onProgress: (f, stage) => {
        fractions.push(f);
        if (stages.at(-1) !== stage) stages.push(stage);
      },
    });
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], `progress went back: ${fractions[i - 1]} → ${fractions[i]}`);
    assert.equal(fractions.at(-1), 1);
    return { one, two, stages };
  } finally {
    await side.close();
  }
}

/** Bit for bit, NaN where NaN. */
function sameBits(a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }, b: typeof a, what: string): void {
  assert.equal(a.byteLength, b.byteLength, `${what}: length`);
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  assert.ok(Buffer.compare(x, y) === 0, `${what}: the two paths differ`);
}

function assertSame(one: Comparison, two: Comparison): void {
  assert.equal(JSON.stringify(two.result), JSON.stringify(one.result));
  sameBits(two.distances, one.distances, 'distances (new → old)');
  sameBits(two.backDistances, one.backDistances, 'back distances (old → new)');
  sameBits(two.current.positions, one.current.positions, 'aligned new scan');
  sameBits(two.current.indices, one.current.indices, 'new scan triangles');
  sameBits(two.previous.positions, one.previous.positions, 'old scan');
  assert.equal(two.treeFromCache, one.treeFromCache);
}

test('a pair with borders the other scan does not reach: the same result, maps and meshes on two threads as on one', async () => {
  const { old, fresh } = borderPair(60_000, 0.3);
  const { one, two, stages } = await bothWays(old, fresh);
  assertSame(one, two);
  // The comparison is a real one: both maps have points without counterpart, the bump shows.
  assert.ok(one.distances.some(Number.isNaN) && one.distances.some((d) => !Number.isNaN(d)));
  assert.ok(one.backDistances.some(Number.isNaN) && one.backDistances.some((d) => !Number.isNaN(d)));
  assert.ok(one.result.overlap < 0.99 && one.result.back.overlap < 0.99);
  assert.ok(Math.abs(one.result.stats.maxOut - 0.3) < 0.03, `maxOut ${one.result.stats.maxOut}`);
  assert.ok(Math.abs(one.result.back.stats.maxOut - 0.3) < 0.05, `back maxOut ${one.result.back.stats.maxOut}`);
  assert.deepEqual(stages.filter((s) => ['prepare', 'deviation', 'deviation back', 'done'].includes(s)), ['prepare', 'deviation', 'deviation back', 'done']);
});

test('a generated tooth cut in two places, a patch pushed, moved: the same on two threads, also without registration and with the cached tree', async () => {
  const whole = generateToothMesh(120_000, 5);
  const { axis, center, length } = longAxis(whole);
  const old = cut(whole, axis, center, -0.1 * length).mesh;
  const trimmed = cut(whole, axis, center, 0.05 * length).mesh;
  const fresh = moved(addNoise(pushPatch(trimmed, 500, 1.5, 0.25).mesh, 0.01, 3), randomMotion(3, 12, 3, center));
  const registered = await bothWays(old, fresh);
  assertSame(registered.one, registered.two);
  assert.ok(registered.one.result.residualMm < 0.03, `residual ${registered.one.result.residualMm}`);
  const [patch] = registered.one.result.regions;
  assert.ok(patch.sign === 1 && Math.abs(patch.maxMm - 0.25) < 0.05, JSON.stringify(registered.one.result.regions));

  const unmoved = await bothWays(old, trimmed, { register: false });
  assertSame(unmoved.one, unmoved.two);
  assert.equal(unmoved.one.result.iterations, 0);

  const previousBvh = serializeFlatBvh(registered.one.previousTree);
  const cached = await bothWays(old, fresh, { previousBvh });
  assertSame(cached.one, cached.two);
  assert.equal(cached.two.treeFromCache, true);
  assert.equal(JSON.stringify(cached.two.result), JSON.stringify(registered.one.result));
});

test('a new scan its thread cannot read fails the comparison with the reader\'s error, and the thread ends', async () => {
  const { old } = borderPair(2_000, 0);
  const side = startCompareSide({ name: 'new.stl', bytes: new TextEncoder().encode('solid broken\n  facet normal 0 0 1\n').buffer, siblings: {} });
  try {
    await assert.rejects(compareScansWith(old, side), (err: Error & { code?: string }) => {
      assert.ok(err.code === 'mesh_rejected' || err.code === 'invalid_input', `code ${err.code}: ${err.message}`);
      return true;
    });
  } finally {
    await side.close();
  }
});

test('the side reading the new scan from its file (cusp compare) gives the same result and maps; a missing file is the reader\'s clear error', async (t) => {
  const { old, fresh } = borderPair(40_000, 0.3);
  const file = await asFile(fresh);
  const dir = tempDir(t);
  writeFileSync(join(dir, 'new.stl'), file.bytes);
  const one = compareScans(old, file.mesh);
  const side = startCompareSide({ path: join(dir, 'new.stl') });
  try {
    assertSame(one, await compareScansWith(old, side));
  } finally {
    await side.close();
  }
  const missing = startCompareSide({ path: join(dir, 'nope.stl') });
  try {
    await assert.rejects(compareScansWith(old, missing), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'invalid_input');
      assert.match(err.message, /^cannot read .*nope\.stl: no such file$/);
      return true;
    });
  } finally {
    await missing.close();
  }
});
