// Read a corpus file, write it in every format, read it back: the same triangles with the
// same float32 positions, and colours, normals, uvs, groups and materials wherever the
// target format can hold them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndexedMesh, MeshFormat, MeshGroup } from '../../../src/mesh/mesh.js';
import { readMesh, readMeshSync } from '../../../src/mesh/read/index.js';
import { writeMesh, writeObj } from '../../../src/mesh/write/index.js';
import { weldKeepingSeams } from '../../../src/mesh/weld.js';
import { corpusInput } from '../read/corpus-input.js';

interface Target {
  label: string;
  format: MeshFormat;
  ascii?: boolean;
  /** Keeps the vertex list and indices as they are (STL turns them into a soup). */
  indexed: boolean;
  colors: boolean;
  normals: boolean;
  uvs: boolean;
  groups: boolean;
}

const TARGETS: Target[] = [
  { label: 'binary STL', format: 'stl', indexed: false, colors: false, normals: false, uvs: false, groups: false },
  { label: 'ASCII STL', format: 'stl', ascii: true, indexed: false, colors: false, normals: false, uvs: false, groups: false },
  { label: 'binary PLY', format: 'ply', indexed: true, colors: true, normals: true, uvs: true, groups: false },
  { label: 'ASCII PLY', format: 'ply', ascii: true, indexed: true, colors: true, normals: true, uvs: true, groups: false },
  { label: 'OBJ', format: 'obj', indexed: true, colors: true, normals: true, uvs: true, groups: true },
  { label: 'GLB', format: 'glb', indexed: true, colors: true, normals: true, uvs: true, groups: true },
  { label: 'glTF', format: 'gltf', indexed: true, colors: true, normals: true, uvs: true, groups: true },
];

const SOURCES = [
  'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl', // binary STL soup, 28508 triangles
  'ply/fuze.ply', // vertex colours
  'ply/sofa.ply', // vertex colours with alpha
  'obj/spider/spider.obj', // groups, materials, normals, uvs
  'gltf/CesiumMilkTruck.glb', // node transforms, instancing, several primitives
  'ply/platonic_shelf_ascii.ply', // polygons
];

function roundTrip(mesh: IndexedMesh, t: Target): IndexedMesh {
  if (t.format === 'obj') {
    const { obj, mtl } = writeObj(mesh, { mtlName: 'out.mtl' });
    return readMeshSync({ bytes: obj, name: 'out.obj', resolve: (uri) => (uri === 'out.mtl' ? mtl : undefined) }).mesh;
  }
  const bytes = writeMesh(mesh, t.format, { ascii: t.ascii });
  return readMeshSync({ bytes, name: `out.${t.format}` }).mesh;
}

/** A per-vertex attribute read at every triangle corner: independent of how vertices are shared. */
function corners(mesh: IndexedMesh, key: 'positions' | 'normals' | 'colors' | 'uvs', width: number): number[] {
  const data = mesh[key] as ArrayLike<number>;
  const out: number[] = [];
  for (const v of mesh.indices) for (let k = 0; k < width; k++) out.push(data[v * width + k]);
  return out;
}

function mergeAdjacent(groups: MeshGroup[]): MeshGroup[] {
  const out: MeshGroup[] = [];
  for (const g of groups) {
    const last = out[out.length - 1];
    if (last && last.name === g.name && last.material === g.material && last.start + last.count === g.start) last.count += g.count;
    else out.push({ ...g });
  }
  return out;
}

describe('write → read round trips', () => {
  for (const source of SOURCES) {
    for (const t of TARGETS) {
      it(`${source} as ${t.label}`, async () => {
        const original = (await readMesh(corpusInput(source))).mesh;
        const back = roundTrip(original, t);
        const triangles = original.indices.length / 3;
        assert.equal(back.indices.length / 3, triangles);
        if (t.indexed) {
          // Written welded (shared vertices, seams kept): the same corners, fewer vertices.
          assert.equal(back.positions.length, weldKeepingSeams(original).mesh.positions.length);
          assert.deepEqual(corners(back, 'positions', 3), corners(original, 'positions', 3));
        } else {
          // A soup: corner k of triangle i is vertex 3i+k, at the original corner's position.
          for (let c = 0; c < original.indices.length; c++) {
            const v = original.indices[c];
            for (let k = 0; k < 3; k++) assert.equal(back.positions[c * 3 + k], original.positions[v * 3 + k]);
          }
        }
        if (t.colors && original.colors) assert.deepEqual(corners(back, 'colors', 4), corners(original, 'colors', 4), 'colours');
        if (t.normals && original.normals) {
          const [got, want] = [corners(back, 'normals', 3), corners(original, 'normals', 3)];
          // glTF's are unit normals (the spec's rule): the original direction, normalised.
          if (t.format === 'glb' || t.format === 'gltf') {
            for (let i = 0; i < want.length; i += 3) {
              const l = Math.hypot(want[i], want[i + 1], want[i + 2]);
              if (!(l > 0)) continue;
              for (let k = 0; k < 3; k++) assert.ok(Math.abs(got[i + k] - want[i + k] / l) < 1e-6, `normal of corner ${i / 3}`);
            }
          } else assert.deepEqual(got, want, 'normals');
        }
        if (t.uvs && original.uvs) assert.deepEqual(corners(back, 'uvs', 2), corners(original, 'uvs', 2), 'uvs');
        if (t.groups && original.groups && original.materials) {
          // OBJ names groups: consecutive ranges with one name and material are one group there
          // (CesiumMilkTruck's two wheel instances).
          const expected = t.format === 'obj' ? mergeAdjacent(original.groups) : original.groups;
          assert.deepEqual(
            back.groups?.map((g) => [g.start, g.count, g.material]),
            expected.map((g) => [g.start, g.count, g.material]),
          );
          assert.deepEqual(
            back.materials?.map((m) => [m.name, m.color.map((x) => Math.fround(x))]),
            original.materials.map((m) => [m.name, m.color.map((x) => Math.fround(x))]),
          );
        }
      });
    }
  }

  it('OBJ keeps group names and texture file names (with spaces) through its MTL', () => {
    const original = readMeshSync(corpusInput('obj/fuze/fuze.obj')).mesh;
    const back = roundTrip(original, TARGETS[4]);
    assert.equal(back.materials?.[0].texture, 'fuze uv.jpg');
    const spider = readMeshSync(corpusInput('obj/spider/spider.obj')).mesh;
    assert.deepEqual(roundTrip(spider, TARGETS[4]).groups?.map((g) => g.name), spider.groups?.map((g) => g.name));
  });
});
