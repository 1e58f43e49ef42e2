/**
 * Value sources for a PLY body: one reads binary values of either byte order through a
 * DataView, the other whitespace-separated ASCII tokens. Both report running out of data
 * through `short` instead of throwing, so the element loop can say which element of how
 * many the file ends in.
 */
import { PLY_SIZE, type PlyElement, type PlyScalar } from './ply-header.js';
import { meshRejected } from './rejection.js';
import { TextScanner, scanNumberAt, scannedValue } from './text-scanner.js';

export interface PlyBody {
  /** True once a read found no more data. */
  short: boolean;
  /** Read one value of `type` (0 once `short`). */
  value(type: PlyScalar): number;
  /** Bytes left after the current position that are not whitespace padding. */
  trailing(): number;
  /** The fewest bytes `count` elements like `element` can take. */
  minimumBytes(element: PlyElement): number;
  /** Bytes from the current position to the end. */
  remaining(): number;
}

/** Binary body, little or big endian. */
export class BinaryPlyBody implements PlyBody {
  short = false;
  /** Current byte offset (the binary fast paths in ply-vertices/ply-faces move it themselves). */
  pos: number;
  readonly view: DataView;
  readonly le: boolean;

  constructor(bytes: Uint8Array, start: number, littleEndian: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.le = littleEndian;
  }

  value(type: PlyScalar): number {
    const at = this.pos;
    const size = PLY_SIZE[type];
    if (at + size > this.view.byteLength) {
      this.short = true;
      return 0;
    }
    this.pos = at + size;
    return binaryValue(this.view, at, type, this.le);
  }

  trailing(): number {
    return this.view.byteLength - this.pos;
  }

  remaining(): number {
    return this.view.byteLength - this.pos;
  }

  minimumBytes(element: PlyElement): number {
    let per = 0;
    for (const p of element.properties) per += PLY_SIZE[p.countType ?? p.type];
    return per * element.count;
  }
}

/** ASCII body: whitespace-separated numbers, one element per line by convention. */
export class AsciiPlyBody implements PlyBody {
  short = false;
  private readonly s: TextScanner;
  private readonly name: string;

  constructor(bytes: Uint8Array, start: number, name: string) {
    this.s = new TextScanner(bytes, start);
    this.name = name;
  }

  /** Scratch for `value`. */
  private readonly one = new Float64Array(1);

  value(_type: PlyScalar): number {
    return this.numbers(this.one, 1) ? this.one[0] : 0;
  }

  /**
   * Read the next `count` numbers into `out` from index 0: false (and `short`) when the data
   * runs out first. The element readers take a row or a face's list per call, and the values
   * go into `out` rather than being returned one call each (a returned double is boxed).
   */
  numbers(out: Float64Array, count: number): boolean {
    const s = this.s;
    const b = s.bytes;
    const end = s.end;
    let p = s.pos;
    for (let k = 0; k < count; k++) {
      while (p < end) {
        const c = b[p];
        if (c === 10) s.line++;
        else if (c !== 32 && c !== 9 && c !== 13 && c !== 11 && c !== 12) break;
        p++;
      }
      if (p >= end) {
        s.pos = p;
        this.short = true;
        return false;
      }
      // Plain unsigned integers — face counts and indices, colours: most of a mesh's
      // numbers — are taken here without a call; anything else from the same offset again.
      let q = p;
      let integer = 0;
      for (let d = b[q] - 48; q < end && d >= 0 && d <= 9; d = b[q] - 48) {
        integer = integer * 10 + d;
        q++;
      }
      if (q > p && q - p <= 15 && (q === end || b[q] === 32 || (b[q] >= 9 && b[q] <= 13))) {
        out[k] = integer;
        p = q;
        continue;
      }
      const after = scanNumberAt(b, s.view, p, end);
      if (after >= 0) {
        out[k] = scannedValue[0];
        p = after;
        continue;
      }
      // nan/inf spellings, or not a number at all.
      s.pos = p;
      out[k] = s.readFloat();
      if (!s.ok) {
        throw meshRejected(
          'ply',
          'syntax',
          `${this.name}: body line ${s.line}: '${s.readToken().slice(0, 40)}' is not a number — the PLY data is malformed; export the scan again`,
        );
      }
      p = s.pos;
    }
    s.pos = p;
    return true;
  }

  /** Line number (counted from the end of the header) for messages. */
  line(): number {
    return this.s.line;
  }

  trailing(): number {
    this.s.skipWhitespace();
    return this.s.end - this.s.pos;
  }

  remaining(): number {
    return this.s.end - this.s.pos;
  }

  minimumBytes(element: PlyElement): number {
    // Every value or list length is at least one digit and one separator.
    return element.count * element.properties.length * 2 - 1;
  }
}

/** The data ran out inside element `i`. */
export function ranOut(element: PlyElement, i: number, name: string): never {
  throw meshRejected(
    'ply',
    'truncated',
    `${name}: the data ends in ${element.name} ${i + 1} of ${element.count} — the header declares more elements than the file holds, ` +
      `or the file is cut short; export the scan again`,
  );
}

/** A list in element `i` is impossible (negative length, a face of two vertices, a negative index). */
export function badList(element: PlyElement, i: number, what: string, name: string): never {
  throw meshRejected(
    'ply',
    'syntax',
    `${name}: ${element.name} ${i + 1} of ${element.count} has ${what} — the PLY data is malformed or the header's element ` +
      `counts are wrong (then everything after is misread); export the scan again`,
  );
}

/** Read a binary scalar at `at` (no bounds check: callers check the range first). */
export function binaryValue(view: DataView, at: number, type: PlyScalar, le: boolean): number {
  switch (type) {
    case 'float32': return view.getFloat32(at, le);
    case 'int32': return view.getInt32(at, le);
    case 'uint8': return view.getUint8(at);
    case 'uint32': return view.getUint32(at, le);
    case 'float64': return view.getFloat64(at, le);
    case 'int16': return view.getInt16(at, le);
    case 'uint16': return view.getUint16(at, le);
    case 'int8': return view.getInt8(at);
  }
}

/** Skip one list property (its length, then its items). */
export function skipList(countType: PlyScalar, type: PlyScalar, body: PlyBody): void {
  const n = body.value(countType);
  if (!(n >= 0)) return;
  for (let j = 0; j < n && !body.short; j++) body.value(type);
}
