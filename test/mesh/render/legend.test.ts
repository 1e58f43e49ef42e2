import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colorOf, NO_VALUE } from '../../../src/mesh/render/colormap.js';
import { drawText, textWidth } from '../../../src/mesh/render/font.js';
import { createImage, downsample } from '../../../src/mesh/render/image.js';
import { legendTicks, tickLabel } from '../../../src/mesh/render/legend.js';

function inked(text: string, scale: number): number {
  const image = createImage(100, 40);
  drawText(image, text, 2, 2, scale, [0, 0, 0, 255]);
  let n = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i] === 0) n++;
  return n;
}

test('the built-in font draws every legend character, distinctly, at whole-pixel scales', () => {
  const chars = '0123456789.-+m';
  const counts = [...chars].map((c) => inked(c, 1));
  assert.ok(counts.every((n) => n > 0));
  const bitmaps = [...chars].map((c) => {
    const image = createImage(8, 9);
    drawText(image, c, 1, 1, 1, [0, 0, 0, 255]);
    return Buffer.from(image.data).toString('base64');
  });
  assert.equal(new Set(bitmaps).size, chars.length);
  // Twice the scale, four times the ink; a string is the sum of its glyphs.
  assert.equal(inked('8', 2), 4 * inked('8', 1));
  assert.equal(inked('-0.25', 1), inked('-', 1) + inked('0', 1) + inked('.', 1) + inked('2', 1) + inked('5', 1));
  assert.equal(inked(' ', 3), 0);
  assert.equal(textWidth('0.25', 2), (4 * 6 - 1) * 2);
});

test('tick labels: two decimals under 1 mm, a plus on the positive side of a diverging scale', () => {
  assert.deepEqual(legendTicks(-0.5, 0.5).map((v) => tickLabel(v, 'diverging')), ['-0.50', '-0.25', '0.00', '+0.25', '+0.50']);
  assert.deepEqual(legendTicks(0, 2).map((v) => tickLabel(v, 'sequential')), ['0.00', '0.50', '1.0', '1.5', '2.0']);
});

test('colour scales: diverging is neutral at 0 and blue/red at the ends; sequential red at the low end; NaN grey', () => {
  const [r, g, b] = colorOf(0, 'diverging', -1, 1);
  assert.ok(Math.max(r, g, b) - Math.min(r, g, b) < 5);
  const low = colorOf(-1, 'diverging', -1, 1);
  const high = colorOf(5, 'diverging', -1, 1);
  assert.ok(low[2] > low[0] + 100 && high[0] > high[2] + 100);
  const thin = colorOf(0, 'sequential', 0, 1);
  const thick = colorOf(1, 'sequential', 0, 1);
  assert.ok(thin[0] > thin[2] + 100 && thick[2] > thick[0] + 100);
  assert.deepEqual(colorOf(NaN, 'diverging', -1, 1), NO_VALUE);
});

test('downsampling averages by coverage: a half-covered block keeps the colour at half alpha', () => {
  const image = createImage(2, 2, [0, 0, 0, 0]);
  image.data.set([200, 100, 50, 255], 0);
  image.data.set([200, 100, 50, 255], 4);
  assert.deepEqual(Array.from(downsample(image, 2).data), [200, 100, 50, 128]);
});

test('a heat map with vertices without a value shows them grey and says so: a grey "no data" swatch in the legend', async () => {
  const { renderHeatMap } = await import('../../../src/mesh/render/pictures.js');
  const { textWidth: width } = await import('../../../src/mesh/render/font.js');
  // A flat sheet, its left half without a value.
  const n = 20;
  const positions: number[] = [];
  const indices: number[] = [];
  for (let j = 0; j <= n; j++) for (let i = 0; i <= n; i++) positions.push(i, j, 0);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const a = j * (n + 1) + i;
      indices.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
    }
  }
  const mesh = { positions: new Float32Array(positions), indices: new Uint32Array(indices) };
  const values = new Float32Array((n + 1) * (n + 1)).map((_, v) => (v % (n + 1) < n / 2 ? NaN : 0.2));
  const swatch = (values: Float32Array): number => {
    const { image, view } = renderHeatMap(mesh, values, 'deviation');
    let count = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = view.width; x < image.width; x++) {
        const o = 4 * (y * image.width + x);
        if (image.data[o] === NO_VALUE[0] && image.data[o + 1] === NO_VALUE[1] && image.data[o + 2] === NO_VALUE[2]) count++;
      }
    }
    return count;
  };
  assert.ok(swatch(values) >= 8 * 7 * 4, 'a grey swatch in the legend');
  assert.equal(swatch(values.map(() => 0.2)), 0, 'no swatch when every vertex has a value');
  assert.ok(inked('no data', 1) > 0 && width('no data', 1) === 41);
  for (const c of 'nodat') assert.ok(inked(c, 1) > 0, `glyph ${c}`);
});
