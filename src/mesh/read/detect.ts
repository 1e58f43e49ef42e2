/**
 * What kind of mesh file is this? Content decides first (scanners and network shares lose or
 * mangle extensions); the extension is only a hint for files whose content says nothing,
 * such as an empty or cut-off file, so that the reader can say what is wrong with it.
 */
import type { MeshFormat } from '../mesh.js';
import { meshRejected } from './rejection.js';
import { startsWithSolid, stlSizeMatches } from './stl.js';

const FORMATS: readonly MeshFormat[] = ['stl', 'ply', 'obj', 'gltf', 'glb'];

/** The lower-case extension of `name` without the dot ('' when none). */
export function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * Detect the format of a mesh file by its content, with the extension of `name` as a hint.
 * A binary STL whose header starts with "solid" is detected as STL by its size.
 * Throws CuspError 'mesh_rejected' when neither content nor name tell.
 */
export function detectFormat(bytes: Uint8Array, name: string): MeshFormat {
  const named = formatNamedByHead(bytes);
  if (named) return named;
  if (stlSizeMatches(bytes) || startsWithSolid(bytes)) return 'stl';
  if (looksLikeObj(bytes, firstNonBlank(bytes))) return 'obj';
  const ext = extensionOf(name);
  if ((FORMATS as readonly string[]).includes(ext)) return ext as MeshFormat;
  throw meshRejected(
    'unknown',
    bytes.length === 0 ? 'empty' : 'unknown_format',
    bytes.length === 0
      ? `${name} is empty (0 bytes) — the export did not finish; export the scan again`
      : `${name} is not a mesh file Cusp reads (STL, PLY, OBJ, glTF or GLB) — export the scan in one of these formats`,
  );
}

/**
 * The formats whose first bytes name them, tested before STL's size rule: GLB's magic,
 * PLY's first line, a JSON glTF's opening brace. `bytes` may be only the file's first
 * kilobyte: the answer is the same as for the whole file unless that kilobyte is all blank.
 */
export function formatNamedByHead(bytes: Uint8Array): 'glb' | 'ply' | 'gltf' | undefined {
  if (startsWithAscii(bytes, 0, 'glTF')) return 'glb';
  if (startsWithAscii(bytes, 0, 'ply') && (bytes[3] === 10 || bytes[3] === 13)) return 'ply';
  const first = firstNonBlank(bytes);
  if (first < bytes.length && bytes[first] === 0x7b) return 'gltf';
  return undefined;
}

/** Position of the first byte after a UTF-8 BOM and blanks (`bytes.length` when all blank). */
export function firstNonBlank(bytes: Uint8Array): number {
  let p = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (p < bytes.length && (bytes[p] === 32 || (bytes[p] >= 9 && bytes[p] <= 13))) p++;
  return p;
}

/**
 * UTF-16 text (some Windows tools save OBJ/MTL that way) re-encoded as UTF-8, so the
 * byte-level text readers see ASCII keywords. Other input is returned as is.
 */
export function normalizeTextEncoding(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2) return bytes;
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return bytes;
  if (stlSizeMatches(bytes)) return bytes;
  const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2));
  return new TextEncoder().encode(text);
}

function startsWithAscii(bytes: Uint8Array, at: number, word: string): boolean {
  if (at + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return false;
  return true;
}

const OBJ_KEYWORDS = ['v', 'vn', 'vt', 'f', 'o', 'g', 'mtllib', 'usemtl', 's'];

/** True when one of the first lines (up to 64 KiB) starts with an OBJ statement. */
function looksLikeObj(bytes: Uint8Array, from: number): boolean {
  const end = Math.min(bytes.length, from + 65536);
  let p = from;
  while (p < end) {
    let q = p;
    while (q < end && bytes[q] !== 32 && bytes[q] !== 9 && bytes[q] !== 10 && bytes[q] !== 13) q++;
    const word = String.fromCharCode(...bytes.subarray(p, Math.min(q, p + 8)));
    if (q < end && (bytes[q] === 32 || bytes[q] === 9) && OBJ_KEYWORDS.includes(word)) return true;
    if (word !== '' && word[0] !== '#') return false;
    while (q < end && bytes[q] !== 10) q++;
    p = q + 1;
    while (p < end && (bytes[p] === 32 || (bytes[p] >= 9 && bytes[p] <= 13))) p++;
  }
  return false;
}
