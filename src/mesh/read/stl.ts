/**
 * STL: decide binary or ASCII, then read. The size rule comes first: a file of exactly
 * 84 + 50·count bytes is binary even when its header starts with "solid" (many CAD tools
 * write that), and a "solid" file with control bytes in its first kilobyte is binary too.
 */
import { readStlAscii, utf8BomLength } from './stl-ascii.js';
import { STL_HEADER_BYTES, STL_RECORD_BYTES, readStlBinary, type StlParse } from './stl-binary.js';

/** True when the size is exactly what a binary STL header's triangle count implies. */
export function stlSizeMatches(bytes: Uint8Array): boolean {
  if (bytes.length < STL_HEADER_BYTES) return false;
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
  return STL_HEADER_BYTES + STL_RECORD_BYTES * count === bytes.length;
}

/** True when `bytes` should be read as a binary STL. */
export function isBinaryStl(bytes: Uint8Array): boolean {
  if (stlSizeMatches(bytes)) return true;
  if (!startsWithSolid(bytes)) return true;
  const end = Math.min(bytes.length, 1024);
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c < 9 || (c > 13 && c < 32)) return true;
  }
  return false;
}

/** True when the text starts (after a BOM and whitespace) with the keyword `solid`. */
export function startsWithSolid(bytes: Uint8Array): boolean {
  let p = utf8BomLength(bytes);
  while (p < bytes.length && (bytes[p] === 32 || (bytes[p] >= 9 && bytes[p] <= 13))) p++;
  const word = 'solid';
  if (p + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if ((bytes[p + i] | 0x20) !== word.charCodeAt(i)) return false;
  const after = bytes[p + word.length];
  return after === undefined || after === 32 || (after >= 9 && after <= 13);
}

/** Read an STL of either kind. */
export function readStl(bytes: Uint8Array, name: string): StlParse & { variant: 'binary' | 'ascii' } {
  if (isBinaryStl(bytes)) return { ...readStlBinary(bytes, name), variant: 'binary' };
  return { ...readStlAscii(bytes, name), variant: 'ascii' };
}
