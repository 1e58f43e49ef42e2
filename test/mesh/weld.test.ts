import assert from 'node:assert/strict';
import { test } from 'node:test';
import { weldExact } from '../../src/mesh/weld.js';
import { cube, grid, meshOf, soup } from './report/shapes.js';

test('a cube read as an STL triangle soup welds back to its 8 corners', () => {
  const input = soup(cube(2, [1, 2, 3]));
  assert.equal(input.positions.length / 3, 36);
  const { mesh, remap, merged } = weldExact(input);
  assert.equal(mesh.positions.length / 3, 8);
  assert.equal(merged, 28);
  assert.equal(mesh.indices.length, 36);
  // Every input vertex maps to a welded vertex at exactly its position.
  for (let i = 0; i < 36; i++) {
    assert.deepEqual(Array.from(mesh.positions.subarray(3 * remap[i], 3 * remap[i] + 3)), Array.from(input.positions.subarray(3 * i, 3 * i + 3)));
  }
  // Triangles keep their corners, now shared.
  for (let k = 0; k < 36; k++) assert.equal(mesh.indices[k], remap[input.indices[k]]);
});

test('welding a large soup matches a string-keyed reference', () => {
  const input = soup(grid(60, 40, 0.37));
  const { mesh, remap } = weldExact(input);
  const seen = new Map<string, number>();
  for (let i = 0; i < input.positions.length / 3; i++) {
    const key = Array.from(input.positions.subarray(3 * i, 3 * i + 3)).join(',');
    if (!seen.has(key)) seen.set(key, seen.size);
    assert.equal(remap[i], seen.get(key));
  }
  assert.equal(mesh.positions.length / 3, 61 * 41);
});

test('only bit-identical positions merge: one ulp apart stays apart, -0 and +0 merge', () => {
  const near = Math.fround(1 + 2 ** -23);
  const input = meshOf(
    [[1, 0, 0], [near, 0, 0], [0, -0, 0], [0, 0, 0], [0, 1, 0], [0, 1, 0]],
    [[0, 2, 4], [1, 3, 5]],
  );
  const { mesh, remap } = weldExact(input);
  assert.equal(mesh.positions.length / 3, 4);
  assert.notEqual(remap[0], remap[1]);
  assert.equal(remap[2], remap[3]);
  assert.equal(remap[4], remap[5]);
});

test('a mesh without duplicates comes back as it is, with an identity remap', () => {
  const input = cube();
  const { mesh, remap, merged } = weldExact(input);
  assert.equal(mesh, input);
  assert.equal(merged, 0);
  assert.deepEqual(Array.from(remap), [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('colours, normals and uvs come from the first occurrence; groups stay', () => {
  const input = meshOf([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0], [1, 0, 0], [0, 0, 1]], [[0, 1, 2], [3, 5, 4]]);
  input.colors = new Uint8Array([10, 0, 0, 255, 20, 0, 0, 255, 30, 0, 0, 255, 40, 0, 0, 255, 50, 0, 0, 255, 60, 0, 0, 255]);
  input.normals = new Float32Array(18).map((_, k) => k);
  input.uvs = new Float32Array(12).map((_, k) => k / 10);
  input.groups = [{ name: 'jaw', material: -1, start: 0, count: 2 }];
  const { mesh } = weldExact(input);
  assert.equal(mesh.positions.length / 3, 4);
  assert.deepEqual(Array.from(mesh.colors ?? []).filter((_, k) => k % 4 === 0), [10, 20, 30, 60]);
  assert.deepEqual(Array.from(mesh.normals ?? []).slice(9, 12), [15, 16, 17]);
  assert.equal(mesh.uvs?.length, 8);
  assert.deepEqual(mesh.groups, input.groups);
  assert.deepEqual(Array.from(mesh.indices), [0, 1, 2, 0, 3, 1]);
});

test('an empty mesh welds to an empty mesh', () => {
  const { mesh } = weldExact({ positions: new Float32Array(0), indices: new Uint32Array(0) });
  assert.equal(mesh.positions.length, 0);
});
