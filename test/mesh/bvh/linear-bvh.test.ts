// The linear BVH must be a tree the self-walk can trust: every triangle in exactly one leaf,
// every box holding what is under it, leaves no bigger than asked, and the same tree for the
// same mesh. Checked by walking its packed nodes as self-traverse.ts reads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLinearBvh, type LinearBvh } from '../../../src/mesh/bvh/linear-bvh.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { generateToothMesh } from '../../bench/generate-mesh.js';
import { cube, grid, join, meshOf } from '../report/shapes.js';

interface Walked {
  leaves: Array<{ offset: number; count: number }>;
  depth: number;
}

/** Walk the packed nodes; check each box holds its children's or its triangles' boxes. */
function walk(bvh: LinearBvh): Walked {
  const f32 = new Float32Array(bvh.nodes);
  const u32 = new Uint32Array(bvh.nodes);
  const u16 = new Uint16Array(bvh.nodes);
  const leaves: Walked['leaves'] = [];
  let depth = 0;
  const contains = (n: number, box: ArrayLike<number>, what: string): void => {
    for (let k = 0; k < 3; k++) {
      assert.ok(f32[n + k] <= box[k] && f32[n + 3 + k] >= box[3 + k], `node ${n / 8} holds ${what}`);
    }
  };
  const visit = (n: number, d: number): void => {
    depth = Math.max(depth, d);
    if (u16[2 * n + 15] === 0xffff) {
      const offset = u32[n + 6];
      const count = u16[2 * n + 14];
      leaves.push({ offset, count });
      for (let i = offset; i < offset + count; i++) contains(n, bvh.boxes.subarray(6 * i, 6 * i + 6), `triangle ${i}`);
      return;
    }
    const left = n + 8;
    const right = n + 8 * u32[n + 6];
    assert.ok(right > left && right < u32.length, 'the right child lies after the left one, inside the buffer');
    contains(n, f32.subarray(left, left + 6), 'its left child');
    contains(n, f32.subarray(right, right + 6), 'its right child');
    visit(left, d + 1);
    visit(right, d + 1);
  };
  if (bvh.nodes.byteLength > 0) visit(0, 0);
  return { leaves, depth };
}

/** The box of triangle `t` of `mesh`, computed here independently. */
function boxOf(mesh: IndexedMesh, t: number): number[] {
  const box = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  for (let k = 0; k < 3; k++) {
    const v = mesh.indices[3 * t + k];
    for (let d = 0; d < 3; d++) {
      box[d] = Math.min(box[d], mesh.positions[3 * v + d]);
      box[3 + d] = Math.max(box[3 + d], mesh.positions[3 * v + d]);
    }
  }
  return box;
}

function checkTree(mesh: IndexedMesh, leafSize: number): Walked {
  const bvh = buildLinearBvh(mesh, leafSize);
  const count = mesh.indices.length / 3;
  const { leaves, depth } = walk(bvh);
  // Every position of the order in exactly one leaf, and the order a permutation.
  const covered = new Uint8Array(count);
  for (const { offset, count: n } of leaves) {
    assert.ok(n >= 1 && n <= leafSize, `a leaf of ${n} triangles (at most ${leafSize})`);
    for (let i = offset; i < offset + n; i++) covered[i]++;
  }
  assert.ok(covered.every((c) => c === 1), 'every triangle in exactly one leaf');
  assert.deepEqual([...bvh.order].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i), 'the order names each triangle once');
  // The per-triangle arrays are the triangles of the order.
  for (let i = 0; i < count; i++) {
    const t = bvh.order[i];
    assert.deepEqual([...bvh.boxes.subarray(6 * i, 6 * i + 6)], boxOf(mesh, t), `box of triangle ${t}`);
    assert.deepEqual([...bvh.verts.subarray(3 * i, 3 * i + 3)], [...mesh.indices.subarray(3 * t, 3 * t + 3)], `vertices of triangle ${t}`);
  }
  return { leaves, depth };
}

test('a tooth of 20k triangles: every triangle in one leaf, every box holds what is under it', () => {
  const mesh = generateToothMesh(20_000, 3);
  const { leaves, depth } = checkTree(mesh, 48);
  assert.ok(leaves.length >= 20_000 / 48, `${leaves.length} leaves`);
  assert.ok(depth < 40, `depth ${depth}`);
});

test('small leaves, sheets, boxes and separate pieces make sound trees too', () => {
  checkTree(grid(30, 20, 0.5), 1);
  checkTree(grid(30, 20, 0.5), 7);
  checkTree(join(grid(40, 10, 1), cube(3, [5, 2, -1]), cube(1, [100, 100, 100])), 16);
  checkTree(cube(), 48);
});

test('triangles that share one grid cell are split in halves; degenerate triangles get leaves like the rest', () => {
  // 300 copies of one triangle: one Morton code, so every split is a midpoint split.
  const same = meshOf([[0, 0, 0], [1, 0, 0], [0, 1, 0]], Array.from({ length: 300 }, () => [0, 1, 2]));
  const { leaves } = checkTree(same, 8);
  assert.ok(leaves.length >= 300 / 8);
  // Zero-area slivers (on a line) and a flat mesh (zero extent along z).
  const flatFlags = buildLinearBvh(meshOf([[0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0]], [[0, 1, 2], [0, 1, 3]]), 4);
  assert.deepEqual([...flatFlags.flat].sort(), [0, 1], 'the sliver has no area, the other triangle has');
});

test('no triangles: no nodes; one triangle: one leaf', () => {
  const empty = buildLinearBvh({ positions: new Float32Array(0), indices: new Uint32Array(0) }, 48);
  assert.equal(empty.nodes.byteLength, 0);
  assert.equal(empty.order.length, 0);
  const one = checkTree(meshOf([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 1, 2]]), 48);
  assert.deepEqual(one.leaves, [{ offset: 0, count: 1 }]);
});

test('built in an arena of stale bytes, the tree is the same; an arena too small for all is used as far as it reaches', () => {
  const mesh = generateToothMesh(5_000, 9);
  const count = mesh.indices.length / 3;
  const fresh = buildLinearBvh(mesh, 32, 'shared');
  const nodeBytes = 32 * (2 * walk(fresh).leaves.length - 1);
  for (const bytes of [60 * count, 30 * count]) {
    const arena = new SharedArrayBuffer(bytes);
    new Uint8Array(arena).fill(0xa5); // what a file's bytes leave behind
    const built = buildLinearBvh(mesh, 32, arena);
    assert.deepEqual(new Uint8Array(built.nodes, 0, nodeBytes), new Uint8Array(fresh.nodes, 0, nodeBytes));
    assert.equal(walk(built).leaves.length, walk(fresh).leaves.length);
    assert.equal(built.nodes, arena, 'the nodes are at the start of the arena');
    for (const k of ['order', 'boxes', 'verts', 'flat'] as const) assert.deepEqual(built[k], fresh[k], k);
    // After the nodes (about 4 bytes a triangle here): the order (4), the boxes (24) only
    // where they fit, the vertices (12), the area flags (1).
    assert.equal(built.order.buffer, arena, 'the order is cut from the arena');
    assert.equal(built.boxes.buffer === arena, bytes === 60 * count, 'the boxes are cut from it only when they fit');
    assert.equal(built.verts.buffer, arena, 'the vertices are cut from it');
    assert.ok(built.spare && built.spare.buffer === arena, 'what is left is handed back');
  }
});

test('the same mesh gives the same tree, in scratch buffers or shared ones', () => {
  const mesh = generateToothMesh(5_000, 9);
  const a = buildLinearBvh(mesh, 32, 'scratch');
  const copy = { nodes: a.nodes.slice(0), order: a.order.slice(), boxes: a.boxes.slice(), verts: a.verts.slice(), flat: a.flat.slice() };
  const b = buildLinearBvh(mesh, 32, 'shared');
  assert.ok(b.boxes.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(new Uint8Array(b.nodes), new Uint8Array(copy.nodes));
  assert.deepEqual(b.order, copy.order);
  assert.deepEqual(b.boxes, copy.boxes);
  assert.deepEqual(b.verts, copy.verts);
  assert.deepEqual(b.flat, copy.flat);
});
