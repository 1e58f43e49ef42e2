/**
 * The pictures Cusp makes of a scan: a thumbnail (the scan in its own colours, from a
 * sensible view) and heat maps (a per-vertex value in colour, with a legend in mm), each as
 * an RGBA image and PNG bytes; and the heat map as vertex colours in a GLB for 3D viewers.
 */
import type { IndexedMesh } from '../mesh.js';
import { writeGlb } from '../write/glb.js';
import { colorsOf, type ColorScale } from './colormap.js';
import { createImage, downsample, encodePng, type Rgba, type RgbaImage } from './image.js';
import { drawLegend, legendWidth } from './legend.js';
import { rasterize } from './rasterize.js';
import { chooseView, scaleView, type View, type ViewKind } from './view.js';

/** A rendered picture and the view it was taken from (`project(view, …)` finds a point's pixel). */
export interface Picture {
  image: RgbaImage;
  png: Uint8Array;
  view: View;
}

/** Options of `renderThumbnail`. */
export interface ThumbnailOptions {
  /** Pixels (default 256 × 256). */
  width?: number;
  height?: number;
  view?: ViewKind;
  /** Look from this direction instead (see `ViewOptions.lookFrom`). */
  lookFrom?: [number, number, number];
  /** Rendered at this many times the size and averaged down, for smooth edges (default 2). */
  supersample?: number;
  /** Default transparent. */
  background?: Rgba;
  /** Round colour channels to multiples of this in the PNG (see `encodePng`; default 1, exact). */
  pngColorStep?: number;
}

/** The scan in its own vertex colours (ivory when it has none), from `chooseView`'s view. */
export function renderThumbnail(mesh: IndexedMesh, options: ThumbnailOptions = {}): Picture {
  const width = options.width ?? 256;
  const height = options.height ?? 256;
  const factor = options.supersample ?? 2;
  const view = chooseView(mesh, width, height, { kind: options.view, lookFrom: options.lookFrom });
  const big = rasterize({ positions: mesh.positions, indices: mesh.indices, colors: mesh.colors ?? null, background: options.background }, scaleView(view, factor));
  const image = downsample(big, factor);
  return { image, png: encodePng(image, options.pngColorStep), view };
}

/** The maps Cusp draws, each with its scale and default range (mm). */
export type MapKind = 'deviation' | 'thickness' | 'clearance';

const MAPS: Record<MapKind, { scale: ColorScale; range: [number, number] }> = {
  // Fixed defaults, so pictures of different visits and patients compare at a glance.
  deviation: { scale: 'diverging', range: [-0.5, 0.5] },
  thickness: { scale: 'sequential', range: [0, 2] },
  clearance: { scale: 'sequential', range: [0, 1] },
};

/** Options of `renderHeatMap`. */
export interface HeatMapOptions extends ThumbnailOptions {
  /** The value range the colours span (mm); values beyond take the end colours. */
  range?: [number, number];
}

/** The colour scale and range a map kind uses. */
export function mapScale(kind: MapKind, range?: [number, number]): { scale: ColorScale; range: [number, number] } {
  return { scale: MAPS[kind].scale, range: range ?? MAPS[kind].range };
}

/**
 * A heat map of per-vertex `values` (mm; NaN grey) on the mesh, with the legend on the
 * right. Default 512 × 384 on white.
 */
export function renderHeatMap(mesh: IndexedMesh, values: Float32Array, kind: MapKind, options: HeatMapOptions = {}): Picture {
  const width = options.width ?? 512;
  const height = options.height ?? 384;
  const factor = options.supersample ?? 2;
  const background = options.background ?? [255, 255, 255, 255];
  const { scale, range } = mapScale(kind, options.range);
  const fontScale = Math.max(1, Math.round(height / 192));
  // Vertices without a value (no counterpart) are grey: the legend says what grey means.
  const noData = values.some(Number.isNaN);
  const legend = legendWidth(scale, range[0], range[1], fontScale, noData);
  const view = chooseView(mesh, width - legend, height, { kind: options.view, lookFrom: options.lookFrom });
  const colors = colorsOf(values, scale, range[0], range[1]);
  const big = rasterize({ positions: mesh.positions, indices: mesh.indices, colors, background }, scaleView(view, factor));
  const scene = downsample(big, factor);
  const image = createImage(width, height, background);
  for (let row = 0; row < height; row++) image.data.set(scene.data.subarray(4 * row * scene.width, 4 * (row + 1) * scene.width), 4 * row * width);
  const margin = Math.round(height * 0.08);
  drawLegend(image, scale, range[0], range[1], width - legend, margin, height - 2 * margin, fontScale, noData);
  return { image, png: encodePng(image, options.pngColorStep), view };
}

/** The mesh with the heat map as its vertex colours, as GLB bytes (for viewers). */
export function heatMapGlb(mesh: IndexedMesh, values: Float32Array, kind: MapKind, range?: [number, number]): Uint8Array {
  const s = mapScale(kind, range);
  return writeGlb({ positions: mesh.positions, indices: mesh.indices, colors: colorsOf(values, s.scale, s.range[0], s.range[1]) });
}
