/**
 * The copy of a photo Cusp serves: the stored original with the metadata that can
 * identify a person or a place taken out — EXIF (GPS position, camera serial number,
 * owner name, capture software), XMP, IPTC, comments, PNG text chunks. Only the
 * orientation survives (as a minimal EXIF block of one tag), so the photo still shows
 * upright. The pixels are not touched: this is a byte-level filter of the file's
 * segments, no decoding, cheap enough to run on every download. The original stays in
 * the store exactly as it arrived. Pure: bytes in, bytes out.
 */
import { CuspError } from '../errors.js';

/** JPEG markers kept: JFIF (APP0), ICC profile (APP2 `ICC_PROFILE`), Adobe colour transform (APP14). */
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const SOS = 0xda;
const EOI = 0xd9;

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The EXIF orientation (1–8) of a JPEG's APP1 segment body (after the 2-byte length), or
 * undefined. Reads only IFD0's tag 0x0112.
 */
export function exifOrientation(app1: Uint8Array): number | undefined {
  if (!startsWith(app1, 0, 'Exif\0\0') || app1.length < 14) return undefined;
  const tiff = app1.subarray(6);
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = tiff[0] === 0x49;
  if (!little && tiff[0] !== 0x4d) return undefined;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return undefined;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > tiff.length) return undefined;
    if (view.getUint16(at, little) === 0x0112) {
      const value = view.getUint16(at + 8, little);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** An APP1 segment (marker included) holding only an orientation tag. */
function orientationSegment(orientation: number): Uint8Array {
  const body = [
    ...'Exif\0\0'.split('').map((c) => c.charCodeAt(0)),
    0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, // big-endian TIFF, IFD0 at 8
    0, 1, // one entry
    0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, // Orientation, SHORT, 1 value
    0, 0, 0, 0, // no next IFD
  ];
  const length = body.length + 2;
  return Uint8Array.from([0xff, APP1, length >> 8, length & 0xff, ...body]);
}

function notJpeg(why: string): CuspError {
  return new CuspError('conflict', `the stored photo is not a well-formed JPEG (${why}), so no copy without its metadata can be made — the original is in the patient's GDPR export`);
}

/**
 * A JPEG without EXIF, XMP, IPTC (APP13), comments and vendor APP segments; JFIF, the ICC
 * profile and Adobe's colour segment stay, and an orientation other than 1 is kept as a
 * one-tag EXIF block.
 */
export function stripJpeg(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw notJpeg('no start-of-image marker');
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  let orientation: number | undefined;
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw notJpeg(`no marker at byte ${at}`);
    const marker = bytes[at + 1];
    if (marker === 0xff) { at++; continue; } // fill byte
    if (marker === EOI) { parts.push(bytes.subarray(at, at + 2)); at += 2; break; }
    if (at + 4 > bytes.length) throw notJpeg('cut off in a segment header');
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) throw notJpeg(`a segment runs past the end at byte ${at}`);
    const body = bytes.subarray(at + 4, end);
    if (marker === APP1) orientation ??= exifOrientation(body);
    if (keepSegment(marker, body)) parts.push(bytes.subarray(at, end));
    at = end;
    if (marker === SOS) {
      const scan = entropyEnd(bytes, at);
      parts.push(bytes.subarray(at, scan));
      at = scan;
    }
  }
  // Whatever follows the end-of-image marker (phones append depth maps and preview
  // images there, with their own EXIF) is not served.
  if (orientation !== undefined && orientation !== 1) parts.splice(1, 0, orientationSegment(orientation));
  return concat(parts);
}

/** Whether a JPEG segment stays: every non-APP, non-comment segment, and of those only JFIF, Adobe and the ICC profile. */
function keepSegment(marker: number, body: Uint8Array): boolean {
  const isApp = marker >= 0xe0 && marker <= 0xef;
  if (!isApp && marker !== 0xfe) return true;
  return marker === APP0 || marker === APP14 || (marker === APP2 && startsWith(body, 0, 'ICC_PROFILE\0'));
}

/** Where a scan's entropy-coded data ends: the next marker that is neither a stuffed 0xFF00 nor a restart (or the end). */
function entropyEnd(bytes: Uint8Array, from: number): number {
  let scan = from;
  while (scan + 1 < bytes.length && !(bytes[scan] === 0xff && bytes[scan + 1] !== 0 && !(bytes[scan + 1] >= 0xd0 && bytes[scan + 1] <= 0xd7))) scan++;
  return scan + 1 >= bytes.length ? bytes.length : scan;
}

/** PNG chunks that carry metadata (EXIF, text, modification time): not served. */
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);

/** A PNG without its EXIF, text and time chunks; image data and colour chunks stay. */
export function stripPng(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    const end = at + 12 + length;
    if (end > bytes.length) throw new CuspError('conflict', `the stored photo is not a well-formed PNG (chunk ${type.replace(/[^\x20-\x7e]/g, '?')} runs past the end), so no copy without its metadata can be made — the original is in the patient's GDPR export`);
    if (!PNG_DROPPED.has(type)) parts.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The served copy of a stored JPEG or PNG (stripped as above). Bytes that do not parse as
 * their format are not served as they are (they may hold anything): the error says to
 * download the original through the GDPR export instead.
 */
export function servedPhoto(bytes: Uint8Array, mediaType: 'image/jpeg' | 'image/png'): Uint8Array {
  return mediaType === 'image/jpeg' ? stripJpeg(bytes) : stripPng(bytes);
}
