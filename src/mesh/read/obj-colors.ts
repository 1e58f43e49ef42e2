/**
 * OBJ vertex colours (`v x y z r g b`, the extension scanners and MeshLab write). Some
 * vertices may lack one (white then); values above 1 anywhere mean the file used 0..255
 * instead of 0..1.
 */
import { ByteList, FloatList } from './growable.js';

export class ObjColors {
  private readonly rgb = new FloatList(16);
  private max = 0;
  private seen = false;

  /** Colour of vertex `i` (vertices are added in order; earlier ones without colour stay white). */
  set(i: number, r: number, g: number, b: number): void {
    while (this.rgb.length < i * 3) this.rgb.push(NaN);
    this.rgb.push3(r, g, b);
    this.seen = true;
    this.max = Math.max(this.max, r, g, b);
  }

  /** RGBA bytes for `vertices` vertices, or undefined when no vertex had a colour. */
  toBytes(vertices: number): Uint8Array | undefined {
    if (!this.seen) return undefined;
    const scale = this.max > 1 ? 1 : 255;
    const out = new ByteList(vertices * 4);
    const c = this.rgb.data;
    for (let i = 0; i < vertices; i++) {
      if (i * 3 + 2 < this.rgb.length && c[i * 3] === c[i * 3]) {
        out.push4(byte(c[i * 3] * scale), byte(c[i * 3 + 1] * scale), byte(c[i * 3 + 2] * scale), 255);
      } else out.push4(255, 255, 255, 255);
    }
    return out.toArray();
  }
}

function byte(v: number): number {
  return v >= 255 ? 255 : v > 0 ? Math.round(v) : 0;
}
