/**
 * The fast path of the ASCII STL reader: a run of facets in the canonical layout every
 * exporter writes (`facet normal a b c` / `outer loop` / three `vertex x y z` / `endloop` /
 * `endfacet`, any case and whitespace), parsed in one loop with local offsets and no
 * objects. It stops before anything else — a polygon, a missing normal, a bad or
 * non-finite number, the end of a solid — and the general reader takes those bytes, with
 * its exact messages. For the facets it takes, it accepts exactly what the general reader
 * accepts (blanks within a line, any whitespace between lines) and stores the same values.
 *
 * It does not count lines: the general reader works out a line number from the offset only
 * when it needs one for a message, so the bytes are not examined twice.
 *
 * The loop is written out by hand, like three-mesh-bvh's inner loops: with the same steps
 * as small helper functions (even all inlined) it took 1.4× as long, which put ASCII STL
 * behind assimp. Plain decimal numbers (at most 15 digits, no exponent) are computed here —
 * an exact integer over an exact power of ten is correctly rounded — and every other
 * spelling goes to the general `scanNumber`, so values are always exactly `Number()`'s.
 */
import { fourDigits, isBlank, scanNumber, scanned, viewOf } from './text-scanner.js';

/** Exact powers of ten for 0–15 fraction digits. */
const POW10 = new Float64Array(Array.from({ length: 16 }, (_, i) => Number(`1e${i}`)));

/** Whitespace: space, tab, LF, VT, FF, CR (the general reader's blanks and newline). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Bytes p…p+3 with 0x20 ORed in (lower case for letters), as a little-endian word. */
function lower4(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) | 0x20202020;
}

/** `lower4` of a lower-case keyword's first four letters. */
function word4(w: string): number {
  return w.charCodeAt(0) | (w.charCodeAt(1) << 8) | (w.charCodeAt(2) << 16) | (w.charCodeAt(3) << 24);
}

const FACE = word4('face'); // facet
const NORM = word4('norm'); // normal
const OUTE = word4('oute'); // outer
const LOOP = word4('loop');
const VERT = word4('vert'); // vertex
const ENDL = word4('endl'); // endloop
const ENDF = word4('endf'); // endfacet
const OOP = word4('oop\0'); // endl|oop (three bytes)
const ACET = word4('acet'); // endf|acet

const T = 116;
const R = 114;
const A = 97;
const L = 108;
const E = 101;
const X = 120;

/** How far the last `fastFacets` filled its array. */
export const fastFilled = { length: 0 };

/**
 * Read canonical facets from `p` into `d` from index `o` on, for as long as they come and
 * fit; returns the offset of the first byte not taken (the whitespace before a facet it
 * declined or had no room for, `endsolid`, or the end) and sets `fastFilled.length`. A facet
 * is committed whole: one declined halfway leaves the array as it was. (Plain arguments and
 * a constant result object: a growing list's properties, touched mid-loop only when it
 * grew, made V8 throw away the loop's optimized code on every file.)
 */
// eslint-disable-next-line complexity -- the loop is written out by hand on purpose: as small helper functions (even all inlined) it took 1.4× as long (see the file's header)
export function fastFacets(b: Uint8Array, p: number, end: number, d: Float32Array, o: number): number {
  const view = viewOf(b);
  let start = p;
  facets: while (true) {
    // Stored on every facet, not once after the loop: a store first reached after the loop
    // was optimised has no type feedback, and V8 then threw the optimised loop away.
    fastFilled.length = o;
    if (o + 9 > d.length) break;
    start = p;
    // 'facet' after any whitespace, then blanks, then 'normal' (each followed by whitespace).
    while (p < end && isSpace(b[p])) p++;
    if (p + 6 > end || lower4(b, p) !== FACE || (b[p + 4] | 32) !== T || !isSpace(b[p + 5])) break;
    p += 5;
    while (p < end && isBlank(b[p])) p++;
    if (p + 7 > end || lower4(b, p) !== NORM || (b[p + 4] | 32) !== A || (b[p + 5] | 32) !== L || !isSpace(b[p + 6])) break;
    p += 6;
    // The normal is not kept (see stl-binary.ts): three tokens on the same line.
    for (let k = 0; k < 3; k++) {
      while (p < end && isBlank(b[p])) p++;
      const token = p;
      while (p < end && b[p] > 32) p++;
      if (p === token) break facets;
    }
    // 'outer' after any whitespace, then blanks, then 'loop'.
    while (p < end && isSpace(b[p])) p++;
    if (p + 6 > end || lower4(b, p) !== OUTE || (b[p + 4] | 32) !== R || !isSpace(b[p + 5])) break;
    p += 5;
    while (p < end && isBlank(b[p])) p++;
    if (p + 5 > end || lower4(b, p) !== LOOP || !isSpace(b[p + 4])) break;
    p += 4;
    for (let v = 0; v < 9; v += 3) {
      // 'vertex' after any whitespace, then three numbers separated by blanks.
      while (p < end && isSpace(b[p])) p++;
      if (p + 7 > end || lower4(b, p) !== VERT || (b[p + 4] | 32) !== E || (b[p + 5] | 32) !== X || !isSpace(b[p + 6])) break facets;
      p += 6;
      for (let k = 0; k < 3; k++) {
        while (p < end && isBlank(b[p])) p++;
        const number = p;
        let neg = false;
        if (p < end && (b[p] === 45 || b[p] === 43)) neg = b[p++] === 45;
        let mant = 0;
        const first = p;
        for (let c = b[p] - 48; p < end && c >= 0 && c <= 9; c = b[p] - 48) {
          mant = mant * 10 + c;
          p++;
        }
        let digits = p - first;
        let fraction = 0;
        if (p < end && b[p] === 46) {
          const dot = ++p;
          while (p + 4 <= end) {
            const four = fourDigits(view, p);
            if (four < 0) break;
            mant = mant * 10000 + four;
            p += 4;
          }
          for (let c = b[p] - 48; p < end && c >= 0 && c <= 9; c = b[p] - 48) {
            mant = mant * 10 + c;
            p++;
          }
          fraction = p - dot;
          digits += fraction;
        }
        if (digits === 0 || digits > 15 || (p < end && !isSpace(b[p]))) {
          // An exponent, a long mantissa, nan/inf or junk: the general parser decides.
          // The stored float is checked: a finite double such as 1e39 is Infinity in float32.
          d[o + v + k] = scanNumber(b, view, number, end);
          if (scanned.end < 0 || d[o + v + k] - d[o + v + k] !== 0) break facets;
          p = scanned.end;
        } else {
          const value = fraction === 0 ? mant : mant / POW10[fraction];
          d[o + v + k] = neg ? -value : value;
        }
      }
    }
    // 'endloop' and 'endfacet' after any whitespace (a fourth 'vertex' is a polygon: declined).
    while (p < end && isSpace(b[p])) p++;
    if (p + 8 > end || lower4(b, p) !== ENDL || (lower4(b, p + 4) & 0xffffff) !== OOP || !isSpace(b[p + 7])) break;
    p += 7;
    while (p < end && isSpace(b[p])) p++;
    if (p + 8 > end || lower4(b, p) !== ENDF || lower4(b, p + 4) !== ACET) break;
    p += 8;
    if (p < end && !isSpace(b[p])) break;
    o += 9;
    start = p;
  }
  return start;
}
