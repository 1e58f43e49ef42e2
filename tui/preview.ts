/**
 * A scan's thumbnail (PNG) drawn in the terminal: Unicode upper half-blocks with a
 * foreground and a background colour (two pixels per cell), or — with colours off —
 * braille dots (2×4 per cell) whose density follows the shading. Pure: bytes in, cells out.
 */
import { convertIndexedToRgb, decode } from 'fast-png';

export type Rgb = [number, number, number];

/** One terminal cell of a colour preview: ▀ with `top` as foreground and `bottom` as background. */
export interface HalfBlockCell {
  top: Rgb;
  bottom: Rgb;
}

/** An image as 8-bit RGBA. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Decode a PNG of any bit depth, channel count or palette to 8-bit RGBA. Throws on a broken file. */
export function decodeToRgba(png: Uint8Array): Rgba {
  const img = decode(png);
  const { width, height } = img;
  const out = new Uint8ClampedArray(width * height * 4);
  let channels = img.channels;
  let src: ArrayLike<number> = img.data;
  let max = img.depth === 16 ? 65535 : (1 << img.depth) - 1;
  if (img.palette) {
    src = convertIndexedToRgb(img);
    channels = img.palette[0]?.length ?? 3;
    max = 255;
  }
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    const scale = (v: number) => Math.round((v * 255) / max);
    if (channels >= 3) {
      out[4 * p] = scale(src[s]);
      out[4 * p + 1] = scale(src[s + 1]);
      out[4 * p + 2] = scale(src[s + 2]);
      out[4 * p + 3] = channels === 4 ? scale(src[s + 3]) : 255;
    } else {
      const g = scale(src[s]);
      out[4 * p] = out[4 * p + 1] = out[4 * p + 2] = g;
      out[4 * p + 3] = channels === 2 ? scale(src[s + 1]) : 255;
    }
  }
  return { width, height, data: out };
}

/** The pixel grid `w × h` that fits the image into `maxW × maxH` keeping its aspect ratio. */
function fitGrid(img: Rgba, maxW: number, maxH: number): { w: number; h: number } {
  const scale = Math.min(maxW / img.width, maxH / img.height);
  return { w: Math.max(1, Math.round(img.width * scale)), h: Math.max(1, Math.round(img.height * scale)) };
}

/** Box-filter the image down (or nearest-sample it up) to `w × h`, alpha composited over `bg`. */
function resample(img: Rgba, w: number, h: number, bg: Rgb): { rgb: Float32Array; alpha: Float32Array } {
  const rgb = new Float32Array(w * h * 3);
  const alpha = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * img.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * img.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * img.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * img.width) / w));
      let r = 0, g = 0, b = 0, a = 0, n = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const i = 4 * (yy * img.width + xx);
          const al = img.data[i + 3] / 255;
          r += img.data[i] * al + bg[0] * (1 - al);
          g += img.data[i + 1] * al + bg[1] * (1 - al);
          b += img.data[i + 2] * al + bg[2] * (1 - al);
          a += al;
          n++;
        }
      }
      const o = y * w + x;
      rgb[3 * o] = r / n;
      rgb[3 * o + 1] = g / n;
      rgb[3 * o + 2] = b / n;
      alpha[o] = a / n;
    }
  }
  return { rgb, alpha };
}

/** Colour preview: at most `cols × rows` cells, two pixel rows per cell. */
export function halfBlocks(img: Rgba, cols: number, rows: number, bg: Rgb = [0, 0, 0]): HalfBlockCell[][] {
  const { w, h } = fitGrid(img, cols, rows * 2);
  const hh = h + (h % 2);
  const { rgb } = resample(img, w, hh, bg);
  const px = (x: number, y: number): Rgb => {
    const o = 3 * (y * w + x);
    return [Math.round(rgb[o]), Math.round(rgb[o + 1]), Math.round(rgb[o + 2])];
  };
  const lines: HalfBlockCell[][] = [];
  for (let y = 0; y < hh; y += 2) {
    const line: HalfBlockCell[] = [];
    for (let x = 0; x < w; x++) line.push({ top: px(x, y), bottom: px(x, y + 1) });
    lines.push(line);
  }
  return lines;
}

// 4×4 ordered-dither thresholds, so shading shows as dot density.
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => (v + 0.5) / 16);
// Braille dot bits by (column, row) in the 2×4 cell.
const DOTS = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

/**
 * Monochrome preview in braille: a dot is set where the picture differs from its
 * background (transparent pixels, or the colour of the corners), denser where it is
 * brighter. At most `cols × rows` cells of 2×4 dots.
 */
export function braille(img: Rgba, cols: number, rows: number): string[] {
  const { w, h } = fitGrid(img, cols * 2, rows * 4);
  const { rgb, alpha } = resample(img, w, h, [0, 0, 0]);
  const lum = (o: number) => (0.2126 * rgb[3 * o] + 0.7152 * rgb[3 * o + 1] + 0.0722 * rgb[3 * o + 2]) / 255;
  const corners = [0, w - 1, (h - 1) * w, h * w - 1];
  const opaque = corners.every((o) => alpha[o] > 0.99);
  const bgLum = corners.reduce((s, o) => s + lum(o), 0) / 4;
  const cellsW = Math.ceil(w / 2);
  const lines: string[] = [];
  for (let cy = 0; cy < Math.ceil(h / 4); cy++) {
    let line = '';
    for (let cx = 0; cx < cellsW; cx++) {
      let bits = 0;
      for (let dx = 0; dx < 2; dx++) {
        for (let dy = 0; dy < 4; dy++) {
          const x = 2 * cx + dx;
          const y = 4 * cy + dy;
          if (x >= w || y >= h) continue;
          const o = y * w + x;
          // Ink on the object: how far it stands out from the background, lifted so faint shading still shows.
          const v = opaque ? Math.min(1, Math.abs(lum(o) - bgLum) * 1.5 + (Math.abs(lum(o) - bgLum) > 0.04 ? 0.25 : 0)) : alpha[o] * (0.25 + 0.75 * lum(o));
          if (v > BAYER[(y % 4) * 4 + (x % 4)]) bits |= DOTS[dx][dy];
        }
      }
      line += String.fromCharCode(0x2800 + bits);
    }
    lines.push(line);
  }
  return lines;
}

/** "#rrggbb" for Ink's colour props. */
export function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
