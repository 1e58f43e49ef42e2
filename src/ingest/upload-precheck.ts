/**
 * The cheap first look at an upload: from its first 64 KiB and its size, decide how the
 * try-read may read it, and refuse at once what cannot be a mesh — so a 1 GiB body of
 * garbage costs a 64 KiB read, never a 1 GiB one. Pure: bytes and numbers in, a verdict out.
 *
 * The rules follow the readers' own (detect.ts, stl.ts, stl-binary.ts), with the file's
 * real size where they use the length of the bytes they hold:
 * - a binary STL's size must be 84 + 50·count (up to 49 trailing bytes, as the reader
 *   allows): its strict read only checks that and that every coordinate is finite, so it
 *   can be checked streaming, a few MiB at a time, and is (`stream: 'binary-stl'`);
 * - a GLB's header states its total length: it must be the file's size;
 * - a file that says nothing by its content is judged by its extension as the readers do,
 *   but a PLY without its `ply` line, a glTF that does not start with `{` and a binary STL
 *   whose size disagrees with its count are refused here instead of after a full read;
 * - a big text file (ASCII STL, OBJ, glTF JSON) must have no NUL byte in its head;
 * - everything else (ASCII STL, PLY, OBJ, glTF) needs the full read.
 */
import { detectFormat } from '../mesh/read/index.js';
import { meshRejected } from '../mesh/read/rejection.js';
import { startsWithSolid } from '../mesh/read/stl.js';
import { STL_HEADER_BYTES, STL_RECORD_BYTES } from '../mesh/read/stl-binary.js';

/** How much of the file the first look reads. */
export const HEAD_BYTES = 64 * 1024;

/**
 * Files above this size are "big": read whole only one at a time (upload-probe.ts), and
 * refused from their head when a text format's head holds binary data. A smaller file is
 * cheap to read whole, and the reader's own verdict on it is the better one (a small OBJ
 * padded with NULs by its exporter stays the reader's to judge).
 */
export const BIG_READ_BYTES = 64 << 20;

export type PrecheckVerdict =
  | { read: 'binary-stl'; triangles: number; trailingBytes: number }
  | { read: 'full' };

/** Decide how to try-read a file of `size` bytes starting with `head`; throws 'mesh_rejected' when it cannot be a mesh. */
export function precheckUpload(head: Uint8Array, size: number, name: string): PrecheckVerdict {
  // UTF-16 text (a BOM): the readers re-encode it first; only the full read can tell, once
  // its head decodes as text.
  const le = head[0] === 0xff && head[1] === 0xfe;
  if (head.length >= 2 && (le || (head[0] === 0xfe && head[1] === 0xff)) && !binaryStlFits(head, size)) {
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(head.subarray(2, head.length & ~1));
    if (size > BIG_READ_BYTES && (text.includes('\u0000') || text.includes('\ufffd'))) throw notLike(name, 'text', 'it starts with a UTF-16 mark but holds binary data');
    return { read: 'full' };
  }
  if (binaryStlFits(head, size) && exactStl(head, size)) return binaryStl(head, size, name);
  // Throws the readers' own message for a file neither content nor name make a mesh of.
  const format = detectFormat(head, name);
  switch (format) {
    case 'stl':
      if (!looksLikeAsciiStl(head)) return binaryStl(head, size, name);
      return text(head, size, name, 'ASCII STL');
    case 'glb':
      return glb(head, size, name);
    case 'ply':
      if (!startsWithAscii(head, 'ply')) throw notLike(name, 'PLY', 'it does not start with the line "ply"');
      return { read: 'full' };
    case 'gltf':
      if (head[firstNonBlank(head)] !== 0x7b) throw notLike(name, 'glTF', 'a .gltf file is JSON and starts with "{"');
      return text(head, size, name, 'glTF');
    case 'obj':
      return text(head, size, name, 'OBJ');
  }
}

/** A GLB starts with its magic and declares its own length in the header: a cut-off or padded file is refused here. */
function glb(head: Uint8Array, size: number, name: string): PrecheckVerdict {
  if (!startsWithAscii(head, 'glTF')) throw notLike(name, 'GLB', 'it does not start with the GLB magic "glTF"');
  if (head.length < 12) return { read: 'full' };
  const declared = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(8, true);
  if (declared !== size) {
    throw meshRejected('glb', declared > size ? 'truncated' : 'invalid_structure',
      `${name}: the GLB header says ${declared} bytes, but the file has ${size} — ${declared > size ? 'it was cut short' : 'the file is inconsistent'}; export the scan again`);
  }
  return { read: 'full' };
}

/**
 * A text format (ASCII STL, OBJ, glTF JSON) has no NUL byte: binary data that merely starts
 * like one (a `{`, an `solid`, a `v `) is refused here instead of decoded whole.
 */
function text(head: Uint8Array, size: number, name: string, kind: string): PrecheckVerdict {
  if (size > BIG_READ_BYTES && head.includes(0)) throw notLike(name, kind, `it holds binary data (a NUL byte at ${head.indexOf(0)}) where ${kind} is text`);
  return { read: 'full' };
}

function notLike(name: string, kind: string, why: string) {
  return meshRejected('unknown', 'unknown_format', `${name} is not a valid ${kind} file (${why}) — export the scan again in a format Cusp reads (STL, PLY, OBJ, glTF or GLB)`);
}

function headerCount(head: Uint8Array): number {
  return new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(80, true);
}

/** The header's count accounts for the size, allowing the reader's < 50 trailing bytes. */
function binaryStlFits(head: Uint8Array, size: number): boolean {
  if (head.length < STL_HEADER_BYTES) return false;
  const extra = size - (STL_HEADER_BYTES + STL_RECORD_BYTES * headerCount(head));
  return extra >= 0 && extra < STL_RECORD_BYTES;
}

/** Exactly 84 + 50·count bytes: binary even when the header starts with "solid" (stl.ts). */
function exactStl(head: Uint8Array, size: number): boolean {
  return STL_HEADER_BYTES + STL_RECORD_BYTES * headerCount(head) === size;
}

/** What stl.ts reads as ASCII: "solid" first and no control bytes in the first kilobyte. */
function looksLikeAsciiStl(head: Uint8Array): boolean {
  if (!startsWithSolid(head)) return false;
  const end = Math.min(head.length, 1024);
  for (let i = 0; i < end; i++) {
    const c = head[i];
    if (c < 9 || (c > 13 && c < 32)) return false;
  }
  return true;
}

/** A binary STL: its size must fit its count (the reader's messages, with the real size). */
function binaryStl(head: Uint8Array, size: number, name: string): PrecheckVerdict {
  if (size < STL_HEADER_BYTES || head.length < STL_HEADER_BYTES) {
    throw meshRejected('stl', 'truncated', `${name} is too short to be an STL (${size} bytes; a binary STL has an 84-byte header) — export the scan again`);
  }
  const count = headerCount(head);
  const expected = STL_HEADER_BYTES + STL_RECORD_BYTES * count;
  const fit = Math.floor((size - STL_HEADER_BYTES) / STL_RECORD_BYTES);
  if (size < expected) {
    const whole = (size - STL_HEADER_BYTES) % STL_RECORD_BYTES === 0;
    throw meshRejected('stl', whole ? 'count_mismatch' : 'truncated', whole
      ? `${name}: header says ${count} triangles (${expected} bytes), but the file has ${size} bytes, exactly ${fit} triangle${fit === 1 ? '' : 's'} — the header count is wrong or the file was cut short; re-export from the scanner`
      : `${name} is truncated: header says ${count} triangles (${expected} bytes), file has ${size} bytes (room for ${fit}) — re-export from the scanner or copy the file again`);
  }
  if (size - expected >= STL_RECORD_BYTES) {
    throw meshRejected('stl', 'count_mismatch', `${name}: header says ${count} triangles (${expected} bytes), but the file has ${size} bytes (room for ${fit}) — the triangle count is wrong; re-export from the scanner`);
  }
  if (count === 0) throw meshRejected('stl', 'no_triangles', `${name} holds no triangles (header count 0) — export the scan again`);
  return { read: 'binary-stl', triangles: count, trailingBytes: size - expected };
}

function startsWithAscii(bytes: Uint8Array, word: string): boolean {
  if (word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[i] !== word.charCodeAt(i)) return false;
  return true;
}

function firstNonBlank(bytes: Uint8Array): number {
  let p = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (p < bytes.length && (bytes[p] === 32 || (bytes[p] >= 9 && bytes[p] <= 13))) p++;
  return p;
}
