import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findBorders } from '../../../src/mesh/analysis/borders.js';
import { findRegions } from '../../../src/mesh/analysis/regions.js';
import { mortonOrder } from '../../../src/mesh/analysis/spatial-order.js';
import { distanceStats } from '../../../src/mesh/analysis/statistics.js';
import { surfaceArea, vertexAreas } from '../../../src/mesh/analysis/surface.js';
import { principalAxes } from '../../../src/mesh/analysis/principal-axes.js';
import { cube, grid } from '../report/shapes.js';

// A 10 × 10 mm sheet of 0.1 mm cells whose "distance" is a ramp along x: 0 at x = 0 up to
// 1 mm at x = 10. Every figure has a closed form.
const sheet = grid(100, 100, 0.1);
const ramp = new Float32Array(sheet.positions.length / 3).map((_, v) => sheet.positions[3 * v] / 10);
const areas = vertexAreas(sheet.positions, sheet.indices);

test('statistics of a ramp: mean, RMS, 95th percentile and area over each threshold', () => {
  const s = distanceStats(ramp, areas);
  assert.ok(Math.abs(s.mean - 0.5) < 1e-3);
  assert.ok(Math.abs(s.rms - Math.sqrt(1 / 3)) < 1e-3);
  assert.ok(Math.abs(s.p95 - 0.95) < 2e-3, `p95 ${s.p95}`);
  assert.ok(Math.abs(s.max - 1) < 1e-6);
  // |d| > t on x > 10 t: an area of 10 × (10 − 10 t).
  assert.ok(Math.abs(s.areaOver['0.1'] - 90) < 0.6);
  assert.ok(Math.abs(s.areaOver['0.5'] - 50) < 0.6);
  assert.equal(s.overlap, 1);
  assert.ok(Math.abs(s.measuredArea - 100) < 1e-3);
});

test('values without a counterpart (NaN) are left out and lower the overlap', () => {
  const holes = ramp.map((d, v) => (sheet.positions[3 * v + 1] < 2.5 ? NaN : d));
  const s = distanceStats(holes, areas);
  assert.ok(Math.abs(s.overlap - 0.75) < 0.01);
  // The sheet is 100 mm²: a quarter of it reported as not compared.
  assert.ok(Math.abs(s.nonOverlapArea - 25) < 1, `${s.nonOverlapArea}`);
  assert.ok(Math.abs(s.measuredArea + s.nonOverlapArea - 100) < 1e-3);
  assert.ok(Math.abs(s.mean - 0.5) < 1e-3);
  assert.ok(Math.abs(s.maxIn) === 0 && Math.abs(s.maxOut - 1) < 1e-6);
});

test('regions: two patches of opposite sign, largest first; specks under the minimum area dropped', () => {
  const values = new Float32Array(ramp.length);
  for (let v = 0; v < values.length; v++) {
    const x = sheet.positions[3 * v], y = sheet.positions[3 * v + 1];
    if (x < 3 && y < 3) values[v] = 0.3;
    if (x > 6 && y > 5) values[v] = -0.2;
    if (Math.abs(x - 8) < 0.01 && Math.abs(y - 1) < 0.01) values[v] = 0.5;
  }
  const regions = findRegions(sheet.positions, sheet.indices, values, areas, { threshold: 0.1 });
  assert.equal(regions.length, 2);
  assert.equal(regions[0].sign, -1);
  assert.ok(Math.abs(regions[0].maxMm + 0.2) < 1e-6);
  assert.ok(regions[0].areaMm2 > regions[1].areaMm2);
  assert.ok(Math.abs(regions[1].centroid[0] - 1.5) < 0.1 && Math.abs(regions[1].centroid[1] - 1.5) < 0.1);
  assert.ok(Math.abs(regions[1].meanMm - 0.3) < 1e-6);
});

test('vertex areas sum to the surface area; a sheet has one border loop of edges, a cube none', () => {
  assert.ok(Math.abs(areas.reduce((a, b) => a + b, 0) - surfaceArea(sheet.positions, sheet.indices)) < 1e-3);
  const b = findBorders(sheet.indices, sheet.positions.length / 3);
  assert.equal(b.edgeCount, 400);
  assert.equal(b.vertices.reduce((a, x) => a + x, 0), 400);
  assert.equal(findBorders(cube().indices, 8).edgeCount, 0);
});

/** The border edges by their definition: an edge whose two vertices no other triangle's edge joins. */
function bordersByDefinition(indices: Uint32Array, vertexCount: number): { triangleEdges: Uint8Array; vertices: Uint8Array; edgeCount: number } {
  const key = (a: number, b: number): string => (a < b ? `${a},${b}` : `${b},${a}`);
  const uses = new Map<string, number>();
  for (let h = 0; h < indices.length; h++) {
    const k = key(indices[h], indices[h % 3 === 2 ? h - 2 : h + 1]);
    uses.set(k, (uses.get(k) ?? 0) + 1);
  }
  const triangleEdges = new Uint8Array(indices.length / 3);
  const vertices = new Uint8Array(vertexCount);
  let edgeCount = 0;
  for (let h = 0; h < indices.length; h++) {
    const a = indices[h], b = indices[h % 3 === 2 ? h - 2 : h + 1];
    if (uses.get(key(a, b)) !== 1) continue;
    triangleEdges[Math.floor(h / 3)] |= 1 << h % 3;
    vertices[a] = vertices[b] = 1;
    edgeCount++;
  }
  for (let h = 0; h < indices.length; h++) if (vertices[indices[h]]) triangleEdges[Math.floor(h / 3)] |= 8 << h % 3;
  return { triangleEdges, vertices, edgeCount };
}

test('border edges as defined, on any triangles: repeated and flipped triangles, three on an edge, a repeated corner', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 3, maxLength: 90 }))), ([n, corners]) => {
      const indices = new Uint32Array(corners.slice(0, corners.length - (corners.length % 3)));
      const found = findBorders(indices, n);
      assert.deepEqual(found, bordersByDefinition(indices, n));
    }),
    { numRuns: 500 },
  );
  assert.deepEqual(findBorders(sheet.indices, sheet.positions.length / 3), bordersByDefinition(sheet.indices, sheet.positions.length / 3));
});

test('Morton order is a permutation that keeps neighbours near', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 300 }), (xs) => {
      const points = new Float32Array(xs.slice(0, xs.length - (xs.length % 3)));
      const order = mortonOrder(points);
      assert.deepEqual(Array.from(order).sort((a, b) => a - b), Array.from({ length: points.length / 3 }, (_, i) => i));
    }),
  );
  // On the sheet, consecutive vertices in the order are mostly next to each other.
  const order = mortonOrder(sheet.positions);
  let near = 0;
  for (let k = 1; k < order.length; k++) {
    const a = order[k - 1], b = order[k];
    if (Math.hypot(sheet.positions[3 * a] - sheet.positions[3 * b], sheet.positions[3 * a + 1] - sheet.positions[3 * b + 1]) < 0.25) near++;
  }
  assert.ok(near / order.length > 0.7);
});

test('principal axes of a flat slab: least variance across it, right-handed', () => {
  const axes = principalAxes(sheet.positions);
  assert.ok(Math.abs(Math.abs(axes.axes[2][2]) - 1) < 1e-9);
  assert.ok(axes.variances[2] < 1e-12 && axes.variances[0] >= axes.variances[1]);
  const [a, b, c] = axes.axes;
  const cross = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  assert.ok(cross.every((x, k) => Math.abs(x - c[k]) < 1e-9));
  assert.ok(Math.abs(axes.centroid[0] - 5) < 1e-6 && Math.abs(axes.centroid[1] - 5) < 1e-6);
});

test('statistics summed in blocks equal one plain loop over every vertex, to the bit (several blocks, gaps, both signs)', () => {
  // 50,000 vertices: three full blocks of the summing loop and a partial one.
  const n = 50_000;
  let seed = 7;
  const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const distances = new Float32Array(n).map(() => (random() < 0.1 ? NaN : (random() - 0.4) * 0.8));
  const weights = new Float32Array(n).map(() => random() * 0.01);
  const s = distanceStats(distances, weights);
  // The definition, one loop in vertex order.
  let total = 0, measured = 0, sum = 0, sumAbs = 0, sumSq = 0, max = 0, maxOut = 0, maxIn = 0;
  const over = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    total += weights[i];
    const d = distances[i];
    if (Number.isNaN(d)) continue;
    measured += weights[i];
    sum += weights[i] * d;
    sumAbs += weights[i] * Math.abs(d);
    sumSq += weights[i] * d * d;
    max = Math.max(max, Math.abs(d));
    maxOut = Math.max(maxOut, d);
    maxIn = Math.min(maxIn, d);
    [0.1, 0.2, 0.5].forEach((t, k) => (over[k] += Math.abs(d) > t ? weights[i] : 0));
  }
  const w = 1 / measured;
  assert.equal(s.mean, sum * w);
  assert.equal(s.meanAbs, sumAbs * w);
  assert.equal(s.rms, Math.sqrt(sumSq * w));
  assert.deepEqual([s.max, s.maxOut, s.maxIn], [max, maxOut, maxIn]);
  assert.deepEqual(s.areaOver, { '0.1': over[0], '0.2': over[1], '0.5': over[2] });
  assert.equal(s.measuredArea, measured);
  assert.equal(s.nonOverlapArea, total - measured);
});
