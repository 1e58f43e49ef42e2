// glTF/GLB reading beyond the corpus: compressed files decode to the same box as the
// uncompressed one, node transforms and instancing are baked in (winding kept under
// mirroring), colours come out as sRGB bytes, and broken graphs or accessors are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCuspError } from '../../../src/errors.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMesh, readMeshSync } from '../../../src/mesh/read/index.js';
import { corpusInput } from './corpus-input.js';

type Json = Record<string, unknown>;

/** A .gltf with one base64 buffer holding `arrays` as consecutive buffer views/accessors. */
function gltf(arrays: { data: Float32Array | Uint32Array | Uint16Array; type: string; componentType: number; normalized?: boolean }[], rest: Json): Uint8Array {
  const chunks = arrays.map((a) => new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const bin = new Uint8Array(total);
  let at = 0;
  const bufferViews: Json[] = [];
  const accessors: Json[] = [];
  const sizes: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };
  arrays.forEach((a, i) => {
    bin.set(chunks[i], at);
    bufferViews.push({ buffer: 0, byteOffset: at, byteLength: chunks[i].length });
    accessors.push({ bufferView: i, componentType: a.componentType, type: a.type, count: a.data.length / sizes[a.type], normalized: a.normalized });
    at += chunks[i].length;
  });
  const json = {
    asset: { version: '2.0' },
    buffers: [{ byteLength: total, uri: `data:application/octet-stream;base64,${Buffer.from(bin).toString('base64')}` }],
    bufferViews,
    accessors,
    ...rest,
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

const TRIANGLE = { data: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]), type: 'VEC3', componentType: 5126 };
const ONE_MESH = { meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }] };

function read(bytes: Uint8Array) {
  return readMeshSync({ bytes, name: 'test.gltf' });
}

function rejects(bytes: Uint8Array, reason: string, words: RegExp): void {
  assert.throws(
    () => read(bytes),
    (err: unknown) => isCuspError(err) && err.code === 'mesh_rejected' && err.details?.reason === reason && words.test(err.message),
  );
}

function signedVolume(m: IndexedMesh): number {
  let v = 0;
  const p = m.positions;
  for (let t = 0; t < m.indices.length; t += 3) {
    const [a, b, c] = [m.indices[t] * 3, m.indices[t + 1] * 3, m.indices[t + 2] * 3];
    v += (p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) - p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) + p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c])) / 6;
  }
  return v;
}

/** Triangles as sorted corner-position text, rounded to `digits`. */
function surface(m: IndexedMesh, digits: number): string[] {
  const out: string[] = [];
  for (let t = 0; t < m.indices.length; t += 3) {
    out.push([0, 1, 2].map((k) => Array.from(m.positions.subarray(m.indices[t + k] * 3, m.indices[t + k] * 3 + 3), (x) => x.toFixed(digits)).join(',')).sort().join(' '));
  }
  return out.sort();
}

describe('glTF reader', () => {
  it('decodes Draco and meshopt boxes to the same surface as the uncompressed box', async () => {
    const box = (await readMesh(corpusInput('gltf/Box_external/Box.gltf'))).mesh;
    const draco = await readMesh(corpusInput('gltf/BoxDraco/BoxDraco.gltf'));
    const meshopt = await readMesh(corpusInput('gltf/BoxMeshopt.glb'));
    assert.equal(draco.variant, 'draco');
    assert.equal(meshopt.variant, 'meshopt');
    // Both are quantised: compare to three decimals (the box is 1 unit wide).
    assert.deepEqual(surface(draco.mesh, 3), surface(box, 3));
    assert.deepEqual(surface(meshopt.mesh, 3), surface(box, 3));
    assert.throws(() => readMeshSync(corpusInput('gltf/BoxDraco/BoxDraco.gltf')), /KHR_draco_mesh_compression, which needs the asynchronous reader/);
  });

  it('bakes node transforms: the box on its rotated node stays a closed outward box', async () => {
    const box = (await readMesh(corpusInput('gltf/Box_external/Box.gltf'))).mesh;
    assert.ok(Math.abs(signedVolume(box) - 1) < 1e-6);
  });

  it('keeps triangles facing outward under a mirroring transform', () => {
    const plain = read(boxGltf([1, 1, 1])).mesh;
    const mirrored = read(boxGltf([-1, 1, 1])).mesh;
    assert.ok(signedVolume(plain) > 0);
    assert.ok(Math.abs(signedVolume(mirrored) - signedVolume(plain)) < 1e-9);
  });

  it('expands EXT_mesh_gpu_instancing instances at their translations', () => {
    const translations = { data: new Float32Array([0, 0, 0, 10, 0, 0, 0, 20, 0]), type: 'VEC3', componentType: 5126 };
    const bytes = gltf([TRIANGLE, translations], {
      ...ONE_MESH,
      extensionsUsed: ['EXT_mesh_gpu_instancing'],
      nodes: [{ mesh: 0, extensions: { EXT_mesh_gpu_instancing: { attributes: { TRANSLATION: 1 } } } }],
      scenes: [{ nodes: [0] }],
    });
    const r = read(bytes);
    assert.equal(r.mesh.indices.length / 3, 3);
    assert.deepEqual(Array.from(r.mesh.positions.subarray(9, 12)), [10, 0, 0]);
    assert.deepEqual(Array.from(r.mesh.positions.subarray(21, 24)), [1, 20, 0]);
    assert.match(r.warnings.join('\n'), /3 EXT_mesh_gpu_instancing instances/);
  });

  it('turns linear COLOR_0 (float or normalised) into sRGB bytes', () => {
    const colors = { data: new Uint16Array([0, 0, 0, 65535, 13107, 13107, 13107, 65535, 65535, 65535, 65535, 32768]), type: 'VEC4', componentType: 5123, normalized: true };
    const r = read(gltf([TRIANGLE, colors], { meshes: [{ primitives: [{ attributes: { POSITION: 0, COLOR_0: 1 } }] }] }));
    // Linear 0.2 is sRGB 124; alpha stays linear.
    assert.deepEqual(Array.from(r.mesh.colors ?? []), [0, 0, 0, 255, 124, 124, 124, 255, 255, 255, 255, 128]);
  });

  it('reads every mesh once when there is no node graph, and reports skipped point primitives', () => {
    const r = read(gltf([TRIANGLE], { meshes: [{ primitives: [{ attributes: { POSITION: 0 } }, { attributes: { POSITION: 0 }, mode: 0 }] }] }));
    assert.equal(r.mesh.indices.length, 3);
    assert.match(r.warnings.join('\n'), /1 point or line primitive skipped/);
    rejects(gltf([TRIANGLE], { meshes: [{ primitives: [{ attributes: { POSITION: 0 }, mode: 1 }] }] }), 'no_triangles', /holds no triangles/);
  });

  it('refuses broken graphs and accessors with the reason', () => {
    const indices = (values: number[]) => ({ data: new Uint32Array(values), type: 'SCALAR', componentType: 5125 });
    rejects(gltf([TRIANGLE], { ...ONE_MESH, nodes: [{ children: [1] }, { children: [2] }, { children: [0], mesh: 0 }] }), 'invalid_structure', /node 0 is its own descendant/);
    rejects(gltf([TRIANGLE], { ...ONE_MESH, nodes: [{ children: [2] }, { children: [2] }, { mesh: 0 }] }), 'invalid_structure', /node 2 is the child of several nodes/);
    rejects(gltf([TRIANGLE], { ...ONE_MESH, nodes: [{ mesh: 3 }] }), 'invalid_structure', /refers to mesh 3/);
    rejects(gltf([TRIANGLE, indices([0, 1, 3])], { meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }] }), 'index_out_of_range', /uses vertex 3, but its POSITION accessor has only 3/);
    rejects(gltf([TRIANGLE, indices([0, 1])], { meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }] }), 'invalid_structure', /2 indices, not a multiple of 3/);
    const hostile = JSON.parse(new TextDecoder().decode(gltf([TRIANGLE], ONE_MESH)));
    hostile.accessors[0] = { componentType: 5126, type: 'VEC3', count: 2_000_000_000 };
    rejects(new TextEncoder().encode(JSON.stringify(hostile)), 'invalid_structure', /claims 2000000000 elements without any data/);
    hostile.accessors[0] = { bufferView: 0, componentType: 5126, type: 'VEC3', count: 4 };
    rejects(new TextEncoder().encode(JSON.stringify(hostile)), 'truncated', /reaches past the end of its buffer view/);
  });

  it('refuses a GLB whose chunk runs past the file and a glTF 1.0 file', () => {
    const glb = readMeshSync(corpusInput('gltf/no_indices_3storybuilding.glb'));
    assert.equal(glb.variant, 'binary');
    const bytes = corpusInput('gltf/no_indices_3storybuilding.glb').bytes;
    const lying = bytes.slice();
    new DataView(lying.buffer).setUint32(12, 1 << 30, true);
    assert.throws(() => readMeshSync({ bytes: lying, name: 'lying.glb' }), /lying\.glb is truncated: a chunk claims 1073741824 bytes/);
    assert.throws(() => read(new TextEncoder().encode('{"asset":{"version":"1.0"}}')), /glTF version '1\.0' is not supported/);
  });
});

/** A unit cube (12 outward triangles) on a node scaled by `scale`. */
function boxGltf(scale: number[]): Uint8Array {
  const p = new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]);
  const quads = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]];
  const idx = new Uint32Array(quads.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]));
  return gltf(
    [
      { data: p, type: 'VEC3', componentType: 5126 },
      { data: idx, type: 'SCALAR', componentType: 5125 },
    ],
    { meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }], nodes: [{ mesh: 0, scale }], scenes: [{ nodes: [0] }] },
  );
}
