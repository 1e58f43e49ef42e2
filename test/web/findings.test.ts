// Locating the validation findings on a mesh in the browser (web/src/viewer/findings.ts):
// holes apart from the outer border with their border lengths, non-manifold edges, and the
// same answer for an unwelded triangle soup (as STL arrives) as for an indexed mesh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countedByReport, locateEdgeFindings, locateSelfIntersections } from '../../web/src/viewer/findings.js';

/** An n × n grid of 1 mm squares (two triangles each), minus the cells in `holes`. */
function grid(n: number, holes: Set<string> = new Set()): { positions: Float32Array; indices: Uint32Array } {
  const positions: number[] = [];
  for (let y = 0; y <= n; y++) for (let x = 0; x <= n; x++) positions.push(x, y, 0);
  const indices: number[] = [];
  const at = (x: number, y: number) => y * (n + 1) + x;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (holes.has(`${x},${y}`)) continue;
      indices.push(at(x, y), at(x + 1, y), at(x + 1, y + 1), at(x, y), at(x + 1, y + 1), at(x, y + 1));
    }
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

function soup(mesh: { positions: Float32Array; indices: Uint32Array }): Float32Array {
  const out = new Float32Array(mesh.indices.length * 3);
  mesh.indices.forEach((v, i) => out.set(mesh.positions.subarray(3 * v, 3 * v + 3), 3 * i));
  return out;
}

test('a 2 × 2 mm hole in a 10 × 10 mm patch: the outer border (40 mm) and one hole (8 mm) where it is', () => {
  const mesh = grid(10, new Set(['4,4', '5,4', '4,5', '5,5']));
  const found = locateEdgeFindings(mesh.positions, mesh.indices);
  assert.deepEqual(found.map((f) => [f.kind, +f.size.toFixed(3)]), [['border', 40], ['hole', 8]]);
  const hole = found[1];
  assert.deepEqual(hole.center.map((c) => +c.toFixed(3)), [5, 5, 0], 'centred on the hole');
  assert.equal(hole.edges.length, 16, '8 border edges as vertex pairs');
  // The same mesh as a triangle soup, as an STL arrives: welded first, same answer.
  const again = locateEdgeFindings(soup(mesh), null);
  assert.deepEqual(again.map((f) => [f.kind, +f.size.toFixed(3)]), [['border', 40], ['hole', 8]]);
});

test('a fin on an edge: the non-manifold edge is found and placed', () => {
  const mesh = grid(4);
  // A third triangle on the edge (1,1)–(2,1), standing up.
  const positions = Float32Array.from([...mesh.positions, 1.5, 1, 1]);
  const top = positions.length / 3 - 1;
  const indices = Uint32Array.from([...mesh.indices, 1 * 5 + 1, 1 * 5 + 2, top]);
  const found = locateEdgeFindings(positions, indices);
  const fin = found.filter((f) => f.kind === 'non-manifold');
  assert.equal(fin.length, 1);
  assert.equal(fin[0].size, 1);
  assert.deepEqual(fin[0].center.slice(1).map((c) => +c.toFixed(3)), [1, 0]);
});

test('a closed surface has nothing to point out', () => {
  // A tetrahedron.
  const positions = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const indices = Uint32Array.from([0, 2, 1, 0, 1, 3, 1, 2, 3, 0, 3, 2]);
  assert.deepEqual(locateEdgeFindings(positions, indices), []);
});

test('crossing pairs from the report: near ones make one spot at their middle, a far one its own', () => {
  const tri = (x: number, y: number, z: number) => [x, y, z, x + 0.3, y, z, x, y + 0.3, z];
  const spots = locateSelfIntersections([
    { a: tri(0, 0, 0), b: tri(0, 0, 0.1) },
    { a: tri(0.5, 0, 0), b: tri(0.5, 0, 0.1) },
    { a: tri(20, 0, 0), b: tri(20, 0, 0.1) },
  ]);
  assert.deepEqual(spots.map((s) => [s.pairs, s.triangles.length]), [[2, 36], [1, 18]]);
  assert.deepEqual(spots[0].center.map((c) => +c.toFixed(3)), [0.35, 0.1, 0.05]);
  assert.deepEqual(locateSelfIntersections([]), []);
});

test('only what the scan\'s own check counted is listed: a preview\'s non-manifold edges or holes that the scan has not are left out', () => {
  // The fin of the test above, in a patch with a hole: the loaded geometry shows the border,
  // the hole, the fin's own free edges (a second loop) and its non-manifold edge.
  const mesh = grid(6, new Set(['3,3']));
  const positions = Float32Array.from([...mesh.positions, 1.5, 1, 1]);
  const indices = Uint32Array.from([...mesh.indices, 1 * 7 + 1, 1 * 7 + 2, positions.length / 3 - 1]);
  const found = locateEdgeFindings(positions, indices);
  const kinds = (list: typeof found): string[] => list.map((f) => f.kind).sort();
  assert.deepEqual(kinds(found), ['border', 'hole', 'hole', 'non-manifold']);
  assert.deepEqual(kinds(countedByReport(found, { holes: 2, nonManifoldEdges: 1 })), ['border', 'hole', 'hole', 'non-manifold']);
  assert.deepEqual(kinds(countedByReport(found, { holes: 0, nonManifoldEdges: 1 })), ['border', 'non-manifold']);
  assert.deepEqual(kinds(countedByReport(found, { holes: 2, nonManifoldEdges: 0 })), ['border', 'hole', 'hole']);
  assert.deepEqual(kinds(countedByReport(found, { holes: 0, nonManifoldEdges: 0 })), ['border']);
  assert.deepEqual(kinds(countedByReport(found, undefined)), ['border', 'hole', 'hole', 'non-manifold'], 'no report: everything located');
});
