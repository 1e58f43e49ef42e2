/**
 * Small raster operations on decoded photos (RGBA, 8 bits a channel, row by row): area
 * downscaling to grey for the quality measures and to colour for thumbnails, and turning
 * a picture upright by its EXIF orientation. Pure, flat typed arrays in and out.
 */

/** An 8-bit RGBA picture. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** A grey picture, luma 0–255 in floats. */
export interface Grey {
  width: number;
  height: number;
  data: Float32Array;
}

/** Width and height scaled so the longer side is at most `maxSide` (never enlarged). */
export function fitInside(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Area-average downscale: each output pixel is the mean of the source pixels its box
 * covers (whole pixels; the boxes tile the source exactly). Returns the sums' means per
 * channel through `emit`, so grey and colour share one walk.
 */
function boxes(src: Rgba, width: number, height: number, emit: (i: number, r: number, g: number, b: number) => void): void {
  const { data } = src;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * src.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * src.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / width));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++) {
        let p = (sy * src.width + x0) * 4;
        for (let sx = x0; sx < x1; sx++, p += 4) {
          r += data[p];
          g += data[p + 1];
          b += data[p + 2];
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      emit(y * width + x, r / n, g / n, b / n);
    }
  }
}

/** The picture in grey (Rec. 601 luma), its longer side at most `maxSide`. */
export function greyDownscale(src: Rgba, maxSide: number): Grey {
  const { width, height } = fitInside(src.width, src.height, maxSide);
  const out = new Float32Array(width * height);
  boxes(src, width, height, (i, r, g, b) => { out[i] = 0.299 * r + 0.587 * g + 0.114 * b; });
  return { width, height, data: out };
}

/** The picture in colour, its longer side at most `maxSide` (alpha dropped: opaque). */
export function rgbaDownscale(src: Rgba, maxSide: number): Rgba {
  const { width, height } = fitInside(src.width, src.height, maxSide);
  const out = new Uint8Array(width * height * 4);
  boxes(src, width, height, (i, r, g, b) => {
    out[i * 4] = Math.round(r);
    out[i * 4 + 1] = Math.round(g);
    out[i * 4 + 2] = Math.round(b);
    out[i * 4 + 3] = 255;
  });
  return { width, height, data: out };
}

/**
 * The picture turned upright by its EXIF orientation (1–8: 2 mirrored, 3 turned 180°,
 * 6 turned 90° clockwise to be upright, 8 counter-clockwise, 5 and 7 mirrored and turned).
 */
export function orientUpright(src: Rgba, orientation: number | undefined): Rgba {
  if (!orientation || orientation === 1 || orientation > 8) return src;
  const swap = orientation >= 5;
  const width = swap ? src.height : src.width;
  const height = swap ? src.width : src.height;
  const out = new Uint8Array(width * height * 4);
  const W = src.width;
  const H = src.height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2: sx = W - 1 - x; sy = y; break;
        case 3: sx = W - 1 - x; sy = H - 1 - y; break;
        case 4: sx = x; sy = H - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = H - 1 - x; break;
        case 7: sx = W - 1 - y; sy = H - 1 - x; break;
        default: sx = W - 1 - y; sy = x; break; // 8
      }
      const s = (sy * W + sx) * 4;
      const d = (y * width + x) * 4;
      out[d] = src.data[s];
      out[d + 1] = src.data[s + 1];
      out[d + 2] = src.data[s + 2];
      out[d + 3] = src.data[s + 3];
    }
  }
  return { width, height, data: out };
}
