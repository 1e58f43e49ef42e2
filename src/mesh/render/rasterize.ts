/**
 * A small software rasterizer: triangles → pixels with a depth buffer, Gouraud-shaded. Each
 * vertex is lit once (Lambert, a light from over the viewer's left shoulder plus some
 * ambient, both sides of the surface alike, since an open scan shows its inside at the
 * border), and the lit colours are interpolated across each triangle. Orthographic, so
 * projection is a dot product per vertex; at scan sizes most triangles cover a pixel or
 * less and cost only their setup.
 */
import { vertexNormals } from '../analysis/surface.js';
import { createImage, type Rgba, type RgbaImage } from './image.js';
import type { View } from './view.js';

/** What to paint. */
export interface RasterInput {
  positions: Float32Array;
  indices: Uint32Array;
  /** RGBA per vertex (sRGB bytes); null paints every vertex `baseColor`. */
  colors: Uint8Array | null;
  baseColor?: Rgba;
  background?: Rgba;
}

const AMBIENT = 0.32;
const DIFFUSE = 0.68;
// Tooth enamel when a scan has no colours.
export const IVORY: Rgba = [236, 226, 204, 255];

/** Draw the mesh as `view` sees it. */
export function rasterize(input: RasterInput, view: View): RgbaImage {
  const { positions, indices, colors } = input;
  const base = input.baseColor ?? IVORY;
  const image = createImage(view.width, view.height, input.background ?? [255, 255, 255, 0]);
  const n = positions.length / 3;
  const normals = vertexNormals(positions, indices);
  // Light from the viewer, a little from up and left, so relief shows.
  const light = [0, 1, 2].map((k) => view.toward[k] + 0.35 * view.up[k] - 0.25 * view.right[k]);
  const ll = Math.hypot(light[0], light[1], light[2]);
  const sx = new Float32Array(n), sy = new Float32Array(n), sz = new Float32Array(n);
  const lit = new Float32Array(3 * n);
  // The projection of `project` (view.ts), inlined: this loop runs once per vertex.
  const { right: r, up: u, toward: t, center, scale } = view;
  const hw = view.width / 2, hh = view.height / 2;
  for (let v = 0; v < n; v++) {
    const dx = positions[3 * v] - center[0], dy = positions[3 * v + 1] - center[1], dz = positions[3 * v + 2] - center[2];
    sx[v] = hw + scale * (dx * r[0] + dy * r[1] + dz * r[2]);
    sy[v] = hh - scale * (dx * u[0] + dy * u[1] + dz * u[2]);
    sz[v] = dx * t[0] + dy * t[1] + dz * t[2];
    const d = Math.abs(normals[3 * v] * light[0] + normals[3 * v + 1] * light[1] + normals[3 * v + 2] * light[2]) / ll;
    const shade = AMBIENT + DIFFUSE * d;
    for (let k = 0; k < 3; k++) lit[3 * v + k] = shade * (colors ? colors[4 * v + k] : base[k]);
  }
  const depth = new Float32Array(view.width * view.height).fill(-Infinity);
  const { width, height, data } = image;
  for (let h = 0; h < indices.length; h += 3) {
    const a = indices[h], b = indices[h + 1], c = indices[h + 2];
    const ax = sx[a], ay = sy[a], bx = sx[b], by = sy[b], cx = sx[c], cy = sy[c];
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0 || !Number.isFinite(area)) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx) - 0.5));
    const x1 = Math.min(width - 1, Math.floor(Math.max(ax, bx, cx) - 0.5));
    if (x0 > x1) continue;
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5));
    const y1 = Math.min(height - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    if (y0 > y1) continue;
    const inv = 1 / area;
    for (let py = y0; py <= y1; py++) {
      const fy = py + 0.5;
      for (let px = x0; px <= x1; px++) {
        const fx = px + 0.5;
        // Barycentric weights from the edge functions, both windings alike.
        const wa = ((bx - fx) * (cy - fy) - (by - fy) * (cx - fx)) * inv;
        const wb = ((cx - fx) * (ay - fy) - (cy - fy) * (ax - fx)) * inv;
        const wc = 1 - wa - wb;
        if (wa < 0 || wb < 0 || wc < 0) continue;
        const z = wa * sz[a] + wb * sz[b] + wc * sz[c];
        const p = py * width + px;
        if (z <= depth[p]) continue;
        depth[p] = z;
        const o = 4 * p;
        data[o] = wa * lit[3 * a] + wb * lit[3 * b] + wc * lit[3 * c];
        data[o + 1] = wa * lit[3 * a + 1] + wb * lit[3 * b + 1] + wc * lit[3 * c + 1];
        data[o + 2] = wa * lit[3 * a + 2] + wb * lit[3 * b + 2] + wc * lit[3 * c + 2];
        data[o + 3] = 255;
      }
    }
  }
  return image;
}
