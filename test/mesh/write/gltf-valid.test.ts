// Every glTF Cusp writes passes the Khronos glTF validator with 0 errors: conversions of
// every corpus file Cusp reads, the derive job's preview, the comparison heat map; and
// converted meshes are welded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareScans } from '../../../src/mesh/analysis/compare.js';
import { previewGlb } from '../../../src/mesh/decimate.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMesh, readMeshSync } from '../../../src/mesh/read/index.js';
import { heatMapGlb } from '../../../src/mesh/render/pictures.js';
import { writeMesh, writeObj } from '../../../src/mesh/write/index.js';
import { assertValidGltf } from '../../helpers/gltf-valid.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { borderPair } from '../analysis/height-field.js';
import { corpusInput, manifestFiles } from '../read/corpus-input.js';

const MESH_FORMATS = new Set(['stl', 'ply', 'obj', 'gltf', 'glb']);
const INCISOR = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';

describe('the glTF validator finds 0 errors in what Cusp writes', { skip: !hasCorpus() }, () => {
  it('every corpus file Cusp reads, converted to GLB and to .gltf', async () => {
    let converted = 0;
    for (const f of manifestFiles()) {
      if (!MESH_FORMATS.has(f.format)) continue;
      let mesh: IndexedMesh;
      try {
        mesh = (await readMesh(corpusInput(f.file))).mesh;
      } catch {
        continue; // Rejected files are the reader tests' business.
      }
      if (mesh.indices.length === 0) continue;
      await assertValidGltf(writeMesh(mesh, 'glb'), `${f.file} → GLB`);
      await assertValidGltf(writeMesh(mesh, 'gltf'), `${f.file} → glTF`);
      converted++;
    }
    assert.ok(converted >= 30, `only ${converted} corpus files converted`);
  });

  it('the derive job\'s decimated preview', async () => {
    const mesh = readMeshSync(corpusInput(INCISOR)).mesh;
    const preview = await previewGlb(mesh, { maxTriangles: 5000 });
    await assertValidGltf(preview.glb, 'preview GLB');
  });

  it('the comparison heat map, grey where there is no counterpart', async () => {
    const { old, fresh } = borderPair(20_000, 0.3);
    const c = compareScans(old, fresh);
    assert.ok(c.distances.some(Number.isNaN));
    await assertValidGltf(heatMapGlb(c.current, c.distances, 'deviation'), 'heat map GLB');
  });

  it('normals as OBJ exporters leave them: unnormalised, zero — written unit, zero ones from the faces', async () => {
    const obj = ['v 0 0 0', 'v 1 0 0', 'v 0 1 0', 'v 1 1 0', 'vn 0 0 7', 'vn 0 0 0', 'f 1//1 2//1 3//2', 'f 2//1 4//1 3//2', ''].join('\n');
    const mesh = readMeshSync({ bytes: new TextEncoder().encode(obj), name: 'n.obj' }).mesh;
    const glb = writeMesh(mesh, 'glb');
    await assertValidGltf(glb, 'OBJ normals → GLB');
    const back = readMeshSync({ bytes: glb, name: 'n.glb' }).mesh;
    for (let i = 0; i < back.positions.length / 3; i++) assert.deepEqual([...back.normals!.subarray(3 * i, 3 * i + 3)], [0, 0, 1]);
  });
});

describe('converted meshes are welded', { skip: !hasCorpus() }, () => {
  it('the 28,508-triangle STL tooth becomes 14,256 vertices in PLY, OBJ and GLB (not 85,524)', () => {
    const mesh = readMeshSync(corpusInput(INCISOR)).mesh;
    assert.equal(mesh.indices.length / 3, 28_508);
    assert.equal(mesh.positions.length / 3, 85_524);
    for (const format of ['ply', 'glb', 'gltf'] as const) {
      const back = readMeshSync({ bytes: writeMesh(mesh, format), name: `out.${format}` }).mesh;
      assert.equal(back.positions.length / 3, 14_256, format);
    }
    const back = readMeshSync({ bytes: writeObj(mesh).obj, name: 'out.obj' }).mesh;
    assert.equal(back.positions.length / 3, 14_256, 'obj');
  });

  it('seams stay where normals, colours or uvs differ', () => {
    // Two triangles sharing an edge, a hard crease: the shared corners differ in normal.
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1]);
    const normals = new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
    const indices = new Uint32Array([0, 1, 2, 3, 5, 4]);
    const creased = readMeshSync({ bytes: writeMesh({ positions, normals, indices }, 'ply'), name: 'c.ply' }).mesh;
    assert.equal(creased.positions.length / 3, 6);
    const smooth = readMeshSync({ bytes: writeMesh({ positions, indices }, 'ply'), name: 's.ply' }).mesh;
    assert.equal(smooth.positions.length / 3, 4);
    const colors = new Uint8Array(24).fill(200);
    colors[12] = 10; // vertex 3 (same place as vertex 1) another colour
    const painted = readMeshSync({ bytes: writeMesh({ positions, indices, colors }, 'ply'), name: 'p.ply' }).mesh;
    assert.equal(painted.positions.length / 3, 5);
  });
});
