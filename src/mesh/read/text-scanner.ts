/**
 * A cursor over the bytes of a text mesh file (ASCII STL, ASCII PLY, OBJ, MTL).
 *
 * Text formats are parsed straight from the Uint8Array: no decoding of a 100 MB file into
 * a string and no split into lines, which is what makes three's loaders 3–5× slower than
 * assimp. Numbers are parsed by hand with an exact fast path (Clinger: an integer mantissa
 * below 2^53 times an exact power of ten is correctly rounded) and `Number()` on the token
 * for the rare spellings outside it, so results equal `Number()`'s for every input.
 */

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const VT = 11;
const FF = 12;

/** Exact powers of ten representable in a double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** True for the bytes that separate tokens on a line (space, tab, CR, VT, FF). */
export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === VT || c === FF;
}

/** Decode bytes as Latin-1 (enough for names and number tokens, never for a whole file). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  }
  return s;
}

/** Decode bytes as UTF-8 (names, file references), replacing invalid sequences. */
export function utf8(bytes: Uint8Array, start: number, end: number): string {
  return new TextDecoder('utf-8').decode(bytes.subarray(start, end));
}

/** Offset of the ASCII text `needle` (bytes as written, case-sensitive) at or after `from`, or -1. */
export function indexOfAscii(bytes: Uint8Array, needle: string, from = 0): number {
  if (from < 0) return -1;
  outer: for (let i = from; i + needle.length <= bytes.length; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle.charCodeAt(k)) continue outer;
    return i;
  }
  return -1;
}

/**
 * The 1-based line number of offset `at` (newlines before it, plus one), for messages of
 * readers that skip ahead without counting lines.
 */
export function lineNumber(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(LF); i >= 0 && i < at; i = bytes.indexOf(LF, i + 1)) line++;
  return line;
}

/**
 * The value of the four decimal digits at `p` (read as one little-endian word), or -1 when
 * any of the four bytes is not a digit. Number parsers take fraction digits four at a time
 * with it: exporters write six to nine, and a branch and a multiply per digit was most of
 * the time spent on text meshes. The caller ensures p + 4 ≤ the view's length.
 */
export function fourDigits(view: DataView, p: number): number {
  const x = view.getUint32(p, true);
  // Every byte in 0x30–0x39: high nibble 3, and still 3 after adding 6.
  if ((x & 0xf0f0f0f0) !== 0x30303030 || ((x + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) return -1;
  const d = x - 0x30303030;
  // Bytes d0 d1 d2 d3 (d0 the first digit) → pairs d0·10+d1 and d2·10+d3 in bytes 0 and 2.
  const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

/** A DataView over exactly the bytes of `bytes`, for `fourDigits`. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Where the last `scanNumber` ended, or why it failed (a negative code). */
export const scanned = { end: 0 };
/** `scanned.end` when there were no digits at all (maybe `nan`/`inf`, maybe not a number). */
export const NO_DIGITS = -1;
/** `scanned.end` when the digits are followed by something other than whitespace. */
export const TRAILING_JUNK = -2;

/** The value of the last successful `scanNumberAt`. */
export const scannedValue = new Float64Array(1);

/**
 * Parse a decimal number (sign, digits, fraction, exponent) starting at `start`, which must
 * end at whitespace or `end`. Returns the value and sets `scanned.end` to the offset after
 * it, or to NO_DIGITS / TRAILING_JUNK. A free function with a module-level result, so hot
 * loops (ASCII STL) can call it without an object per number. `view` is `viewOf(b)`.
 */
export function scanNumber(b: Uint8Array, view: DataView, start: number, end: number): number {
  scanned.end = scanNumberAt(b, view, start, end);
  return scanned.end >= 0 ? scannedValue[0] : NaN;
}

/**
 * `scanNumber` for loops over many numbers: returns the offset after the number (or
 * NO_DIGITS / TRAILING_JUNK) and leaves the value in `scannedValue[0]`. A double returned
 * from a call V8 does not inline is boxed — a heap allocation per number — and a typed
 * array slot is not.
 */
// eslint-disable-next-line complexity -- one pass over a number's bytes, called per number of every text reader: with the exponent and the final value in helpers (V8 inlined them) 3M numbers took 4–5% longer (2 runs of 14 alternating, min 272 → 286 ms)
export function scanNumberAt(b: Uint8Array, view: DataView, start: number, end: number): number {
  let p = start;
  let neg = false;
  if (p < end && (b[p] === 45 || b[p] === 43)) {
    neg = b[p] === 45;
    p++;
  }
  // While the mantissa stays below 2^53 every step of it is exact; past that the slow path
  // (Number on the token) takes over, so no significant-digit bookkeeping per digit.
  let mant = 0;
  let exp10 = 0;
  const intStart = p;
  while (p < end) {
    const d = b[p] - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    p++;
  }
  let digits = p - intStart;
  if (p < end && b[p] === 46) {
    p++;
    const fracStart = p;
    for (let four = 0; p + 4 <= end && (four = fourDigits(view, p)) >= 0; p += 4) mant = mant * 10000 + four;
    while (p < end) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      p++;
    }
    exp10 = fracStart - p;
    digits += p - fracStart;
  }
  if (digits === 0) return NO_DIGITS;
  if (p < end && (b[p] | 0x20) === 101) {
    let q = p + 1;
    let eneg = false;
    if (q < end && (b[q] === 45 || b[q] === 43)) {
      eneg = b[q] === 45;
      q++;
    }
    let e = 0;
    const expStart = q;
    while (q < end) {
      const d = b[q] - 48;
      if (d < 0 || d > 9) break;
      if (e < 100000) e = e * 10 + d;
      q++;
    }
    if (q > expStart) {
      p = q;
      exp10 += eneg ? -e : e;
    }
  }
  if (p < end && !isBlank(b[p]) && b[p] !== LF) return TRAILING_JUNK;
  if (mant > 9007199254740991 || exp10 > 22 || exp10 < -22) {
    scannedValue[0] = Number(latin1(b, start, p));
  } else {
    const v = exp10 === 0 ? mant : exp10 > 0 ? mant * POW10[exp10] : mant / POW10[-exp10];
    scannedValue[0] = neg ? -v : v;
  }
  return p;
}

export class TextScanner {
  /** Current byte offset. */
  pos: number;
  /** 1-based line number of `pos` (maintained by the methods that cross newlines). */
  line = 1;
  /** False after a read method found no token of the asked kind at `pos`. */
  ok = true;
  readonly bytes: Uint8Array;
  /** `viewOf(bytes)`, for `scanNumber`. */
  readonly view: DataView;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = viewOf(bytes);
    this.pos = start;
    this.end = end;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Skip spaces and tabs, staying on the current line. */
  skipBlanks(): void {
    const b = this.bytes;
    let p = this.pos;
    while (p < this.end && isBlank(b[p])) p++;
    this.pos = p;
  }

  /** Skip all whitespace including newlines, counting lines. */
  skipWhitespace(): void {
    const b = this.bytes;
    let p = this.pos;
    const end = this.end;
    while (p < end) {
      const c = b[p];
      if (c === LF) this.line++;
      else if (!isBlank(c)) break;
      p++;
    }
    this.pos = p;
  }

  /** True at the end of the input or of the line (after skipping blanks). */
  atLineEnd(): boolean {
    this.skipBlanks();
    return this.pos >= this.end || this.bytes[this.pos] === LF;
  }

  /** Move to the start of the next line. */
  skipLine(): void {
    const b = this.bytes;
    let p = this.pos;
    while (p < this.end && b[p] !== LF) p++;
    if (p < this.end) {
      p++;
      this.line++;
    }
    this.pos = p;
  }

  /** Offset of the end of the current line, before any CR. */
  lineEnd(): number {
    const b = this.bytes;
    let p = this.pos;
    while (p < this.end && b[p] !== LF) p++;
    while (p > this.pos && b[p - 1] === CR) p--;
    return p;
  }

  /** End offset of the token at `pos` (up to the next whitespace). */
  tokenEnd(): number {
    const b = this.bytes;
    let p = this.pos;
    while (p < this.end && !isBlank(b[p]) && b[p] !== LF) p++;
    return p;
  }

  /** Read the token at `pos` as Latin-1 text and move past it. */
  readToken(): string {
    const end = this.tokenEnd();
    const s = latin1(this.bytes, this.pos, end);
    this.pos = end;
    return s;
  }

  /**
   * If the token at `pos` equals `lowerWord` (ASCII, any case) and is followed by whitespace
   * or the end, move past it and return true.
   */
  matchWord(lowerWord: string): boolean {
    const b = this.bytes;
    const p = this.pos;
    const n = lowerWord.length;
    if (p + n > this.end) return false;
    for (let i = 0; i < n; i++) {
      if ((b[p + i] | 0x20) !== lowerWord.charCodeAt(i)) return false;
    }
    if (p + n < this.end) {
      const c = b[p + n];
      if (c !== LF && !isBlank(c)) return false;
    }
    this.pos = p + n;
    return true;
  }

  /**
   * Parse a decimal floating-point number at `pos` (sign, digits, fraction, exponent; also
   * `nan`, `inf`, `infinity`, which callers reject as non-finite). The number must end at
   * whitespace. Sets `ok` = false and leaves `pos` unchanged when there is no number here.
   */
  readFloat(): number {
    const v = scanNumber(this.bytes, this.view, this.pos, this.end);
    const after = scanned.end;
    if (after === NO_DIGITS) {
      const b = this.bytes;
      const sign = this.pos < this.end && (b[this.pos] === 45 || b[this.pos] === 43) ? 1 : 0;
      return this.readSpecial(this.pos, this.pos + sign, sign === 1 && b[this.pos] === 45);
    }
    if (after === TRAILING_JUNK) {
      this.ok = false;
      return NaN;
    }
    this.pos = after;
    this.ok = true;
    return v;
  }

  private readSpecial(start: number, afterSign: number, neg: boolean): number {
    const b = this.bytes;
    const word = (w: string): boolean => {
      const after = afterSign + w.length;
      if (after > this.end) return false;
      for (let i = 0; i < w.length; i++) if ((b[afterSign + i] | 0x20) !== w.charCodeAt(i)) return false;
      return after === this.end || isBlank(b[after]) || b[after] === LF;
    };
    if (word('nan')) {
      this.pos = afterSign + 3;
      this.ok = true;
      return NaN;
    }
    if (word('inf') || word('infinity')) {
      this.pos = afterSign + (word('inf') ? 3 : 8);
      this.ok = true;
      return neg ? -Infinity : Infinity;
    }
    this.pos = start;
    this.ok = false;
    return NaN;
  }

  /**
   * Parse an optionally signed decimal integer at `pos`. Sets `ok` = false (and leaves
   * `pos`) when there is none. Values beyond 2^53 come back inexact but still huge, which
   * every caller rejects as out of range.
   */
  readInt(): number {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    let neg = false;
    if (p < end && (b[p] === 45 || b[p] === 43)) {
      neg = b[p] === 45;
      p++;
    }
    let v = 0;
    const first = p;
    while (p < end) {
      const d = b[p] - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      p++;
    }
    if (p === first) {
      this.ok = false;
      return 0;
    }
    this.pos = p;
    this.ok = true;
    return neg ? -v : v;
  }
}
