/**
 * The glTF container: a GLB (12-byte header, a JSON chunk, an optional BIN chunk) or a
 * `.gltf` JSON file, and the buffers it refers to — the GLB's BIN chunk, base64 `data:`
 * URIs, or sibling files fetched through `resolve`. Lengths are checked against the bytes
 * actually present; a missing buffer is refused with the file name it needs.
 */
import { meshRejected } from './rejection.js';
import { utf8 } from './text-scanner.js';

/** The parts of the glTF JSON schema the reader uses; everything is checked on use. */
export type Json = Record<string, unknown>;

export interface GltfFile {
  json: Json;
  format: 'gltf' | 'glb';
  /** The GLB BIN chunk, when present. */
  bin?: Uint8Array;
  warnings: string[];
}

const JSON_CHUNK = 0x4e4f534a;
const BIN_CHUNK = 0x004e4942;

/** Split a GLB or parse a .gltf; `name` is used in messages. */
export function openGltf(bytes: Uint8Array, name: string, format: 'gltf' | 'glb'): GltfFile {
  if (bytes.length === 0) throw meshRejected(format, 'empty', `${name} is empty (0 bytes) — the export did not finish; export the scan again`);
  const isGlb = bytes.length >= 4 && bytes[0] === 0x67 && bytes[1] === 0x6c && bytes[2] === 0x54 && bytes[3] === 0x46;
  if (!isGlb) return { json: parseJson(bytes, 0, bytes.length, name, 'gltf'), format: 'gltf', warnings: [] };

  const truncated = (what: string): never => {
    throw meshRejected('glb', 'truncated', `${name} is truncated: ${what} — copy or export the file again`);
  };
  if (bytes.length < 12) truncated(`a GLB header needs 12 bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== 2) {
    throw meshRejected('glb', 'unsupported', `${name} is a version ${version} GLB; only glTF 2.0 is supported — export as glTF 2.0`);
  }
  const length = view.getUint32(8, true);
  if (length > bytes.length) truncated(`the GLB header says ${length} bytes, the file has ${bytes.length}`);
  const warnings: string[] = [];
  if (length < bytes.length) warnings.push(`${bytes.length - length} bytes after the end of the GLB were ignored`);
  let json: Json | undefined;
  let bin: Uint8Array | undefined;
  let at = 12;
  while (at < length) {
    if (at + 8 > length) truncated(`a chunk header at byte ${at} is cut off`);
    const chunkLength = view.getUint32(at, true);
    const type = view.getUint32(at + 4, true);
    const start = at + 8;
    if (start + chunkLength > length) truncated(`a chunk claims ${chunkLength} bytes at byte ${start}, but the GLB ends at ${length}`);
    if (type === JSON_CHUNK && json === undefined) json = parseJson(bytes, start, start + chunkLength, name, 'glb');
    else if (type === BIN_CHUNK && bin === undefined) bin = bytes.subarray(start, start + chunkLength);
    at = start + chunkLength;
  }
  if (!json) throw meshRejected('glb', 'invalid_structure', `${name} has no JSON chunk — the GLB is damaged; export it again`);
  return { json, format: 'glb', bin, warnings };
}

function parseJson(bytes: Uint8Array, start: number, end: number, name: string, format: 'gltf' | 'glb'): Json {
  let text = utf8(bytes, start, end);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw meshRejected(format, 'syntax', `${name}: the glTF JSON is not valid (${(err as Error).message}) — export the file again`, err);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw meshRejected(format, 'invalid_structure', `${name}: the glTF JSON is not an object — export the file again`);
  }
  const asset = (json as Json).asset as Json | undefined;
  const version = typeof asset?.version === 'string' ? asset.version : '';
  if (!version.startsWith('2.')) {
    throw meshRejected(format, 'unsupported', `${name}: glTF version '${version || 'missing'}' is not supported; only glTF 2.0 is — export as glTF 2.0`);
  }
  return json as Json;
}

/**
 * The bytes of buffer `index`, loaded on first use: BIN chunk, data URI or sibling file.
 * Checks the declared byteLength against what is there.
 */
export class GltfBuffers {
  private readonly cache = new Map<number, Uint8Array>();
  /** True when a buffer came from a sibling file. */
  external = false;

  constructor(
    private readonly file: GltfFile,
    private readonly name: string,
    private readonly resolve?: (uri: string) => Uint8Array | undefined,
  ) {}

  get(index: number): Uint8Array {
    const cached = this.cache.get(index);
    if (cached) return cached;
    const defs = this.file.json.buffers;
    const def = Array.isArray(defs) ? (defs[index] as Json | undefined) : undefined;
    const format = this.file.format;
    if (!def || typeof def !== 'object') {
      throw meshRejected(format, 'invalid_structure', `${this.name}: buffer ${index} is referenced but not defined — the glTF is inconsistent; export it again`);
    }
    const uri = def.uri;
    let data: Uint8Array | undefined;
    if (typeof uri !== 'string') {
      if (format !== 'glb' || index !== 0 || !this.file.bin) {
        throw meshRejected(format, 'missing_resource', `${this.name}: buffer ${index} has no data (no uri and no GLB binary chunk) — export the file again`);
      }
      data = this.file.bin;
    } else if (uri.startsWith('data:')) {
      const comma = uri.indexOf(',');
      if (comma < 0 || !/;base64$/i.test(uri.slice(0, comma))) {
        throw meshRejected(format, 'invalid_structure', `${this.name}: buffer ${index} has a data URI that is not base64 — export the file again`);
      }
      data = new Uint8Array(Buffer.from(uri.slice(comma + 1), 'base64'));
    } else {
      data = fetchSibling(uri, this.resolve);
      if (!data) {
        throw meshRejected(
          format,
          'missing_resource',
          `${this.name} needs '${uri}', which is not next to it — copy the whole export folder (the .gltf with its .bin files)`,
        );
      }
      this.external = true;
    }
    const declared = typeof def.byteLength === 'number' ? def.byteLength : -1;
    if (declared < 0 || declared > data.length) {
      throw meshRejected(
        format,
        'truncated',
        `${this.name}: buffer ${index}${typeof uri === 'string' && !uri.startsWith('data:') ? ` ('${uri}')` : ''} declares ${declared} bytes but holds ${data.length} — copy or export the file again`,
      );
    }
    this.cache.set(index, data);
    return data;
  }
}

/** A sibling by URI, trying the percent-decoded name first (glTF URIs are URI-encoded). */
export function fetchSibling(uri: string, resolve?: (uri: string) => Uint8Array | undefined): Uint8Array | undefined {
  if (!resolve) return undefined;
  let decoded = uri;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    // not percent-encoded: use as is
  }
  return resolve(decoded) ?? (decoded !== uri ? resolve(uri) : undefined);
}
