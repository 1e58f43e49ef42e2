/**
 * Colour scales for the maps. Signed deviation uses a diverging blue–white–red scale
 * (Moreland's "cool to warm", made for exactly this: the middle is neutral, both ends are
 * equally strong, and it survives colour-blindness and greyscale printing): blue where the
 * surface went inward, red where it came out. Thickness and clearance use a sequential
 * traffic-light scale where red means "look here" (thin, in contact) and blue "plenty".
 * Vertices without a value are grey.
 */
import type { Rgba } from './image.js';

/** Which scale a map uses. */
export type ColorScale = 'diverging' | 'sequential';

/** Grey for "no value" (no counterpart, no wall found, too far). */
export const NO_VALUE: Rgba = [178, 178, 178, 255];

// Control points (position 0..1, sRGB) of the scales.
const DIVERGING: [number, number, number, number][] = [
  [0, 59, 76, 192],
  [0.25, 124, 159, 249],
  [0.5, 221, 221, 221],
  [0.75, 244, 154, 123],
  [1, 180, 4, 38],
];
const SEQUENTIAL: [number, number, number, number][] = [
  [0, 200, 16, 32],
  [0.25, 244, 120, 40],
  [0.5, 250, 220, 80],
  [0.75, 110, 190, 110],
  [1, 60, 110, 200],
];

/**
 * The colour of `value` on `scale` over [min, max] (values outside are clamped; NaN gets
 * `NO_VALUE`). For 'diverging', use a range symmetric about 0 so that 0 is the neutral middle.
 */
export function colorOf(value: number, scale: ColorScale, min: number, max: number): Rgba {
  if (Number.isNaN(value)) return NO_VALUE;
  const stops = scale === 'diverging' ? DIVERGING : SEQUENTIAL;
  const t = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 0.5;
  let k = 1;
  while (k < stops.length - 1 && stops[k][0] < t) k++;
  const [t0, r0, g0, b0] = stops[k - 1];
  const [t1, r1, g1, b1] = stops[k];
  const f = (t - t0) / (t1 - t0);
  return [Math.round(r0 + f * (r1 - r0)), Math.round(g0 + f * (g1 - g0)), Math.round(b0 + f * (b1 - b0)), 255];
}

/** Per-vertex RGBA colours (sRGB bytes, as `IndexedMesh.colors`) of a map. */
export function colorsOf(values: Float32Array, scale: ColorScale, min: number, max: number): Uint8Array {
  const colors = new Uint8Array(values.length * 4);
  for (let v = 0; v < values.length; v++) colors.set(colorOf(values[v], scale, min, max), 4 * v);
  return colors;
}
