/**
 * A tiny built-in bitmap font for the legend's numbers (5 × 7 pixels a glyph, scaled up by
 * whole pixels): digits, '.', '-', '+', 'm', the letters of "no data" and space. No font
 * files, no text shaping.
 */
import type { Rgba, RgbaImage } from './image.js';

// Seven rows per glyph, five bits per row (bit 4 is the leftmost pixel).
const GLYPHS: Record<string, number[]> = {
  '0': [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
  '1': [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
  '2': [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
  '3': [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
  '4': [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
  '5': [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
  '6': [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
  '7': [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
  '8': [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
  '9': [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
  '.': [0, 0, 0, 0, 0, 0b01100, 0b01100],
  '-': [0, 0, 0, 0b11111, 0, 0, 0],
  '+': [0, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0],
  m: [0, 0, 0b11010, 0b10101, 0b10101, 0b10101, 0b10101],
  n: [0, 0, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001],
  o: [0, 0, 0b01110, 0b10001, 0b10001, 0b10001, 0b01110],
  d: [0b00001, 0b00001, 0b01101, 0b10011, 0b10001, 0b10011, 0b01101],
  a: [0, 0, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111],
  t: [0b01000, 0b01000, 0b11100, 0b01000, 0b01000, 0b01001, 0b00110],
  ' ': [0, 0, 0, 0, 0, 0, 0],
};

/** Glyph size in font pixels, and the gap between glyphs. */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
const SPACING = 1;

/** Width in image pixels of `text` at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + SPACING) - SPACING) * scale;
}

/**
 * Draw `text` with its top-left corner at (x, y), each font pixel a `scale` × `scale`
 * block. Characters the font lacks are drawn as blanks.
 */
export function drawText(image: RgbaImage, text: string, x: number, y: number, scale: number, color: Rgba): void {
  let left = Math.round(x);
  const top = Math.round(y);
  for (const ch of text) {
    const rows = GLYPHS[ch] ?? GLYPHS[' '];
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      for (let c = 0; c < GLYPH_WIDTH; c++) {
        if (!(rows[r] & (1 << (GLYPH_WIDTH - 1 - c)))) continue;
        for (let dy = 0; dy < scale; dy++) {
          const py = top + r * scale + dy;
          if (py < 0 || py >= image.height) continue;
          for (let dx = 0; dx < scale; dx++) {
            const px = left + c * scale + dx;
            if (px < 0 || px >= image.width) continue;
            image.data.set(color, 4 * (py * image.width + px));
          }
        }
      }
    }
    left += (GLYPH_WIDTH + SPACING) * scale;
  }
}
