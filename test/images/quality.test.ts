// The quality check on generated photos: a sharp one is ok, the same blurred is blurry,
// underexposed is dark, burnt out is overexposed, a small one is low resolution. The
// figures printed here are the ones the README's thresholds were chosen from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureQuality, QUALITY_THRESHOLDS } from '../../src/images/quality.js';
import { blur, toothPhoto } from './photos.js';

test('a sharp photo is ok; the same photo out of focus is blurry, with its figures', () => {
  const sharp = measureQuality(toothPhoto(1600, 1200, 7));
  assert.equal(sharp.verdict, 'ok', JSON.stringify(sharp.figures));
  assert.ok(sharp.figures.sharpness > 2 * QUALITY_THRESHOLDS.minSharpness);
  const blurred = measureQuality(blur(toothPhoto(1600, 1200, 7), 8));
  assert.equal(blurred.verdict, 'blurry', JSON.stringify(blurred.figures));
  assert.ok(blurred.figures.sharpness < sharp.figures.sharpness / 5);
  assert.equal(blurred.figures.meanLuma, sharp.figures.meanLuma, 'a blur moves no light');
});

test('an underexposed photo is dark, a burnt-out one overexposed', () => {
  const dark = measureQuality(toothPhoto(1024, 768, 8, 0.15));
  assert.equal(dark.verdict, 'dark', JSON.stringify(dark.figures));
  assert.ok(dark.figures.meanLuma < QUALITY_THRESHOLDS.darkMean);
  const bright = measureQuality(toothPhoto(1024, 768, 8, 1, 120));
  assert.equal(bright.verdict, 'overexposed', JSON.stringify(bright.figures));
  assert.ok(bright.figures.clippedBright > QUALITY_THRESHOLDS.brightClipped);
});

test('a photo smaller than 480 px on its shorter side is low resolution, however sharp', () => {
  const small = measureQuality(toothPhoto(400, 300, 9));
  assert.equal(small.verdict, 'low-resolution');
  assert.deepEqual(small.findings, ['low-resolution']);
});
