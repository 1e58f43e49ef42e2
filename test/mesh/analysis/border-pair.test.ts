// Deviation only where both scans have surface: two scans of one surface with their own
// grids and borders, a 0.3 mm bump, a 10° turn and a 3 mm shift — compared both ways,
// checked against brute force and against the geometry the pair was built from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBorders } from '../../../src/mesh/analysis/borders.js';
import { compareScans, type Comparison } from '../../../src/mesh/analysis/compare.js';
import { closestOnTriangle } from '../../../src/mesh/bvh/closest-point.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { borderPair, BUMP as BUMP_AT, bumpHeight } from './height-field.js';

const BUMP = 0.3;
const TRIANGLES = 60_000;

/** The pair, unmoved (both in the old frame, as the truth is stated), and moved. */
const truthPair = borderPair(TRIANGLES, BUMP, false);
const pair = borderPair(TRIANGLES, BUMP);

const borderCache = new WeakMap<IndexedMesh, Uint8Array>();

/** Whether (x, y) lies on the xy-projection of `mesh`, and how far (mm, in xy) from its border. */
function coverage(mesh: IndexedMesh, x: number, y: number): { inside: boolean; toBorder: number } {
  const p = mesh.positions, ix = mesh.indices;
  let inside = false;
  for (let t = 0; t < ix.length && !inside; t += 3) {
    const [a, b, c] = [3 * ix[t], 3 * ix[t + 1], 3 * ix[t + 2]];
    const s1 = (p[b] - p[a]) * (y - p[a + 1]) - (p[b + 1] - p[a + 1]) * (x - p[a]);
    const s2 = (p[c] - p[b]) * (y - p[b + 1]) - (p[c + 1] - p[b + 1]) * (x - p[b]);
    const s3 = (p[a] - p[c]) * (y - p[c + 1]) - (p[a + 1] - p[c + 1]) * (x - p[c]);
    inside = (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  }
  let edges = borderCache.get(mesh);
  if (!edges) borderCache.set(mesh, (edges = findBorders(ix, p.length / 3).triangleEdges));
  let toBorder = Infinity;
  for (let t = 0; t < edges.length; t++) {
    for (let k = 0; k < 3; k++) {
      if (!(edges[t] & (1 << k))) continue;
      const a = 3 * ix[3 * t + k], b = 3 * ix[3 * t + ((k + 1) % 3)];
      const ex = p[b] - p[a], ey = p[b + 1] - p[a + 1];
      const f = Math.max(0, Math.min(1, ((x - p[a]) * ex + (y - p[a + 1]) * ey) / (ex * ex + ey * ey)));
      toBorder = Math.min(toBorder, Math.hypot(x - p[a] - f * ex, y - p[a + 1] - f * ey));
    }
  }
  return { inside, toBorder };
}

/** Distance from a point to `mesh` over every triangle. */
function bruteDistance(mesh: IndexedMesh, x: number, y: number, z: number): number {
  const corners = new Float32Array(9);
  let best = Infinity;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    for (let k = 0; k < 3; k++) corners.set(mesh.positions.subarray(3 * mesh.indices[t + k], 3 * mesh.indices[t + k] + 3), 3 * k);
    best = Math.min(best, closestOnTriangle(corners, 0, x, y, z));
  }
  return Math.sqrt(best);
}

/**
 * Check `count` sampled vertices of `points` (measured against `surface`, values
 * `values`), with `pointsTruth`/`surfaceTruth` the same meshes in the old frame.
 */
function checkSamples(points: IndexedMesh, values: Float32Array, surface: IndexedMesh, pointsTruth: IndexedMesh, surfaceTruth: IndexedMesh, bumpOnPoints: boolean, count: number): { beyond: number; measured: number } {
  let beyond = 0, measured = 0;
  const n = values.length;
  for (let s = 0; s < count; s++) {
    const v = Math.floor(((s + 0.5) * n) / count);
    const [x, y] = [pointsTruth.positions[3 * v], pointsTruth.positions[3 * v + 1]];
    const { inside, toBorder } = coverage(surfaceTruth, x, y);
    const d = values[v];
    if (!inside) {
      beyond++;
      assert.ok(Number.isNaN(d), `vertex ${v} lies ${toBorder.toFixed(3)} mm beyond the other scan's border but reads ${d}`);
      continue;
    }
    if (toBorder < 0.1) continue;
    measured++;
    assert.ok(!Number.isNaN(d), `vertex ${v}, ${toBorder.toFixed(2)} mm inside the other scan's border, has no value`);
    const brute = bruteDistance(surface, points.positions[3 * v], points.positions[3 * v + 1], points.positions[3 * v + 2]);
    assert.ok(Math.abs(Math.abs(d) - brute) < 1e-4, `vertex ${v}: ${d} vs brute force ${brute}`);
    // The truth: the bump's height (along z) bounds the distance; seen from the old scan,
    // the height somewhere near the point.
    const nearBump = Math.hypot(x - BUMP_AT.x, y - BUMP_AT.y) < 1.5 * BUMP_AT.radius + 0.4;
    const bump = bumpOnPoints ? bumpHeight(x, y, BUMP) : nearBump ? BUMP : 0;
    assert.ok(Math.abs(d) <= bump + 0.005, `vertex ${v}: ${d} where the bump is ${bump}`);
  }
  return { beyond, measured };
}

/**
 * The figures of both directions against the truth: the 0.3 mm bump, outward (`sign` 1) or,
 * with the scans swapped, as material gone (−1); nothing the other way.
 */
function checkBothWays(c: Comparison, sign: 1 | -1): void {
  const { result } = c;
  for (const [name, stats] of [['forward', result.stats], ['back', result.back.stats]] as const) {
    assert.ok(Math.abs(stats.max - BUMP) <= 0.02, `${name}: max |deviation| ${stats.max} where the truth is ${BUMP}`);
    const against = sign === 1 ? -stats.maxIn : stats.maxOut;
    assert.ok(against < 0.02, `${name}: ${against} mm the wrong way, where only the bump changed`);
    assert.equal(stats.areaOver['0.5'], 0, `${name}: area over 0.5 mm`);
    assert.ok(stats.p95 <= BUMP + 0.01);
    assert.ok(stats.nonOverlapArea > 1, `${name}: the scans' borders differ, some area has no counterpart`);
  }
  // Every region is the bump, outward.
  assert.ok(result.regions.length >= 1 && result.regions.every((r) => r.sign === sign), JSON.stringify(result.regions));
}

test('border pair, new → old and old → new: no point beyond a border counts; max |dev| is the 0.3 mm bump; brute force agrees', () => {
  const c = compareScans(pair.old, pair.fresh);
  checkBothWays(c, 1);
  // `current` is the new scan registered into the old frame (to a few µm): its own truth.
  const fwd = checkSamples(c.current, c.distances, c.previous, c.current, truthPair.old, true, 200);
  const back = checkSamples(c.previous, c.backDistances, c.current, truthPair.old, truthPair.fresh, false, 200);
  // The old scan reaches beyond the new one's border on every side: those samples were checked.
  assert.ok(back.beyond > 20, `only ${back.beyond} old samples beyond the new border`);
  assert.ok(fwd.measured > 120 && back.measured > 120, `${fwd.measured} and ${back.measured} samples measured`);
});

test('border pair swapped (the old scan is the smaller): the same figures', () => {
  const c = compareScans(pair.fresh, pair.old);
  checkBothWays(c, -1);
  // The frame is the moved bumped scan's; the truth is stated in the unmoved one.
  const back = checkSamples(c.previous, c.backDistances, c.current, truthPair.fresh, truthPair.old, true, 150);
  const fwd = checkSamples(c.current, c.distances, c.previous, truthPair.old, truthPair.fresh, false, 150);
  assert.ok(fwd.beyond > 20, `only ${fwd.beyond} samples of the bigger scan beyond the smaller's border`);
  assert.ok(back.measured > 80 && fwd.measured > 80);
  // The bigger scan, now the new one, reaches beyond the smaller's border: reported, not measured.
  assert.ok(c.result.overlap < 0.95 && c.result.stats.nonOverlapArea > 10, `overlap ${c.result.overlap}`);
});

test('a point facing away from its closest point has no counterpart (normals past 60°)', () => {
  // The old scan, and the same surface flipped upside down 0.2 mm above it: every closest
  // point faces the wrong way.
  const old = truthPair.old;
  const flipped: IndexedMesh = { positions: old.positions.map((x, i) => (i % 3 === 2 ? x + 0.2 : x)), indices: old.indices.slice() };
  for (let t = 0; t < flipped.indices.length; t += 3) [flipped.indices[t + 1], flipped.indices[t + 2]] = [flipped.indices[t + 2], flipped.indices[t + 1]];
  const c = compareScans(old, flipped, { register: false });
  assert.equal(c.result.stats.measuredArea, 0);
  assert.ok(c.distances.every(Number.isNaN));
  assert.equal(c.result.regions.length, 0);
  const same = compareScans(old, { positions: flipped.positions, indices: old.indices }, { register: false });
  assert.ok(same.result.overlap > 0.95 && Math.abs(same.result.stats.mean - 0.2) < 0.01, JSON.stringify(same.result.stats));
});
