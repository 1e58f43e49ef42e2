/**
 * glTF 2.0 and GLB, uncompressed: container, buffers, accessors (sparse included), the
 * default scene with node transforms and EXT_mesh_gpu_instancing baked in, all triangle
 * primitives merged into one mesh, materials' base colour and texture name. Draco and
 * meshopt need wasm decoders, which load asynchronously: `gltf-decode.ts` turns such files
 * into plain GLB first.
 */
import type { IndexedMesh, MeshMaterial } from '../mesh.js';
import { AccessorReader } from './gltf-accessor.js';
import { GltfBuffers, type GltfFile, type Json, openGltf } from './gltf-container.js';
import { buildGltfMesh } from './gltf-primitives.js';
import { sceneDraws } from './gltf-scene.js';
import { meshRejected } from './rejection.js';

export interface GltfParse {
  mesh: IndexedMesh;
  format: 'gltf' | 'glb';
  variant: string;
  warnings: string[];
}

/** Extensions whose data this reader cannot decode synchronously. */
export const COMPRESSION_EXTENSIONS = ['KHR_draco_mesh_compression', 'EXT_meshopt_compression'] as const;

/** The compression extensions a glTF file uses. */
export function compressionOf(file: GltfFile): string[] {
  const used = [...asStrings(file.json.extensionsUsed), ...asStrings(file.json.extensionsRequired)];
  return COMPRESSION_EXTENSIONS.filter((e) => used.includes(e));
}

/** Read an uncompressed glTF or GLB (already opened). */
export function readGltfFile(
  file: GltfFile,
  name: string,
  resolve: ((uri: string) => Uint8Array | undefined) | undefined,
  inputBytes: number,
): GltfParse {
  const { json, format } = file;
  const compression = compressionOf(file);
  if (compression.length > 0) {
    throw meshRejected(
      format,
      'unsupported',
      `${name} uses ${compression.join(' and ')}, which needs the asynchronous reader (readMesh) with its decoders`,
    );
  }
  const buffers = new GltfBuffers(file, name, resolve);
  // An accessor without data is zero-filled; bound that by the input so a tiny file cannot claim gigabytes.
  const reader = new AccessorReader(json, buffers, name, format, Math.max(1 << 24, inputBytes * 16));
  const scene = sceneDraws(json, reader, name, format);
  const { mesh, skipped } = buildGltfMesh(json, reader, scene.draws, name, format);
  const warnings = [...file.warnings];
  const materials = readMaterials(json, name, format);
  for (const g of mesh.groups ?? []) {
    if (g.material >= materials.length) {
      throw meshRejected(format, 'invalid_structure', `${name}: a primitive uses material ${g.material}, which does not exist — the glTF is inconsistent; export it again`);
    }
  }
  if (materials.length > 0) mesh.materials = materials;
  if (scene.instances > 0) warnings.push(`${scene.instances} EXT_mesh_gpu_instancing instances expanded into the mesh`);
  if (skipped > 0) warnings.push(`${skipped} point or line primitive${skipped > 1 ? 's' : ''} skipped (not surfaces)`);
  const reused = scene.draws.length - new Set(scene.draws.map((d) => d.mesh)).size;
  if (reused > 0) warnings.push(`meshes drawn by several nodes were copied ${reused} extra time${reused > 1 ? 's' : ''}`);
  if (mesh.indices.length === 0) {
    throw meshRejected(format, 'no_triangles', `${name} holds no triangles in its default scene — export the scan as a triangle mesh`);
  }
  const variant = format === 'glb' ? 'binary' : buffers.external ? 'external' : 'embedded';
  return { mesh, format, variant, warnings };
}

/** Read a glTF or GLB from bytes (no compression). */
export function readGltf(bytes: Uint8Array, name: string, format: 'gltf' | 'glb', resolve?: (uri: string) => Uint8Array | undefined): GltfParse {
  return readGltfFile(openGltf(bytes, name, format), name, resolve, bytes.length);
}

function readMaterials(json: Json, name: string, format: 'gltf' | 'glb'): MeshMaterial[] {
  const defs = Array.isArray(json.materials) ? (json.materials as Json[]) : [];
  return defs.map((def, i) => {
    const pbr = ((def && typeof def === 'object' ? def.pbrMetallicRoughness : undefined) ?? {}) as Json;
    const factor = pbr.baseColorFactor;
    const color: [number, number, number, number] =
      Array.isArray(factor) && factor.length === 4 && factor.every((v) => typeof v === 'number' && Number.isFinite(v))
        ? [factor[0], factor[1], factor[2], factor[3]]
        : [1, 1, 1, 1];
    const material: MeshMaterial = { name: typeof def?.name === 'string' ? def.name : `material${i}`, color };
    const texture = textureName(json, (pbr.baseColorTexture as Json | undefined)?.index);
    if (texture === null) {
      throw meshRejected(format, 'invalid_structure', `${name}: material ${i} refers to a texture that does not exist — the glTF is inconsistent; export it again`);
    }
    if (texture) material.texture = texture;
    return material;
  });
}

/** The image file or name behind texture `index`; undefined when none, null when dangling. */
function textureName(json: Json, index: unknown): string | undefined | null {
  if (index === undefined) return undefined;
  const textures = Array.isArray(json.textures) ? (json.textures as Json[]) : [];
  const texture = typeof index === 'number' ? textures[index] : undefined;
  if (!texture || typeof texture !== 'object') return null;
  const images = Array.isArray(json.images) ? (json.images as Json[]) : [];
  const source = texture.source;
  const image = typeof source === 'number' ? images[source] : undefined;
  if (source !== undefined && (!image || typeof image !== 'object')) return null;
  if (!image) return typeof texture.name === 'string' ? texture.name : undefined;
  if (typeof image.uri === 'string' && !image.uri.startsWith('data:')) {
    try {
      return decodeURIComponent(image.uri);
    } catch {
      return image.uri;
    }
  }
  if (typeof image.name === 'string' && image.name) return image.name;
  return typeof texture.name === 'string' && texture.name ? texture.name : `image${String(source)}`;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
