import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectMesh, MAX_DRAWN_PAIRS } from '../../../src/mesh/report/index.js';
import { cube, drop, flip, grid, join, meshOf, scaled, soup, tetrahedron } from './shapes.js';

const scan = { profile: 'scan' as const };
const solid = { profile: 'solid' as const };

test('a closed cube (as an STL soup) is watertight, manifold, outward and measured exactly', () => {
  const r = inspectMesh(soup(cube(10, [5, -5, 2])), solid);
  assert.equal(r.triangles, 12);
  assert.equal(r.vertices, 8);
  assert.deepEqual(r.bbox, { min: [5, -5, 2], max: [15, 5, 12] });
  assert.equal(r.area, 600);
  assert.equal(r.volume, 1000);
  assert.equal(r.signedVolume, 1000);
  assert.deepEqual(r.components, { count: 1, sizes: [12] });
  assert.equal(r.boundaryEdges, 0);
  assert.deepEqual(r.boundaryLoops, { count: 0, lengths: [] });
  assert.equal(r.watertight, true);
  assert.equal(r.edgeManifold, true);
  assert.equal(r.vertexManifold, true);
  assert.equal(r.windingConsistent, true);
  assert.equal(r.inwardFacing, false);
  assert.equal(r.selfIntersecting, false);
  assert.equal(r.selfIntersectingPairs, 0);
  assert.equal(r.units.guess, 'mm');
  assert.equal(r.verdict, 'ok');
  assert.deepEqual(r.issues, []);
});

test('an open surface has one border loop whose length is its perimeter; as a scan it is fine', () => {
  const r = inspectMesh(grid(10, 6, 2), scan);
  assert.equal(r.watertight, false);
  assert.equal(r.boundaryEdges, 32);
  assert.deepEqual(r.boundaryLoops, { count: 1, lengths: [64] });
  assert.deepEqual(r.holes, { count: 0, lengths: [] });
  assert.equal(r.volume, null);
  assert.equal(r.verdict, 'ok');
  // The same surface as a printable solid fails: it is not closed.
  const s = inspectMesh(grid(10, 6, 2), solid);
  assert.equal(s.verdict, 'fail');
  assert.equal(s.issues[0].code, 'not_watertight');
  assert.match(s.issues[0].message, /not closed: 1 opening \(largest border 64\.0 mm\)/);
});

test('interior holes are the loops beyond the outer border; small ones warn, large ones fail the scan', () => {
  const small = inspectMesh(grid(20, 20, 1, (i, j) => (i === 5 && j === 5) || (i === 12 && j === 12)), scan);
  assert.equal(small.boundaryLoops.count, 3);
  assert.deepEqual(small.boundaryLoops.lengths, [80, 4, 4]);
  assert.deepEqual(small.holes, { count: 2, lengths: [4, 4] });
  assert.equal(small.verdict, 'warn');
  assert.deepEqual(small.issues.map((i) => [i.code, i.severity]), [['interior_holes', 'warn']]);
  assert.equal(small.issues[0].message, '2 interior holes (largest border 4.0 mm) — rescan the area.');

  const large = inspectMesh(grid(20, 20, 1, (i, j) => i >= 5 && i < 10 && j >= 5 && j < 10), scan);
  assert.deepEqual(large.holes, { count: 1, lengths: [20] });
  assert.equal(large.verdict, 'fail');
  assert.equal(large.issues[0].severity, 'fail');
});

test('a missing triangle opens a closed model: 3 boundary edges in one loop', () => {
  const r = inspectMesh(drop(cube(), 0), solid);
  assert.equal(r.boundaryEdges, 3);
  assert.equal(r.boundaryLoops.count, 1);
  assert.ok(Math.abs(r.boundaryLoops.lengths[0] - (2 + Math.SQRT2)) < 1e-6);
  assert.equal(r.watertight, false);
  assert.equal(r.volume, null);
  assert.equal(r.verdict, 'fail');
});

test('one flipped triangle: three edges walked the same way by both neighbours, no volume', () => {
  const r = inspectMesh(flip(cube(), 4), solid);
  assert.equal(r.watertight, true);
  assert.equal(r.inconsistentEdges, 3);
  assert.equal(r.windingConsistent, false);
  assert.equal(r.volume, null);
  assert.equal(r.inwardFacing, false);
  assert.equal(r.verdict, 'fail');
  assert.ok(r.issues.some((i) => i.code === 'flipped_triangles' && i.severity === 'fail'));
  // On a scan the same defect is a warning.
  assert.equal(inspectMesh(flip(cube(), 4), scan).verdict, 'warn');
});

test('a cube turned inside out is closed and consistent but faces inwards', () => {
  const all = Array.from({ length: 12 }, (_, t) => t);
  const r = inspectMesh(flip(cube(20), ...all), solid);
  assert.equal(r.windingConsistent, true);
  assert.equal(r.signedVolume, -8000);
  assert.equal(r.volume, 8000);
  assert.equal(r.inwardFacing, true);
  assert.deepEqual(r.issues.map((i) => i.code), ['inward_facing']);
  assert.equal(r.verdict, 'fail');
});

test('an edge shared by three triangles is non-manifold (a fin on a surface)', () => {
  const base = grid(2, 1);
  // A third triangle on the middle edge (1,0)-(1,1), standing up.
  const fin = meshOf([...chunks(base.positions), [1, 0.5, 1]], [...chunks(base.indices), [1, 4, 6]]);
  const r = inspectMesh(fin, scan);
  assert.equal(r.nonManifoldEdges, 1);
  assert.equal(r.edgeManifold, false);
  assert.equal(r.windingConsistent, false);
  assert.equal(r.verdict, 'fail');
  assert.match(r.issues.find((i) => i.code === 'non_manifold_edges')?.message ?? '', /^1 edge shared by three or more triangles/);
});

test('two tetrahedra touching at one corner: a bow-tie vertex, and two pieces', () => {
  const bowtie = meshOf(
    [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]],
    [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3], [0, 4, 5], [0, 6, 4], [0, 5, 6], [4, 6, 5]],
  );
  const r = inspectMesh(bowtie, solid);
  assert.equal(r.nonManifoldVertices, 1);
  assert.equal(r.vertexManifold, false);
  assert.equal(r.edgeManifold, true);
  assert.equal(r.watertight, true);
  assert.deepEqual(r.components, { count: 2, sizes: [4, 4] });
  assert.equal(r.verdict, 'fail');
});

test('separate pieces: sizes largest first; small ones are debris on a scan', () => {
  const jaw = grid(30, 30, 1);
  const crumbs = [tetrahedron([40, 0, 0], 0.5), tetrahedron([42, 0, 0], 0.5), tetrahedron([44, 0, 0], 0.5)];
  const r = inspectMesh(join(jaw, ...crumbs), scan);
  assert.deepEqual(r.components, { count: 4, sizes: [1800, 4, 4, 4] });
  assert.equal(r.verdict, 'warn');
  assert.deepEqual(r.issues, [{ code: 'debris', severity: 'warn', message: '3 floating fragments (debris) totalling 12 triangles — trim them in the scanner software.' }]);

  const right = grid(10, 10);
  const halves = inspectMesh(join(grid(10, 10), { ...right, positions: right.positions.map((x, k) => (k % 3 === 0 ? x + 20 : x)) }), scan);
  assert.deepEqual(halves.components.sizes, [200, 200]);
  assert.ok(halves.issues.some((i) => i.code === 'separate_parts'));
});

test('duplicated and zero-area triangles are counted and warned about', () => {
  const c = cube();
  const extra = meshOf([...chunks(c.positions), [0.5, 0, 0]], [...chunks(c.indices), [0, 2, 3], [3, 0, 2], [0, 8, 1]]);
  const r = inspectMesh(extra, scan);
  assert.equal(r.duplicateTriangles, 2);
  assert.equal(r.degenerateTriangles, 1);
  const codes = r.issues.map((i) => i.code);
  assert.ok(codes.includes('duplicate_triangles'));
  assert.ok(codes.includes('degenerate_triangles'));
});

test('two interpenetrating boxes are self-intersecting; the check can be skipped', () => {
  const boxes = join(cube(20), cube(20, [10, 10, 10]));
  const r = inspectMesh(boxes, solid);
  assert.equal(r.watertight, true);
  assert.equal(r.selfIntersecting, true);
  assert.ok((r.selfIntersectingPairs ?? 0) > 0);
  assert.ok(r.issues.some((i) => i.code === 'self_intersections' && i.severity === 'fail'));
  // Where they cross, for a viewer to draw: each pair is one triangle of each box, both
  // reaching into the overlap [10, 20]³ of the two.
  assert.equal(r.selfIntersectingFaces.length, Math.min(r.selfIntersectingPairs!, MAX_DRAWN_PAIRS));
  for (const { a, b } of r.selfIntersectingFaces) {
    assert.equal(a.length, 9);
    assert.equal(b.length, 9);
    const box = (t: number[]) => (t.every((x) => x <= 20) ? 'first' : t.every((x) => x >= 10) ? 'second' : 'neither');
    assert.deepEqual([box(a), box(b)].sort(), ['first', 'second'], `one triangle of each box: ${a} / ${b}`);
  }
  assert.deepEqual(inspectMesh(cube(20), solid).selfIntersectingFaces, [], 'none on a clean cube');
  const skipped = inspectMesh(boxes, { ...solid, selfIntersection: false });
  assert.equal(skipped.selfIntersecting, null);
  assert.equal(skipped.selfIntersectingPairs, null);
  assert.deepEqual(skipped.selfIntersectingFaces, []);
  assert.equal(skipped.verdict, 'ok');
});

test('the report says when a model seems to be in metres', () => {
  const r = inspectMesh(scaled(cube(20), 0.001), solid);
  assert.equal(r.units.guess, 'm');
  assert.equal(r.verdict, 'warn');
  assert.match(r.issues[0].message, /seems to be in m, not millimetres/);
});

test('an empty mesh fails with a clear reason', () => {
  const r = inspectMesh({ positions: new Float32Array(0), indices: new Uint32Array(0) }, scan);
  assert.equal(r.triangles, 0);
  assert.equal(r.watertight, false);
  assert.equal(r.verdict, 'fail');
  assert.equal(r.issues[0].code, 'empty');
});

test('progress goes from 0 to 1 through the named stages', () => {
  const seen: [number, string][] = [];
  inspectMesh(soup(cube()), { ...scan, onProgress: (f, stage) => seen.push([f, stage]) });
  assert.equal(seen[0][0], 0);
  assert.equal(seen.at(-1)?.[0], 1);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0]);
  assert.deepEqual([...new Set(seen.map(([, s]) => s))], ['weld', 'topology', 'measure', 'self-intersection', 'done']);
});

test('the report survives JSON with its stable field names', () => {
  const r = JSON.parse(JSON.stringify(inspectMesh(grid(2, 2), scan)));
  for (const key of ['triangles', 'vertices', 'bbox', 'area', 'volume', 'signedVolume', 'components', 'boundaryEdges', 'boundaryLoops', 'nonManifoldEdges', 'nonManifoldVertices', 'degenerateTriangles', 'duplicateTriangles', 'watertight', 'edgeManifold', 'vertexManifold', 'windingConsistent', 'inwardFacing', 'selfIntersecting', 'selfIntersectingPairs', 'selfIntersectingFaces', 'units', 'profile', 'verdict', 'issues']) {
    assert.ok(key in r, key);
  }
});

function chunks(a: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += 3) out.push([a[i], a[i + 1], a[i + 2]]);
  return out;
}

test('checks reuse their work buffers without one mesh leaking into the next report', () => {
  const big = soup(grid(40, 30, 0.5, (i, j) => i === 7 && j === 9));
  const small = flip(cube(20), 3);
  const first = inspectMesh(big, scan);
  const other = inspectMesh(small, solid);
  const again = inspectMesh(big, scan);
  assert.deepEqual(again, first);
  assert.deepEqual(inspectMesh(small, solid), other);
  assert.equal(first.holes.count, 1);
  assert.equal(other.inconsistentEdges, 3);
});
