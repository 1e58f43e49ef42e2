// Readers take any Uint8Array view: a Buffer from readFileSync often starts at an odd
// offset inside a shared pool, and binary readers must not assume alignment or offset 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readMesh } from '../../../src/mesh/read/index.js';
import { corpusInput } from './corpus-input.js';

describe('readers on unaligned views', () => {
  for (const file of ['stl/7_8ths_cube.stl', 'ply/platonic_shelf_big_endian.ply', 'ply/fuze.ply', 'gltf/CesiumMilkTruck.glb', 'obj/cube_with_vt.obj', 'stl/Spider_ascii.stl']) {
    it(`${file} reads the same from a view at byte offset 13`, async () => {
      const input = corpusInput(file);
      const pool = new Uint8Array(input.bytes.length + 20).fill(0xee);
      pool.set(input.bytes, 13);
      const view = pool.subarray(13, 13 + input.bytes.length);
      const aligned = await readMesh(input);
      const shifted = await readMesh({ ...input, bytes: view });
      assert.deepEqual(shifted.mesh.positions, aligned.mesh.positions);
      assert.deepEqual(shifted.mesh.indices, aligned.mesh.indices);
      assert.deepEqual(shifted.mesh.colors, aligned.mesh.colors);
    });
  }
});
