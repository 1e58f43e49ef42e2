/**
 * Reading mesh files: one entry point for every format Cusp accepts. Pure: bytes in, an
 * IndexedMesh out; sibling files (OBJ's .mtl, glTF's .bin) come through `resolve`, so the
 * caller does all I/O. Every failure is a CuspError 'mesh_rejected' with a message that
 * names the file and says what to do — decoder, JSON and range errors are wrapped.
 */
import { isCuspError } from '../../errors.js';
import type { IndexedMesh, MeshFormat } from '../mesh.js';
import { detectFormat, normalizeTextEncoding } from './detect.js';
import { meshRejected } from './rejection.js';
import { assertSoundMesh } from './sound-mesh.js';
import { openGltf } from './gltf-container.js';
import { compressionOf, readGltf, readGltfFile } from './gltf.js';
import { readObj } from './obj.js';
import { readPly } from './ply.js';
import { readStl } from './stl.js';

export { detectFormat } from './detect.js';

export interface ReadInput {
  /** The file. */
  bytes: Uint8Array;
  /** File name (for messages and format detection by extension). */
  name: string;
  /**
   * Fetch a sibling file (OBJ's .mtl, glTF's external .bin / images) by relative URI;
   * undefined if missing. Pure: the caller does I/O.
   */
  resolve?: (uri: string) => Uint8Array | undefined;
}

export interface ReadResult {
  mesh: IndexedMesh;
  format: MeshFormat;
  /** e.g. 'binary', 'ascii', 'binary_little_endian', 'binary_big_endian', 'draco', 'meshopt'. */
  variant: string;
  /** Things a user should know that are not fatal (e.g. "3 solids merged"). */
  warnings: string[];
}

/**
 * Read any supported mesh file synchronously: STL, PLY, OBJ(+MTL), glTF/GLB without
 * Draco or meshopt compression (those need the async `readMesh`, which loads the decoders).
 */
export function readMeshSync(input: ReadInput): ReadResult {
  return guard(input.name, () => {
    const bytes = normalizeTextEncoding(input.bytes);
    const format = detectFormat(bytes, input.name);
    const result = readFormat(format, { ...input, bytes });
    assertSoundMesh(result.mesh, input.name, format);
    return result;
  });
}

/** Read any supported mesh file, including Draco- and meshopt-compressed glTF. */
export async function readMesh(input: ReadInput): Promise<ReadResult> {
  const { name, resolve } = input;
  try {
    const bytes = normalizeTextEncoding(input.bytes);
    const format = detectFormat(bytes, name);
    if (format !== 'gltf' && format !== 'glb') return readMeshSync(input);
    const file = openGltf(bytes, name, format);
    const compression = compressionOf(file);
    if (compression.length === 0) {
      const r = readGltfFile(file, name, resolve, bytes.length);
      assertSoundMesh(r.mesh, name, format);
      return { mesh: r.mesh, format, variant: r.variant, warnings: r.warnings };
    }
    // Loaded here, not at the top: the decoders (Draco's WebAssembly, meshopt, glTF-Transform)
    // take ~0.3 s to load, which every `cusp inspect` of an STL would otherwise pay.
    const { decompressGltf } = await import('./gltf-decode.js');
    const glb = await decompressGltf(file, bytes, name, resolve);
    const r = readGltfFile(openGltf(glb, name, 'glb'), name, resolve, bytes.length);
    assertSoundMesh(r.mesh, name, format);
    const variant = compression.map((c) => (c.includes('draco') ? 'draco' : 'meshopt')).join('+');
    return { mesh: r.mesh, format, variant, warnings: [...file.warnings, ...r.warnings] };
  } catch (err) {
    throw wrapError(name, err);
  }
}

function readFormat(format: MeshFormat, input: ReadInput): ReadResult {
  switch (format) {
    case 'stl': {
      const r = readStl(input.bytes, input.name);
      return { mesh: r.mesh, format, variant: r.variant, warnings: r.warnings };
    }
    case 'ply': {
      const r = readPly(input.bytes, input.name);
      return { mesh: r.mesh, format, variant: r.variant, warnings: r.warnings };
    }
    case 'obj': {
      const r = readObj(input.bytes, input.name, input.resolve);
      return { mesh: r.mesh, format, variant: 'ascii', warnings: r.warnings };
    }
    case 'gltf':
    case 'glb': {
      const r = readGltf(input.bytes, input.name, format, input.resolve);
      return { mesh: r.mesh, format: r.format, variant: r.variant, warnings: r.warnings };
    }
  }
}

/** Run a reader, turning anything that escapes it into a 'mesh_rejected' CuspError. */
function guard<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw wrapError(name, err);
  }
}

function wrapError(name: string, err: unknown): Error {
  if (isCuspError(err) && err.code === 'mesh_rejected') return err;
  const why = err instanceof Error ? err.message : String(err);
  return meshRejected('unknown', 'invalid_structure', `${name} could not be read (${why}) — the file is damaged or not a mesh; export the scan again`, err);
}
