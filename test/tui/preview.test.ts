import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from 'fast-png';
import { braille, decodeToRgba, halfBlocks, hex } from '../../tui/preview.js';

/** A lit disc (brighter towards the upper left) on a transparent or grey background, as a PNG. */
function discPng(size: number, background: 'transparent' | 'grey'): Uint8Array {
  const data = new Uint8Array(size * size * 4);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = 4 * (y * size + x);
      const inside = Math.hypot(x - c, y - c) < size * 0.4;
      const shade = Math.round(255 * (1 - (x + y) / (4 * size)));
      if (inside) data.set([shade, shade, Math.round(shade * 0.9), 255], i);
      else data.set(background === 'grey' ? [40, 40, 40, 255] : [0, 0, 0, 0], i);
    }
  }
  return encode({ width: size, height: size, data, channels: 4, depth: 8 });
}

test('half-blocks keep the aspect ratio, show the background at the corners and the lit surface in the middle', () => {
  const img = decodeToRgba(discPng(64, 'grey'));
  const cells = halfBlocks(img, 24, 10);
  assert.equal(cells.length, 10); // 20 pixel rows for a square image in at most 24×20 pixels
  assert.equal(cells[0].length, 20);
  assert.deepEqual(cells[0][0].top, [40, 40, 40]);
  const mid = cells[5][10];
  assert.ok(mid.top[0] > 120 && mid.bottom[0] > 120, `the middle is lit: ${JSON.stringify(mid)}`);
  assert.equal(hex([255, 16, 0]), '#ff1000');
});

test('braille marks the object and leaves the background empty, on transparent and on opaque backgrounds', () => {
  for (const bg of ['transparent', 'grey'] as const) {
    const lines = braille(decodeToRgba(discPng(64, bg)), 24, 10);
    assert.equal(lines.length, 10);
    assert.equal(lines[0].length, 20);
    assert.equal(lines[0][0], '\u2800', `${bg}: corner is empty`);
    const dots = (ch: string) => (ch.charCodeAt(0) - 0x2800).toString(2).replace(/0/g, '').length;
    assert.ok(dots(lines[5][10]) >= 4, `${bg}: the middle has dots: ${lines[5]}`);
    assert.ok(dots(lines[3][7]) > dots(lines[7][13]) || bg === 'grey', 'brighter parts get more dots');
  }
});

test('16-bit grey and palette PNGs decode to the same 8-bit picture', () => {
  const grey16 = new Uint16Array(4 * 4).map((_, i) => i * 4096);
  const rgba = decodeToRgba(encode({ width: 4, height: 4, data: grey16, channels: 1, depth: 16 }));
  assert.equal(rgba.data[4 * 15], Math.round((15 * 4096 * 255) / 65535));
  assert.equal(rgba.data[3], 255);
  assert.throws(() => decodeToRgba(new Uint8Array([1, 2, 3])));
});
