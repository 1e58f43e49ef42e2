/**
 * The fast path of the ASCII STL reader: one facet in the canonical layout every exporter
 * writes (`facet normal a b c` / `outer loop` / three `vertex x y z` / `endloop` /
 * `endfacet`, any case and whitespace), parsed with local offsets and no objects. Anything
 * else — a polygon, a missing normal, a bad or non-finite number, the end of a solid —
 * returns -1 and the general reader takes the same bytes again, with its exact messages.
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

/** Newlines crossed by the last successful `fastFacet` (for line numbers in messages). */
export const fastLines = { count: 0 };

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12;
}

function skipSpace(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = b[p];
    if (c === 10) fastLines.count++;
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

/** Read one canonical facet at `p` into `out`; the offset after it, or -1 to use the general reader. */
export function fastFacet(b: Uint8Array, p: number, end: number, out: FloatList): number {
  fastLines.count = 0;
  p = keyword(b, keyword(b, p, end, FACET), end, NORMAL);
  // The normal is not kept (see stl-binary.ts): skip three tokens.
  for (let k = 0; k < 3 && p >= 0; k++) {
    p = skipSpace(b, p, end);
    const start = p;
    while (p < end && !isSpace(b[p])) p++;
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
      p = skipSpace(b, p, end);
      const x = scanNumber(b, p, end);
      // A failed scan leaves a negative code in scanned.end; NaN or ±Infinity fails x - x.
      if (scanned.end < 0 || x - x !== 0) return -1;
      d[o++] = x;
      p = scanned.end;
    }
  }
  p = keyword(b, keyword(b, p, end, ENDLOOP), end, ENDFACET);
  if (p < 0) return -1;
  out.length = o;
  return p;
}
