/**
 * Append-only typed arrays for text readers, which cannot know element counts up front.
 * Growth is bounded by the input: every element a reader appends consumed input bytes.
 */

/** A Float32Array that grows by doubling. */
export class FloatList {
  data: Float32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float32Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) this.grow();
    const d = this.data;
    const n = this.length;
    d[n] = a;
    d[n + 1] = b;
    d[n + 2] = c;
    this.length = n + 3;
  }

  /** Make room for `n` more values, so a caller may write `data` directly up to length + n. */
  reserve(n: number): void {
    while (this.length + n > this.data.length) this.grow();
  }

  private grow(): void {
    const next = new Float32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  /**
   * The filled part: copied into an exactly-sized array so the spare capacity is freed,
   * unless the spare is under an eighth — then a view of it (a 1M-triangle ASCII STL with a
   * good size estimate spares a 36 MB copy; the view's buffer is a little longer than it).
   */
  toArray(): Float32Array {
    if (this.data.length === this.length) return this.data;
    return this.data.length - this.length <= this.data.length / 8 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

/** A Uint32Array that grows by doubling. */
export class IndexList {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) this.grow();
    const d = this.data;
    const n = this.length;
    d[n] = a;
    d[n + 1] = b;
    d[n + 2] = c;
    this.length = n + 3;
  }

  private grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }

  /** The filled part, copied into an exactly-sized array so the spare capacity is freed. */
  toArray(): Uint32Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

/** A Uint8Array that grows by doubling (colours). */
export class ByteList {
  data: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint8Array(Math.max(16, capacity));
  }

  push4(a: number, b: number, c: number, d: number): void {
    if (this.length + 4 > this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const x = this.data;
    const n = this.length;
    x[n] = a;
    x[n + 1] = b;
    x[n + 2] = c;
    x[n + 3] = d;
    this.length = n + 4;
  }

  /** The filled part, copied into an exactly-sized array. */
  toArray(): Uint8Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}
