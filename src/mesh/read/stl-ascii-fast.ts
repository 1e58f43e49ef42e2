/**
 * The fast path of the ASCII STL reader: one facet in the canonical layout every exporter
 * writes (`facet normal a b c` / `outer loop` / three `vertex x y z` / `endloop` /
 * `endfacet`, any case and whitespace), parsed with local offsets and no objects. Anything
 * else — a polygon, a missing normal, a bad or non-finite number, the end of a solid —
 * returns -1 and the general reader takes the same bytes again, with its exact messages.
 *
 * Everything that runs per byte is inlined here with locals (whitespace, keywords, the
 * plain decimal numbers exporters write); a number with an exponent or more than 15 digits
 * goes to the general `scanNumber`, so values are always exactly `Number()`'s.
 */
import type { FloatList } from './growable.js';
import { scanNumber, scanned } from './text-scanner.js';

const word = (w: string): Uint8Array => Uint8Array.from(w, (c) => c.charCodeAt(0));
const FACET = word('facet');
const NORMAL = word('normal');
const OUTER = word('outer');
const LOOP = word('loop');
const VERTEX = word('vertex');
const ENDLOOP = word('endloop');
const ENDFACET = word('endfacet');

/** Exact powers of ten for 1–15 fraction digits. */
const POW10 = Array.from({ length: 16 }, (_, i) => Number(`1e${i}`));

/** Newlines crossed by the last successful `fastFacet` (for line numbers in messages). */
export const fastLines = { count: 0 };

/** Newlines crossed while skipping whitespace in the current facet. */
let lines = 0;

/** Whitespace: space, tab, LF, VT, FF, CR. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Offset of the first non-whitespace byte at or after `p`, counting newlines into `lines`. */
function skipSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p];
    if (c > 32) break;
    if (c === 10) lines++;
    else if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) break;
    p++;
  }
  return p;
}

/** Offset after keyword `kw` (lower-case bytes) at `p`, any case, followed by space; or -1. */
function keyword(b: Uint8Array, p: number, end: number, kw: Uint8Array): number {
  if (p < 0) return -1;
  p = skipSpace(b, p, end);
  const n = kw.length;
  if (p + n > end) return -1;
  for (let i = 0; i < n; i++) if ((b[p + i] | 0x20) !== kw[i]) return -1;
  return p + n === end || isSpace(b[p + n]) ? p + n : -1;
}

/**
 * A finite number at `start` ending at whitespace or `end`, stored into `out[o]`; returns
 * the offset after it, or -1 when it is not a finite number. `[+-]digits[.digits]` with at
 * most 15 digits is computed here (an exact integer over an exact power of ten is
 * correctly rounded); other spellings go to `scanNumber`. The value goes straight into the
 * array rather than being returned: a double returned from a call that is not inlined is
 * boxed, and 9 million boxes a file were a sixth of the reading time.
 */
function numberInto(b: Uint8Array, start: number, end: number, out: Float32Array, o: number): number {
  let p = start;
  let neg = false;
  if (p < end) {
    const c = b[p];
    if (c === 45) {
      neg = true;
      p++;
    } else if (c === 43) {
      p++;
    }
  }
  let mant = 0;
  let digits = 0;
  while (p < end) {
    const d = b[p] - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    p++;
    digits++;
  }
  let fraction = 0;
  if (p < end && b[p] === 46) {
    p++;
    while (p < end) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      p++;
      fraction++;
    }
  }
  digits += fraction;
  if (digits === 0 || digits > 15 || (p < end && b[p] > 32)) {
    // An exponent, a long mantissa, nan/inf or junk: the general parser decides.
    const v = scanNumber(b, start, end);
    if (scanned.end < 0 || v - v !== 0) return -1;
    out[o] = v;
    return scanned.end;
  }
  if (p < end && !isSpace(b[p])) return -1;
  const v = fraction === 0 ? mant : mant / POW10[fraction];
  out[o] = neg ? -v : v;
  return p;
}

/** Read one canonical facet at `p` into `out`; the offset after it, or -1 to use the general reader. */
export function fastFacet(b: Uint8Array, p: number, end: number, out: FloatList): number {
  lines = 0;
  p = keyword(b, keyword(b, p, end, FACET), end, NORMAL);
  // The normal is not kept (see stl-binary.ts): skip three tokens.
  for (let k = 0; k < 3 && p >= 0; k++) {
    p = skipSpace(b, p, end);
    const start = p;
    while (p < end && b[p] > 32) p++;
    if (p === start) p = -1;
  }
  p = keyword(b, keyword(b, p, end, OUTER), end, LOOP);
  if (p < 0) return -1;
  out.reserve(9);
  const d = out.data;
  let o = out.length;
  for (let v = 0; v < 3; v++) {
    p = keyword(b, p, end, VERTEX);
    if (p < 0) return -1;
    for (let k = 0; k < 3; k++) {
      p = numberInto(b, skipSpace(b, p, end), end, d, o++);
      if (p < 0) return -1;
    }
  }
  p = keyword(b, keyword(b, p, end, ENDLOOP), end, ENDFACET);
  if (p < 0) return -1;
  out.length = o;
  fastLines.count = lines;
  return p;
}
