// Property: whatever bytes arrive — corpus files cut short, with bytes overwritten, or with
// a damaged companion .bin — reading ends with either a sound mesh (every index below the
// vertex count, every coordinate finite, whole triangles, attribute arrays of the right
// length) or a CuspError 'mesh_rejected'. Never another exception, never a hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isCuspError } from '../../../src/errors.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMesh, type ReadInput } from '../../../src/mesh/read/index.js';
import { corpusInput } from './corpus-input.js';

const SEEDS: Record<string, string[]> = {
  stl: ['stl/7_8ths_cube.stl', 'stl/triangle_with_two_solids.stl', 'stl/admesh_block_fill-holes-bad.stl', 'stl/sphere_binary_solid_header.stl'],
  ply: ['ply/platonic_shelf.ply', 'ply/platonic_shelf_big_endian.ply', 'ply/platonic_shelf_ascii.ply', 'ply/cube_binary_header_with_RN_newline.ply', 'ply/float-color.ply'],
  obj: ['obj/negative_indices.obj', 'obj/cube_with_vt.obj', 'obj/box_without_lineending.obj', 'obj/joined_tetrahedra.obj'],
  gltf: ['gltf/Box_external/Box.gltf', 'gltf/SimpleSparseAccessor.gltf', 'gltf/multiple-boxes.gltf', 'gltf/no_indices_3storybuilding.glb', 'gltf/BoxMeshopt.glb', 'gltf/BoxDraco/BoxDraco.gltf'],
};

/** A change to a file: cut it at a fraction of its length, or overwrite some bytes. */
type Damage = { kind: 'truncate'; at: number } | { kind: 'overwrite'; edits: { at: number; value: number }[] };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    edits: fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
  }),
);

function apply(bytes: Uint8Array, d: Damage): Uint8Array {
  if (d.kind === 'truncate') return bytes.slice(0, Math.floor(d.at * bytes.length));
  const out = bytes.slice();
  for (const e of d.edits) if (out.length > 0) out[Math.min(out.length - 1, Math.floor(e.at * out.length))] = e.value;
  return out;
}

function assertSound(mesh: IndexedMesh): void {
  const vertices = mesh.positions.length / 3;
  assert.ok(Number.isInteger(vertices));
  assert.ok(mesh.indices.length > 0 && mesh.indices.length % 3 === 0);
  for (const i of mesh.indices) assert.ok(i < vertices, `index ${i} >= ${vertices}`);
  for (const v of mesh.positions) assert.ok(Number.isFinite(v), `coordinate ${v}`);
  if (mesh.normals) assert.equal(mesh.normals.length, vertices * 3);
  if (mesh.colors) assert.equal(mesh.colors.length, vertices * 4);
  if (mesh.uvs) assert.equal(mesh.uvs.length, vertices * 2);
  for (const g of mesh.groups ?? []) assert.ok(g.start >= 0 && g.start + g.count <= mesh.indices.length / 3);
}

async function outcome(input: ReadInput): Promise<'mesh' | 'rejected'> {
  try {
    assertSound((await readMesh(input)).mesh);
    return 'mesh';
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(isCuspError(err), `escaped: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    assert.equal(err.code, 'mesh_rejected');
    return 'rejected';
  }
}

describe('damaged files are read soundly or rejected', () => {
  for (const [format, files] of Object.entries(SEEDS)) {
    it(`${format}: truncated and overwritten corpus files`, async () => {
      const seen = { mesh: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...files), damage, fc.boolean(), async (file, d, onSibling) => {
          const input = corpusInput(file);
          const damaged: ReadInput =
            onSibling && format === 'gltf'
              ? { ...input, resolve: (uri) => { const b = input.resolve?.(uri); return b && apply(b, d); } }
              : { ...input, bytes: apply(input.bytes, d) };
          seen[await outcome(damaged)]++;
        }),
        { seed: 20261120, numRuns: 3000 },
      );
      // Both outcomes occur, so the property is not passing vacuously.
      assert.ok(seen.mesh > 0 && seen.rejected > 0, JSON.stringify(seen));
    });
  }
});
