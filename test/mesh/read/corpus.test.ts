// Every mesh file of the corpus (test/fixtures/corpus) against the manifest's independent ground truth:
// accepted files give the expected triangle count (and bounding box where the tools agree),
// rejected files fail with a CuspError 'mesh_rejected' whose message names the file and the
// problem. Companion files (.mtl, .jpg, .bin) are read only through `resolve`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCuspError } from '../../../src/errors.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMesh, readMeshSync } from '../../../src/mesh/read/index.js';
import { MESH_FORMATS, corpusInput, manifestFiles, type ManifestFile } from './corpus-input.js';

/** A word (or words) each rejected file's message must contain: the reason, in the user's terms. */
const REJECTION_WORDS: Record<string, RegExp> = {
  'stl/empty.stl': /no triangles/,
  'ply/points_ascii.ply': /no faces.*point cloud/,
  'ply/ply_empty_header.ply': /no elements/,
  'obj/notenoughindices.obj': /line 9 has 2 vertices/,
  'broken/gltf_validator_truncated_chunk_data.glb': /truncated/,
  'broken/gltf_validator_length_mismatch.glb': /truncated.*says 49 bytes/,
  'broken/gltf_validator_invalid_syntax.gltf': /not valid/,
  'broken/gltf_validator_empty_file.glb': /empty/,
  // open3d and assimp silently drop the bad triangles of this file; it must be refused.
  'broken/IndexOutOfRange/IndexOutOfRange.gltf': /uses vertex 255, but .* only 24 vertices/,
  'broken/RecursiveNodes.gltf': /cycle/,
  'broken/MissingBin/BoxTextured.gltf': /needs 'BoxTextured0\.bin'/,
  'broken/derived_tooth24_truncated_mid_triangle.stl': /truncated: header says 16744 triangles/,
  'broken/derived_tooth24_header_overclaims.stl': /header says 21744 triangles.*exactly 16744/,
  'broken/derived_platonic_shelf_be_vertex_count_too_high.ply': /malformed or the header's element counts are wrong/,
  'broken/derived_fuze_index_out_of_range.obj': /line 1025 uses vertex 99999, but only 502 vertices/,
  'broken/derived_empty_0bytes.stl': /empty/,
  'broken/derived_empty_0bytes.obj': /empty/,
  'broken/derived_CesiumMilkTruck_truncated.glb': /truncated.*542144 bytes/,
};

/**
 * The triangle count Cusp must produce. For glTF the independent value is the manifest's
 * accessor inspection, counted over the default scene with node instancing applied
 * (`scene_triangles_instanced`): Cusp bakes every node's mesh into the result, so
 * CesiumMilkTruck's wheel mesh, drawn by two nodes, counts twice (3624), while open3d's
 * per-mesh sum is 2856. BoxMeshopt has no open3d value (its assimp cannot decode meshopt).
 */
function expectedTriangles(f: ManifestFile): number {
  if (f.format === 'gltf' || f.format === 'glb') {
    const n = f.expected.by_tool?.header_inspection?.scene_triangles_instanced;
    assert.equal(typeof n, 'number', `${f.file}: manifest has no scene_triangles_instanced`);
    return n as number;
  }
  const n = f.expected.values?.triangle_count?.value;
  assert.equal(typeof n, 'number', `${f.file}: manifest has no triangle_count`);
  return n as number;
}

const ACCEPT = new Set(['accept', 'accept_if_draco_supported', 'accept_if_meshopt_supported']);
const REJECT = new Set(['reject', 'reject_or_empty']);
/** Either outcome is right; what matters is that it is one of the two, never a crash or garbage. */
const EITHER = new Set(['reject_or_warn', 'accept_or_clear_reject', 'accept_or_reject']);
const files = manifestFiles().filter((f) => MESH_FORMATS.includes(f.format));

describe('corpus: the manifest', () => {
  it('has an expectation this test understands for every mesh file (none is skipped silently)', () => {
    for (const f of files) {
      const parse = f.expected.parse ?? '';
      assert.ok(ACCEPT.has(parse) || REJECT.has(parse) || EITHER.has(parse), `${f.file}: unknown expectation '${parse}'`);
    }
  });

  for (const f of files.filter((x) => EITHER.has(x.expected.parse ?? ''))) {
    it(`${f.file} is read soundly or rejected clearly (${f.expected.parse})`, async () => {
      const input = corpusInput(f.file);
      try {
        const r = await readMesh(input);
        const vertices = r.mesh.positions.length / 3;
        assert.ok(r.mesh.indices.every((i) => i < vertices));
        if (f.expected.parse === 'reject_or_warn') assert.ok(r.warnings.length > 0, 'accepted without a warning');
      } catch (err) {
        assert.ok(isCuspError(err) && err.code === 'mesh_rejected' && err.message.includes(input.name), String(err));
      }
    });
  }
});

describe('corpus: files the manifest accepts', () => {
  for (const f of files.filter((x) => ACCEPT.has(x.expected.parse ?? ''))) {
    it(`${f.file} reads with the expected triangle count`, async () => {
      const result = await readMesh(corpusInput(f.file));
      const { mesh } = result;
      assert.equal(mesh.indices.length / 3, expectedTriangles(f));
      const vertices = mesh.positions.length / 3;
      for (const i of mesh.indices) assert.ok(i < vertices);
      assert.ok(mesh.positions.every(Number.isFinite));
      assert.equal(result.format, f.format);

      // STL is a soup: three vertices per triangle (assimp's raw import agrees; open3d's
      // "raw" count already drops a few exact duplicates).
      if (f.format === 'stl') assert.equal(vertices, mesh.indices.length);
      // open3d's glTF import goes through assimp and ignores node transforms, so its bbox is
      // only an independent check for the mesh formats.
      const bbox = f.expected.values?.bbox;
      if (bbox && f.format !== 'gltf' && f.format !== 'glb') assertBbox(mesh, bbox, f.file);
    });
  }

  it('SimpleSparseAccessor.gltf applies the sparse substitution (bbox max is [6, 4, 0])', () => {
    const { mesh } = readMeshSync(corpusInput('gltf/SimpleSparseAccessor.gltf'));
    assertBbox(mesh, { min: [0, 0, 0], max: [6, 4, 0] }, 'SimpleSparseAccessor.gltf');
  });

  it('readMeshSync agrees with readMesh on every uncompressed file and refuses compressed ones clearly', async () => {
    for (const f of files.filter((x) => ACCEPT.has(x.expected.parse ?? ''))) {
      const input = corpusInput(f.file);
      if (f.expected.parse === 'accept') {
        const sync = readMeshSync(input);
        const async = await readMesh(input);
        assert.deepEqual(sync.mesh.positions, async.mesh.positions, f.file);
        assert.deepEqual(sync.mesh.indices, async.mesh.indices, f.file);
      } else {
        assert.throws(() => readMeshSync(input), (err: unknown) => isCuspError(err) && /asynchronous reader/.test(err.message), f.file);
      }
    }
  });
});

describe('corpus: files the manifest rejects', () => {
  for (const f of files.filter((x) => REJECT.has(x.expected.parse ?? ''))) {
    it(`${f.file} is rejected with a specific message`, async () => {
      const words = REJECTION_WORDS[f.file];
      assert.ok(words, `no expected message words for ${f.file} in this test`);
      const input = corpusInput(f.file);
      await assert.rejects(readMesh(input), (err: unknown) => {
        assert.ok(isCuspError(err), `not a CuspError: ${String(err)}`);
        assert.equal(err.code, 'mesh_rejected');
        assert.ok(err.message.includes(input.name), `message does not name the file: ${err.message}`);
        assert.match(err.message, words);
        return true;
      });
    });
  }
});

/** Bounding box of the vertices triangles use (open3d drops unreferenced ones, e.g. in number_formats.obj). */
function assertBbox(mesh: IndexedMesh, bbox: { min: number[]; max: number[] }, file: string): void {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const v of mesh.indices) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k], mesh.positions[v * 3 + k]);
      max[k] = Math.max(max[k], mesh.positions[v * 3 + k]);
    }
  }
  for (let k = 0; k < 3; k++) {
    // The manifest prints six decimals.
    assert.ok(Math.abs(min[k] - bbox.min[k]) < 1e-5 * Math.max(1, Math.abs(bbox.min[k])), `${file} bbox min ${min} vs ${bbox.min}`);
    assert.ok(Math.abs(max[k] - bbox.max[k]) < 1e-5 * Math.max(1, Math.abs(bbox.max[k])), `${file} bbox max ${max} vs ${bbox.max}`);
  }
}
