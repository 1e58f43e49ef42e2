/**
 * Building large text files (ASCII STL/PLY, OBJ) without one giant string: lines are
 * collected in small batches, each batch encoded to UTF-8, and the bytes joined at the end.
 */

const BATCH = 8192;

export class TextOutput {
  private lines: string[] = [];
  private chunks: Uint8Array[] = [];
  private size = 0;
  private readonly encoder = new TextEncoder();

  /** Append text (usually one line with its newline). */
  push(text: string): void {
    this.lines.push(text);
    if (this.lines.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const bytes = this.encoder.encode(this.lines.join(''));
    this.chunks.push(bytes);
    this.size += bytes.length;
    this.lines = [];
  }

  /** All text so far as UTF-8 bytes. */
  toBytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/**
 * Decimal text that reads back as the same float32: nine significant digits always
 * suffice; trailing zeros are trimmed. (Searching for the shortest of 7–9 digits made the
 * output 15% smaller but the writer over twice as slow.)
 */
export function formatFloat32(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return Object.is(v, -0) ? '-0' : String(v);
  return trimZeros(v.toPrecision(9));
}

/** A direction component (a normal): six decimals are plenty and readers recompute them anyway. */
export function formatUnit(v: number): string {
  if (v === 0) return '0';
  return trimZeros(v.toFixed(6));
}

function trimZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  const e = s.indexOf('e');
  if (e >= 0) return trimZeros(s.slice(0, e)) + s.slice(e);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return end === s.length ? s : s.slice(0, end);
}
