/**
 * GLB writer, by hand: one buffer, one mesh with a primitive per group (so materials
 * survive), a node without transform. Positions float32 with the min/max the spec
 * requires; unit normals always (given ones normalised, missing or zero ones computed from
 * the faces: see normals.ts), as the glTF validator demands; COLOR_0 as normalised unsigned short, converted from the mesh's sRGB
 * bytes to linear as glTF defines it (16 bits keep every sRGB byte distinct); TEXCOORD_0;
 * uint32 indices. The same document with a base64 buffer makes a `.gltf`.
 */
import type { IndexedMesh } from '../mesh.js';
import { SRGB_TO_LINEAR } from '../read/srgb.js';
import { unitNormals } from './normals.js';

const FLOAT = 5126;
const USHORT = 5123;
const UINT = 5125;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;

interface Built {
  json: Record<string, unknown>;
  bin: Uint8Array;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** The glTF JSON and its one binary buffer. */
function build(mesh: IndexedMesh): Built {
  const vertices = mesh.positions.length / 3;
  const parts: Uint8Array[] = [];
  const bufferViews: Record<string, unknown>[] = [];
  const accessors: Record<string, unknown>[] = [];
  let length = 0;
  const add = (data: ArrayBufferView, target: number, accessor: Record<string, unknown>): number => {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    bufferViews.push({ buffer: 0, byteOffset: length, byteLength: bytes.length, target });
    parts.push(bytes);
    length = align4(length + bytes.length);
    accessors.push({ bufferView: bufferViews.length - 1, ...accessor });
    return accessors.length - 1;
  };
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < mesh.positions.length; i++) {
    const k = i % 3;
    if (mesh.positions[i] < min[k]) min[k] = mesh.positions[i];
    if (mesh.positions[i] > max[k]) max[k] = mesh.positions[i];
  }
  const attributes: Record<string, number> = {
    POSITION: add(mesh.positions, ARRAY_BUFFER, { componentType: FLOAT, count: vertices, type: 'VEC3', min, max }),
  };
  attributes.NORMAL = add(unitNormals(mesh), ARRAY_BUFFER, { componentType: FLOAT, count: vertices, type: 'VEC3' });
  if (mesh.colors) {
    const linear = new Uint16Array(mesh.colors.length);
    for (let i = 0; i < linear.length; i++) {
      linear[i] = i % 4 === 3 ? Math.round((mesh.colors[i] / 255) * 65535) : Math.round(SRGB_TO_LINEAR[mesh.colors[i]] * 65535);
    }
    attributes.COLOR_0 = add(linear, ARRAY_BUFFER, { componentType: USHORT, normalized: true, count: vertices, type: 'VEC4' });
  }
  if (mesh.uvs) attributes.TEXCOORD_0 = add(mesh.uvs, ARRAY_BUFFER, { componentType: FLOAT, count: vertices, type: 'VEC2' });

  const triangles = mesh.indices.length / 3;
  const covered = (mesh.groups ?? []).reduce((sum, g) => sum + g.count, 0) === triangles;
  const groups = mesh.groups && mesh.groups.length > 0 && covered ? mesh.groups : [{ name: '', material: -1, start: 0, count: triangles }];
  const materials = mesh.materials ?? [];
  const primitives = groups
    .filter((g) => g.count > 0)
    .map((g) => {
      const indices = mesh.indices.subarray(g.start * 3, (g.start + g.count) * 3);
      const primitive: Record<string, unknown> = {
        attributes,
        indices: add(indices, ELEMENT_ARRAY_BUFFER, { componentType: UINT, count: indices.length, type: 'SCALAR' }),
        mode: 4,
      };
      if (materials[g.material]) primitive.material = g.material;
      return primitive;
    });

  const bin = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    bin.set(p, at);
    at = align4(at + p.length);
  }
  const json: Record<string, unknown> = {
    asset: { version: '2.0', generator: 'Cusp' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0 }],
    meshes: [{ name: groups.length === 1 ? groups[0].name || 'scan' : 'scan', primitives }],
    buffers: [{ byteLength: length }],
    bufferViews,
    accessors,
  };
  if (materials.length > 0) {
    json.materials = materials.map((m) => ({
      name: m.name,
      pbrMetallicRoughness: { baseColorFactor: m.color, metallicFactor: 0, roughnessFactor: 1 },
    }));
  }
  return { json, bin };
}

/** Binary glTF (GLB). Texture references are not written: GLB embeds images, which Cusp does not carry. */
export function writeGlb(mesh: IndexedMesh): Uint8Array {
  const { json, bin } = build(mesh);
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = align4(jsonBytes.length);
  const total = 12 + 8 + jsonLength + 8 + bin.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x46546c67, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLength);
  view.setUint32(20 + jsonLength, bin.length, true);
  view.setUint32(24 + jsonLength, 0x004e4942, true);
  out.set(bin, 28 + jsonLength);
  return out;
}

/** A self-contained .gltf (JSON with the buffer as a base64 data URI). */
export function writeGltf(mesh: IndexedMesh): Uint8Array {
  const { json, bin } = build(mesh);
  (json.buffers as Record<string, unknown>[])[0].uri = `data:application/octet-stream;base64,${Buffer.from(bin).toString('base64')}`;
  return new TextEncoder().encode(JSON.stringify(json));
}
