/**
 * The colour legend of a map: a vertical bar of the scale with tick marks and their values
 * in mm, and "mm" above it, drawn with the built-in font; below it, when the map has
 * vertices without a value, a grey swatch labelled "no data" (on a deviation map: no
 * counterpart on the other scan, left out of every figure).
 */
import { colorOf, NO_VALUE, type ColorScale } from './colormap.js';
import { drawText, GLYPH_HEIGHT, textWidth } from './font.js';
import { fillRect, type Rgba, type RgbaImage } from './image.js';

const INK: Rgba = [40, 40, 40, 255];

/** The values a legend labels: five ticks from min to max. */
export function legendTicks(min: number, max: number): number[] {
  return [0, 0.25, 0.5, 0.75, 1].map((f) => min + f * (max - min));
}

/** A tick's label: at most two decimals, '+' on positive values of a diverging scale. */
export function tickLabel(value: number, scale: ColorScale): string {
  const rounded = Math.abs(value) < 1e-9 ? 0 : value;
  let text = Math.abs(rounded) >= 10 ? rounded.toFixed(0) : Math.abs(rounded) >= 1 ? rounded.toFixed(1) : rounded.toFixed(2);
  if (scale === 'diverging' && rounded > 0) text = `+${text}`;
  return text;
}

/** The label of the grey swatch. */
export const NO_DATA_LABEL = 'no data';

/** Width the legend needs at `fontScale` for the labels of [min, max] (and the swatch's, with `noData`). */
export function legendWidth(scale: ColorScale, min: number, max: number, fontScale: number, noData = false): number {
  const labels = legendTicks(min, max).map((v) => textWidth(tickLabel(v, scale), fontScale));
  if (noData) labels.push(textWidth(NO_DATA_LABEL, fontScale));
  return 6 * fontScale + 8 * fontScale + 3 * fontScale + Math.max(...labels) + 4 * fontScale;
}

/**
 * Draw the legend into `image` in the box at (x, y) of `height` pixels: "mm" on top, the
 * bar (max at the top) and the tick labels to its right; with `noData`, the grey swatch
 * and "no data" at the bottom.
 */
export function drawLegend(image: RgbaImage, scale: ColorScale, min: number, max: number, x: number, y: number, height: number, fontScale: number, noData = false): void {
  const barWidth = 8 * fontScale;
  const left = x + 6 * fontScale;
  const titleHeight = (GLYPH_HEIGHT + 4) * fontScale;
  drawText(image, 'mm', left, y, fontScale, INK);
  const top = y + titleHeight;
  const swatchRow = noData ? (GLYPH_HEIGHT + 6) * fontScale : 0;
  const barHeight = Math.max(10, height - titleHeight - GLYPH_HEIGHT * fontScale - swatchRow);
  if (noData) {
    const row = y + height - GLYPH_HEIGHT * fontScale;
    fillRect(image, left - 1, row - 1, barWidth + 2, GLYPH_HEIGHT * fontScale + 2, INK);
    fillRect(image, left, row, barWidth, GLYPH_HEIGHT * fontScale, NO_VALUE);
    drawText(image, NO_DATA_LABEL, left + barWidth + 4 * fontScale, row, fontScale, INK);
  }
  for (let row = 0; row < barHeight; row++) {
    const value = max - ((row + 0.5) / barHeight) * (max - min);
    fillRect(image, left, top + row, barWidth, 1, colorOf(value, scale, min, max));
  }
  // A thin frame keeps the light middle of the scale visible on white.
  fillRect(image, left - 1, top - 1, barWidth + 2, 1, INK);
  fillRect(image, left - 1, top + barHeight, barWidth + 2, 1, INK);
  fillRect(image, left - 1, top - 1, 1, barHeight + 2, INK);
  fillRect(image, left + barWidth, top - 1, 1, barHeight + 2, INK);
  for (const value of legendTicks(min, max)) {
    const row = top + Math.round(((max - value) / (max - min || 1)) * (barHeight - 1));
    fillRect(image, left + barWidth, row, 3 * fontScale, Math.max(1, fontScale >> 1), INK);
    const label = tickLabel(value, scale);
    drawText(image, label, left + barWidth + 4 * fontScale, row - Math.floor((GLYPH_HEIGHT * fontScale) / 2), fontScale, INK);
  }
}
