/**
 * A simple, measured quality check of an intraoral photo: is it large enough, sharp
 * enough, and neither too dark nor burnt out? Each figure is reported with the verdict,
 * so a clinician (or a practice's own rule) can judge the borderline cases.
 *
 * - resolution: the shorter side in pixels;
 * - sharpness: the variance of the Laplacian (4-neighbour kernel) of the photo in grey,
 *   downscaled so its longer side is 512 px — a common focus measure (Pech-Pacheco et al.
 *   2000). Downscaling first makes it comparable between a 640×480 intraoral camera and a
 *   24 MP DSLR, and fast;
 * - exposure: mean luma (0–255) and the shares of clipped pixels (luma ≤ 8, ≥ 247).
 *
 * Thresholds: see QUALITY_THRESHOLDS and the README (how they were chosen). Pure.
 */
import { greyDownscale, type Grey, type Rgba } from './raster.js';

export type QualityVerdict = 'ok' | 'blurry' | 'dark' | 'overexposed' | 'low-resolution';

export interface QualityFigures {
  width: number;
  height: number;
  /** Variance of the Laplacian on the 512-px grey downscale. */
  sharpness: number;
  /** Mean luma, 0–255. */
  meanLuma: number;
  /** Share of pixels with luma ≤ 8 (0–1). */
  clippedDark: number;
  /** Share of pixels with luma ≥ 247 (0–1). */
  clippedBright: number;
}

export interface QualityReport {
  verdict: QualityVerdict;
  /** Every verdict the figures support, worst first (a dark photo is usually blurry too). */
  findings: QualityVerdict[];
  figures: QualityFigures;
}

/**
 * Where a figure turns a photo from `ok` into a finding. Chosen from measurements on
 * generated photos (sharp tooth-like patterns vs. the same blurred; see
 * test/images/quality.test.ts and the README's table) and what intraoral cameras deliver
 * (640×480 is the smallest still sold).
 */
export const QUALITY_THRESHOLDS = {
  /** Below this shorter side (px) a photo is low resolution. */
  minShortSide: 480,
  /** Below this Laplacian variance a photo is blurry. */
  minSharpness: 60,
  /** Mean luma below this: dark. */
  darkMean: 40,
  /** More than this share of pixels clipped black: dark. */
  darkClipped: 0.5,
  /** Mean luma above this: overexposed. */
  brightMean: 225,
  /** More than this share of pixels clipped white: overexposed. */
  brightClipped: 0.25,
} as const;

/** Longer side of the grey picture the sharpness and exposure are measured on. */
export const MEASURE_SIDE = 512;

/** Variance of the 4-neighbour Laplacian over the picture's inner pixels. */
export function laplacianVariance(grey: Grey): number {
  const { width: w, height: h, data } = grey;
  if (w < 3 || h < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const l = data[i - 1] + data[i + 1] + data[i - w] + data[i + w] - 4 * data[i];
      sum += l;
      sumSq += l * l;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Measure a decoded photo and give the verdict. */
export function measureQuality(picture: Rgba, thresholds = QUALITY_THRESHOLDS): QualityReport {
  const grey = greyDownscale(picture, MEASURE_SIDE);
  let total = 0;
  let dark = 0;
  let bright = 0;
  for (const v of grey.data) {
    total += v;
    if (v <= 8) dark++;
    if (v >= 247) bright++;
  }
  const n = grey.data.length;
  const figures: QualityFigures = {
    width: picture.width,
    height: picture.height,
    sharpness: round(laplacianVariance(grey), 1),
    meanLuma: round(total / n, 1),
    clippedDark: round(dark / n, 4),
    clippedBright: round(bright / n, 4),
  };
  const findings: QualityVerdict[] = [];
  if (Math.min(picture.width, picture.height) < thresholds.minShortSide) findings.push('low-resolution');
  if (figures.meanLuma < thresholds.darkMean || figures.clippedDark > thresholds.darkClipped) findings.push('dark');
  if (figures.meanLuma > thresholds.brightMean || figures.clippedBright > thresholds.brightClipped) findings.push('overexposed');
  if (figures.sharpness < thresholds.minSharpness) findings.push('blurry');
  return { verdict: findings[0] ?? 'ok', findings, figures };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
