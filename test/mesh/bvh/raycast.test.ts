import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DoubleSide, Ray, Vector3 } from 'three';
import { MeshBVH } from 'three-mesh-bvh';
import { meshGeometry } from '../../../src/mesh/bvh/build.js';
import { buildFlatBvh } from '../../../src/mesh/bvh/flat-bvh.js';
import { RayHit, RaycastQuery } from '../../../src/mesh/bvh/raycast.js';
import { mulberry32 } from '../../../src/mesh/analysis/surface-samples.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { tooth } from '../analysis/ground-truth.js';
import { cube } from '../report/shapes.js';

/** Nearest hit over every triangle: the plane of each, then inside-or-not by the three edge sides. */
function bruteForce(mesh: IndexedMesh, o: number[], d: number[]): number {
  const p = mesh.positions;
  let best = Infinity;
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    const [a, b, c] = [0, 1, 2].map((k) => [0, 1, 2].map((j) => p[3 * mesh.indices[3 * t + k] + j]));
    const u = b.map((x, j) => x - a[j]);
    const v = c.map((x, j) => x - a[j]);
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const dn = n[0] * d[0] + n[1] * d[1] + n[2] * d[2];
    if (dn === 0) continue;
    const s = (n[0] * (a[0] - o[0]) + n[1] * (a[1] - o[1]) + n[2] * (a[2] - o[2])) / dn;
    if (s <= 0 || s >= best) continue;
    const x = o.map((q, j) => q + s * d[j]);
    const side = (e0: number[], e1: number[]): number => {
      const ex = e1.map((q, j) => q - e0[j]);
      const px = x.map((q, j) => q - e0[j]);
      const cr = [ex[1] * px[2] - ex[2] * px[1], ex[2] * px[0] - ex[0] * px[2], ex[0] * px[1] - ex[1] * px[0]];
      return cr[0] * n[0] + cr[1] * n[1] + cr[2] * n[2];
    };
    if (side(a, b) >= 0 && side(b, c) >= 0 && side(c, a) >= 0) best = s;
  }
  return best;
}

test('first hits on a real tooth equal brute force over every triangle, and three-mesh-bvh', { skip: !hasCorpus() }, () => {
  const mesh = tooth('openfulljaw_P26_mandible_tooth24_incisor.stl');
  const query = new RaycastQuery(buildFlatBvh(mesh));
  const reference = new MeshBVH(meshGeometry(mesh));
  const hit = new RayHit();
  const random = mulberry32(9);
  const p = mesh.positions;
  let hits = 0;
  for (let s = 0; s < 200; s++) {
    // From a point near a vertex, in a random direction: rays that hit and rays that miss.
    const v = Math.floor(random() * (p.length / 3));
    const o = [0, 1, 2].map((k) => p[3 * v + k] + (random() - 0.5) * 4);
    const z = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const d = [Math.sqrt(1 - z * z) * Math.cos(phi), Math.sqrt(1 - z * z) * Math.sin(phi), z];
    const expected = bruteForce(mesh, o, d);
    const found = query.first(o[0], o[1], o[2], d[0], d[1], d[2], 0, Infinity, hit);
    assert.equal(found, expected < Infinity);
    if (!found) continue;
    hits++;
    assert.ok(Math.abs(hit.t - expected) < 1e-5, `ray ${s}: ${hit.t} vs ${expected}`);
    const three = reference.raycastFirst(new Ray(new Vector3(...o), new Vector3(...d)), DoubleSide);
    assert.ok(three && Math.abs(three.distance - hit.t) < 1e-4);
  }
  assert.ok(hits > 50, `only ${hits} rays hit`);
});

test('a ray from inside a cube meets the far wall from behind; tMin and tMax bound the search', () => {
  const mesh = cube(2);
  const query = new RaycastQuery(buildFlatBvh(mesh));
  const hit = new RayHit();
  // Straight up the axis from the bottom face: a zero direction component on two axes.
  assert.ok(query.first(1, 1, 0, 0, 0, 1, 1e-9, Infinity, hit));
  assert.ok(Math.abs(hit.t - 2) < 1e-12);
  assert.equal(hit.front, false, 'the top face is met from inside, its back');
  assert.ok(query.first(1, 1, 3, 0, 0, -1, 0, Infinity, hit));
  assert.ok(Math.abs(hit.t - 1) < 1e-12);
  assert.equal(hit.front, true);
  assert.equal(query.first(1, 1, 3, 0, 0, -1, 0, 0.9, hit), false);
  assert.ok(query.first(1, 1, 3, 0, 0, -1, 1.5, Infinity, hit));
  assert.ok(Math.abs(hit.t - 3) < 1e-12, 'past tMin the bottom face is next');
  assert.equal(query.first(5, 5, 5, 1, 0, 0, 0, Infinity, hit), false);
});
