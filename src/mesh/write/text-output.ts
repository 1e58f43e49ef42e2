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
 * The shortest decimal text that reads back as the same float32 (7–9 significant digits),
 * so text formats round-trip positions exactly.
 */
export function formatFloat32(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return Object.is(v, -0) ? '-0' : String(v);
  for (let p = 7; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return trimZeros(s);
  }
  return trimZeros(v.toPrecision(9));
}

function trimZeros(s: string): string {
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  if (!mantissa.includes('.')) return s;
  const trimmed = mantissa.replace(/0+$/, '').replace(/\.$/, '');
  return e < 0 ? trimmed : trimmed + s.slice(e);
}
