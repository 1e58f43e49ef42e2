// Pictures of corpus teeth, judged by their pixels: not blank, the right view, a legend,
// and the heat where the ground-truth patch was pushed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { decode } from 'fast-png';
import { compareScans } from '../../../src/mesh/analysis/compare.js';
import { measureThickness } from '../../../src/mesh/analysis/thickness.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import type { RgbaImage } from '../../../src/mesh/render/image.js';
import { heatMapGlb, renderHeatMap, renderThumbnail } from '../../../src/mesh/render/pictures.js';
import { project } from '../../../src/mesh/render/view.js';
import { hasCorpus } from '../../helpers/corpus.js';
import { join } from '../report/shapes.js';
import { addNoise, cut, longAxis, moved, patchAbove, pushPatch, randomMotion, tooth } from '../analysis/ground-truth.js';

const MOLAR = 'openfulljaw_P26_maxilla_tooth14_molar.stl';

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const i = 4 * (Math.round(y) * image.width + Math.round(x));
  return Array.from(image.data.subarray(i, i + 4));
}

function opaqueShare(image: RgbaImage): number {
  let n = 0;
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i] > 0) n++;
  return n / (image.width * image.height);
}

test('a thumbnail of a tooth: filled, ivory, on a transparent background, a valid PNG', { skip: !hasCorpus() }, () => {
  const picture = renderThumbnail(tooth(MOLAR));
  const { image } = picture;
  assert.equal(image.width, 256);
  const share = opaqueShare(image);
  assert.ok(share > 0.2 && share < 0.9, `covers ${share}`);
  assert.deepEqual(pixel(image, 0, 0), [0, 0, 0, 0]);
  // The middle is tooth: light, warm (red ≥ green ≥ blue), shaded (not flat white).
  const [r, g, b, a] = pixel(image, 128, 128);
  assert.equal(a, 255);
  assert.ok(r >= g && g >= b && r > 120 && r < 250, `${r} ${g} ${b}`);
  const png = decode(picture.png);
  assert.equal(png.width, 256);
  assert.deepEqual(Array.from(png.data.subarray(0, 16)), Array.from(image.data.subarray(0, 16)));
});

test('three lower teeth of one jaw are shown from above their crowns', { skip: !hasCorpus() }, () => {
  const jaw = join(
    tooth('openfulljaw_P26_mandible_tooth19_molar.stl'),
    tooth('openfulljaw_P26_mandible_tooth24_incisor.stl'),
    tooth('openfulljaw_P26_mandible_tooth31_molar.stl'),
  );
  const { view } = renderThumbnail(jaw, { width: 320, height: 240 });
  assert.equal(view.kind, 'occlusal');
  // Lower crowns point up (+z in the CBCT frame): the camera is above them.
  assert.ok(view.toward[2] > 0.8, `toward ${view.toward}`);
  const single = renderThumbnail(tooth(MOLAR)).view;
  assert.equal(single.kind, 'side');
});

test('a deviation heat map is red where the patch was pushed, neutral elsewhere, with a legend', { skip: !hasCorpus() }, () => {
  const whole = tooth(MOLAR);
  const { axis, center, length } = longAxis(whole);
  const old = cut(whole, axis, center, -0.1 * length).mesh;
  const bump = pushPatch(cut(whole, axis, center, 0.05 * length).mesh, 100, 1.5, 0.4);
  const c = compareScans(old, moved(addNoise(bump.mesh, 0.01, 3), randomMotion(3, 15, 4, center)));
  const picture = renderHeatMap(c.current, c.distances, 'deviation', { width: 512, height: 384 });
  const { image, view } = picture;
  const patch = patchAbove(bump.mesh, bump.displacement, 0.3).centroid;
  const [px, py] = project(view, patch[0], patch[1], patch[2]);
  const [r, g, b] = pixel(image, px, py);
  assert.ok(r > b + 80 && r > g + 40, `patch pixel ${r} ${g} ${b}`);
  // The middle of the unchanged surface is grey-white: no channel far from the others.
  let neutral = 0, coloured = 0;
  for (let y = 0; y < image.height; y += 4) {
    for (let x = 0; x < view.width; x += 4) {
      const [pr, pg, pb, pa] = pixel(image, x, y);
      if (pa === 255 && !(pr > 250 && pg > 250 && pb > 250)) {
        if (Math.max(pr, pg, pb) - Math.min(pr, pg, pb) < 20) neutral++;
        else coloured++;
      }
    }
  }
  assert.ok(neutral > 3 * coloured, `${neutral} neutral, ${coloured} coloured samples`);
  // The legend: a bar from red (top, +0.5) to blue (bottom, −0.5) right of the scene, and ink for its labels.
  const column = legendColumn(image, view.width);
  assert.ok(column, 'a legend bar');
  const top = pixel(image, column.x, column.top + 2);
  const bottom = pixel(image, column.x, column.bottom - 2);
  assert.ok(top[0] > top[2] + 100, `top ${top}`);
  assert.ok(bottom[2] > bottom[0] + 100, `bottom ${bottom}`);
  let ink = 0;
  for (let y = 0; y < image.height; y++) for (let x = column.x + 10; x < image.width; x++) if (pixel(image, x, y)[0] < 90) ink++;
  assert.ok(ink > 150, `${ink} label pixels`);
});

test('heat maps are on white; a map painted thin is red; the GLB carries the colours', { skip: !hasCorpus() }, () => {
  const outer = tooth('openfulljaw_P26_mandible_tooth24_incisor.stl');
  const thick = measureThickness(outer, { limitMm: 0.5 });
  const picture = renderHeatMap(outer, thick.thickness, 'thickness', { range: [0, 10] });
  assert.ok(opaqueShare(picture.image) > 0.9, 'heat maps are on white');
  const thin = new Float32Array(thick.thickness.length).fill(0.05);
  const red = renderHeatMap(outer, thin, 'thickness');
  const [r, g, b] = pixel(red.image, red.view.width / 2, red.image.height / 2);
  assert.ok(r > 2 * g && r > 2 * b, `${r} ${g} ${b}`);
  const glb = readMeshSync({ bytes: heatMapGlb(outer, thin, 'thickness'), name: 'map.glb' }).mesh;
  assert.ok(glb.colors);
  assert.equal(glb.positions.length, outer.positions.length);
  assert.ok(glb.colors[0] > 150 && glb.colors[1] < 60, `GLB colour ${glb.colors.subarray(0, 4)}`);
});

/** The legend bar: the first column right of the scene with a tall run of saturated colour. */
function legendColumn(image: RgbaImage, from: number): { x: number; top: number; bottom: number } | null {
  for (let x = from; x < image.width; x++) {
    let top = -1, bottom = -1;
    for (let y = 0; y < image.height; y++) {
      const [r, g, b] = pixel(image, x, y);
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) {
        if (top < 0) top = y;
        bottom = y;
      }
    }
    if (top >= 0 && bottom - top > image.height / 2) return { x: x + 2, top, bottom };
  }
  return null;
}

test('the example pictures for the README are real PNGs under 60 KB each', () => {
  const dir = new URL('../../fixtures/images/', import.meta.url);
  const names = readdirSync(dir).filter((n) => n.endsWith('.png'));
  assert.ok(names.length >= 4);
  for (const name of names) {
    const bytes = readFileSync(new URL(name, dir));
    assert.ok(bytes.length < 60 * 1024, `${name}: ${bytes.length} bytes`);
    const png = decode(bytes);
    assert.ok(png.width >= 192 && png.height >= 192);
  }
});
