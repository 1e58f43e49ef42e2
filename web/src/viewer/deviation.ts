/**
 * Colours of the deviation map in the browser, at any range the clinician picks: the same
 * colour-blind-safe diverging scale as Cusp's pictures (src/mesh/render/colormap.ts, blue
 * inward, red outward, light neutral middle) and the same grey for "no counterpart".
 */
import { colorOf, NO_VALUE } from '../../../src/mesh/render/colormap.js';

export { NO_VALUE };

const SRGB_TO_LINEAR = Float32Array.from({ length: 256 }, (_v, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

/** Linear RGB floats (three.js vertex colours) of `values` over [-range, +range] mm; NaN grey. */
export function deviationColors(values: Float32Array, range: number, out: Float32Array<ArrayBufferLike> = new Float32Array(values.length * 3)): Float32Array<ArrayBufferLike> {
  for (let v = 0; v < values.length; v++) {
    const c = colorOf(values[v], 'diverging', -range, range);
    out[3 * v] = SRGB_TO_LINEAR[c[0]];
    out[3 * v + 1] = SRGB_TO_LINEAR[c[1]];
    out[3 * v + 2] = SRGB_TO_LINEAR[c[2]];
  }
  return out;
}

/** Draw the legend's colour bar on `canvas` (left −range, right +range). */
export function drawLegendBar(canvas: HTMLCanvasElement, range: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  for (let x = 0; x < canvas.width; x++) {
    const value = -range + (2 * range * (x + 0.5)) / canvas.width;
    const [r, g, b] = colorOf(value, 'diverging', -range, range);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, 0, 1, canvas.height);
  }
}
