/**
 * Draco- and meshopt-compressed glTF: decoded by glTF-Transform with the upstream decoders
 * (draco3dgltf, meshoptimizer), then written back as a plain GLB that the synchronous
 * reader turns into a mesh — one code path for scenes, transforms and checks either way.
 * The decoders are wasm modules, loaded once per thread on first use.
 */
import { WebIO, type Document, type GLTF } from '@gltf-transform/core';
import { ALL_EXTENSIONS, EXTMeshoptCompression, KHRDracoMeshCompression } from '@gltf-transform/extensions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder } from 'meshoptimizer';
import { isCuspError } from '../../errors.js';
import { type GltfFile, type Json, fetchSibling } from './gltf-container.js';
import { meshRejected } from './rejection.js';

let io: Promise<WebIO> | undefined;

/** glTF-Transform I/O with every extension and both decoders registered (created once). */
function decoderIO(): Promise<WebIO> {
  io ??= (async () => {
    await MeshoptDecoder.ready;
    return new WebIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
      'draco3d.decoder': await draco3d.createDecoderModule(),
      'meshopt.decoder': MeshoptDecoder,
    });
  })();
  return io;
}

/** Decode a compressed glTF/GLB into the bytes of an equivalent uncompressed GLB. */
export async function decompressGltf(
  file: GltfFile,
  bytes: Uint8Array,
  name: string,
  resolve?: (uri: string) => Uint8Array | undefined,
): Promise<Uint8Array> {
  try {
    const gltfIO = await decoderIO();
    const doc = file.format === 'glb' && !hasExternalBuffers(file.json)
      ? await gltfIO.readBinary(bytes)
      : await gltfIO.readJSON({ json: withBin(file) as unknown as GLTF.IGLTF, resources: siblings(file, name, resolve) as Record<string, Uint8Array<ArrayBuffer>> });
    return await gltfIO.writeBinary(plain(doc));
  } catch (err) {
    if (isCuspError(err)) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw meshRejected(file.format, 'invalid_structure', `${name}: the compressed glTF could not be decoded (${why}) — export it again, or without compression`, err);
  }
}

function hasExternalBuffers(json: Json): boolean {
  const buffers = Array.isArray(json.buffers) ? (json.buffers as Json[]) : [];
  return buffers.some((b) => typeof b?.uri === 'string' && !b.uri.startsWith('data:'));
}

/** The GLB's BIN chunk as buffer 0's resource, so a GLB with external buffers reads as JSON + resources. */
function withBin(file: GltfFile): Json {
  if (file.format !== 'glb' || !file.bin) return file.json;
  const json = structuredClone(file.json);
  const buffers = Array.isArray(json.buffers) ? (json.buffers as Json[]) : [];
  if (buffers[0] && buffers[0].uri === undefined) buffers[0].uri = GLB_BIN_URI;
  return json;
}

const GLB_BIN_URI = 'cusp-glb-bin-chunk.bin';

/** Every external buffer and image the file names, fetched through `resolve`. */
function siblings(file: GltfFile, name: string, resolve?: (uri: string) => Uint8Array | undefined): Record<string, Uint8Array> {
  const resources: Record<string, Uint8Array> = {};
  if (file.bin) resources[GLB_BIN_URI] = file.bin;
  const buffers = Array.isArray(file.json.buffers) ? (file.json.buffers as Json[]) : [];
  for (const b of buffers) {
    if (typeof b?.uri !== 'string' || b.uri.startsWith('data:')) continue;
    const data = fetchSibling(b.uri, resolve);
    if (!data) {
      throw meshRejected(file.format, 'missing_resource', `${name} needs '${b.uri}', which is not next to it — copy the whole export folder (the .gltf with its .bin files)`);
    }
    resources[b.uri] = data;
  }
  const images = Array.isArray(file.json.images) ? (file.json.images as Json[]) : [];
  for (const image of images) {
    if (typeof image?.uri !== 'string' || image.uri.startsWith('data:')) continue;
    // Texture pixels are not needed for geometry; an empty stand-in keeps decoding going.
    resources[image.uri] = fetchSibling(image.uri, resolve) ?? new Uint8Array(0);
  }
  return resources;
}

/** The document without compression, in one buffer (GLB allows one), texture names kept. */
function plain(doc: Document): Document {
  const root = doc.getRoot();
  for (const ext of root.listExtensionsUsed()) {
    if (ext.extensionName === KHRDracoMeshCompression.EXTENSION_NAME || ext.extensionName === EXTMeshoptCompression.EXTENSION_NAME) ext.dispose();
  }
  const [keep, ...others] = root.listBuffers();
  if (keep) {
    for (const accessor of root.listAccessors()) accessor.setBuffer(keep);
    for (const b of others) b.dispose();
  }
  for (const texture of root.listTextures()) {
    if (!texture.getName() && texture.getURI()) texture.setName(texture.getURI());
  }
  return doc;
}
