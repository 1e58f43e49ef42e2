/**
 * An RGBA picture in one Uint8Array (row by row from the top, four bytes a pixel), the
 * renderer's output, and its PNG encoding (fast-png).
 */
import { encode } from 'fast-png';

/** An 8-bit RGBA image. */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, rows from the top. */
  data: Uint8Array;
}

/** A colour as [r, g, b, a], 0..255. */
export type Rgba = [number, number, number, number];

/** A new image filled with `background`. */
export function createImage(width: number, height: number, background: Rgba = [255, 255, 255, 255]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
    data[i + 3] = background[3];
  }
  return { width, height, data };
}

/** Paint the rectangle [x, x + w) × [y, y + h) (clipped to the image). */
export function fillRect(image: RgbaImage, x: number, y: number, w: number, h: number, color: Rgba): void {
  const x0 = Math.max(0, Math.floor(x)), x1 = Math.min(image.width, Math.floor(x + w));
  const y0 = Math.max(0, Math.floor(y)), y1 = Math.min(image.height, Math.floor(y + h));
  for (let row = y0; row < y1; row++) {
    for (let col = x0; col < x1; col++) {
      const i = 4 * (row * image.width + col);
      image.data[i] = color[0];
      image.data[i + 1] = color[1];
      image.data[i + 2] = color[2];
      image.data[i + 3] = color[3];
    }
  }
}

/** Shrink by an integer factor, averaging each factor × factor block (anti-aliasing). */
export function downsample(image: RgbaImage, factor: number): RgbaImage {
  if (factor === 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height * 4);
  const n = factor * factor;
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = 4 * ((row * factor + dy) * image.width + col * factor);
        for (let dx = 0; dx < factor; dx++, i += 4) {
          // Colours weighted by alpha, so a transparent background does not darken edges.
          const alpha = image.data[i + 3];
          r += image.data[i] * alpha;
          g += image.data[i + 1] * alpha;
          b += image.data[i + 2] * alpha;
          a += alpha;
        }
      }
      const o = 4 * (row * width + col);
      data[o] = a > 0 ? Math.round(r / a) : 0;
      data[o + 1] = a > 0 ? Math.round(g / a) : 0;
      data[o + 2] = a > 0 ? Math.round(b / a) : 0;
      data[o + 3] = Math.round(a / n);
    }
  }
  return { width, height, data };
}

/**
 * The image as PNG file bytes. A `colorStep` above 1 rounds the colour channels to its
 * multiples first: 4 keeps 6 bits a channel, invisible on shaded pictures, and halves the
 * file of a noisy scan's heat map.
 */
export function encodePng(image: RgbaImage, colorStep = 1): Uint8Array {
  if (colorStep > 1) {
    const data = image.data.slice();
    for (let i = 0; i < data.length; i++) if ((i & 3) !== 3) data[i] = Math.min(255, Math.round(data[i] / colorStep) * colorStep);
    image = { ...image, data };
  }
  return encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 }, { zlib: { level: 6 } });
}
