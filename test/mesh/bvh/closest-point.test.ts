import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Vector3 } from 'three';
import { MeshBVH } from 'three-mesh-bvh';
import { buildFlatBvh } from '../../../src/mesh/bvh/flat-bvh.js';
import { meshGeometry } from '../../../src/mesh/bvh/build.js';
import { ClosestHit, ClosestPointQuery, Feature, closestOnTriangle } from '../../../src/mesh/bvh/closest-point.js';
import { mulberry32 } from '../../../src/mesh/analysis/surface-samples.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { tooth } from '../analysis/ground-truth.js';
import { grid } from '../report/shapes.js';

/** The closest distance to any triangle, by testing every one. */
function bruteForce(mesh: IndexedMesh, x: number, y: number, z: number): number {
  const corners = new Float32Array(9);
  let best = Infinity;
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    for (let k = 0; k < 3; k++) corners.set(mesh.positions.subarray(3 * mesh.indices[3 * t + k], 3 * mesh.indices[3 * t + k] + 3), 3 * k);
    best = Math.min(best, closestOnTriangle(corners, 0, x, y, z));
  }
  return Math.sqrt(best);
}

/** Seeded query points: near the surface (vertices pushed off by up to 1 mm) and far (the box grown by half). */
function queries(mesh: IndexedMesh, count: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const p = mesh.positions;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i++) {
    lo[i % 3] = Math.min(lo[i % 3], p[i]);
    hi[i % 3] = Math.max(hi[i % 3], p[i]);
  }
  const out: number[][] = [];
  for (let s = 0; s < count; s++) {
    if (s % 2 === 0) {
      const v = Math.floor(random() * (p.length / 3));
      out.push([0, 1, 2].map((k) => p[3 * v + k] + (random() - 0.5) * 2));
    } else {
      out.push([0, 1, 2].map((k) => lo[k] - (hi[k] - lo[k]) / 2 + random() * 2 * (hi[k] - lo[k])));
    }
  }
  return out;
}

test('closest distances on a real tooth equal brute force over every triangle, and three-mesh-bvh', { skip: !hasCorpus() }, () => {
  const mesh = tooth('openfulljaw_P26_mandible_tooth24_incisor.stl');
  const query = new ClosestPointQuery(buildFlatBvh(mesh));
  const reference = new MeshBVH(meshGeometry(mesh));
  const hit = new ClosestHit();
  const target = { point: new Vector3(), distance: 0, faceIndex: 0 };
  for (const [x, y, z] of queries(mesh, 300, 1)) {
    assert.ok(query.closest(x, y, z, Infinity, -1, hit));
    const d = Math.sqrt(hit.distanceSq);
    assert.ok(Math.abs(d - bruteForce(mesh, x, y, z)) < 1e-6, `at ${x} ${y} ${z}: ${d}`);
    reference.closestPointToPoint(new Vector3(x, y, z), target as never);
    assert.ok(Math.abs(d - target.distance) < 1e-4);
    // The point returned is that far away.
    assert.ok(Math.abs(Math.hypot(x - hit.x, y - hit.y, z - hit.z) - d) < 1e-9);
  }
});

test('a hint changes the speed, not the answer, and a range cuts far points off', { skip: !hasCorpus() }, () => {
  const mesh = tooth('openfulljaw_P26_maxilla_tooth08_incisor.stl');
  const bvh = buildFlatBvh(mesh);
  const query = new ClosestPointQuery(bvh);
  const a = new ClosestHit();
  const b = new ClosestHit();
  const random = mulberry32(5);
  for (const [x, y, z] of queries(mesh, 300, 2)) {
    query.closest(x, y, z, Infinity, -1, a);
    const hint = Math.floor(random() * bvh.triangles.length);
    query.closest(x, y, z, Infinity, hint, b);
    assert.equal(b.distanceSq, a.distanceSq);
    const d = Math.sqrt(a.distanceSq);
    assert.equal(query.closest(x, y, z, d * 0.999, hint, b), false);
    assert.equal(b.slot, -1);
    assert.equal(query.closest(x, y, z, d * 1.001, -1, b), true);
  }
});

test('the closest feature is named: face inside, edge beside, corner beyond', () => {
  const corners = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  const flat = buildFlatBvh({ positions: corners, indices: new Uint32Array([0, 1, 2]) });
  const query = new ClosestPointQuery(flat);
  const hit = new ClosestHit();
  const cases: [number[], number, number][] = [
    [[0.2, 0.2, 1], Feature.face, 1],
    [[0.5, -1, 0], Feature.edgeAB, 1],
    [[1, 1, 0], Feature.edgeBC, Math.SQRT1_2],
    [[-2, 0.5, 0], Feature.edgeCA, 2],
    [[-1, -1, 0], Feature.vertexA, Math.SQRT2],
    [[3, 0, 0], Feature.vertexB, 2],
    [[0, 2, 2], Feature.vertexC, Math.sqrt(5)],
  ];
  for (const [[x, y, z], feature, distance] of cases) {
    query.closest(x, y, z, Infinity, -1, hit);
    assert.equal(hit.feature, feature, `${x} ${y} ${z}`);
    assert.ok(Math.abs(Math.sqrt(hit.distanceSq) - distance) < 1e-12);
  }
});

test('a flat grid: every point above it is straight above its closest point', () => {
  const mesh = grid(30, 30, 0.5);
  const query = new ClosestPointQuery(buildFlatBvh(mesh));
  const hit = new ClosestHit();
  const random = mulberry32(3);
  for (let s = 0; s < 200; s++) {
    const x = random() * 15, y = random() * 15, z = (random() - 0.5) * 4;
    query.closest(x, y, z, Infinity, -1, hit);
    assert.ok(Math.abs(hit.x - x) < 1e-9 && Math.abs(hit.y - y) < 1e-9 && Math.abs(hit.z) < 1e-9);
    assert.ok(Math.abs(Math.sqrt(hit.distanceSq) - Math.abs(z)) < 1e-9);
  }
});

test('an empty mesh has no closest point', () => {
  const query = new ClosestPointQuery(buildFlatBvh({ positions: new Float32Array(0), indices: new Uint32Array(0) }));
  const hit = new ClosestHit();
  assert.equal(query.closest(0, 0, 0, Infinity, -1, hit), false);
  assert.equal(hit.slot, -1);
});
