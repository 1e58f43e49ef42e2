/**
 * Where the camera looks from. A dental arch is wide and flat, so its axis of least
 * variance is the occlusal direction: a jaw is shown from above its biting surfaces, the arch
 * left to right. Anything else (a single tooth, a model, an appliance) gets a three-quarter
 * view with its long axis upright. The projection is orthographic: sizes read true.
 */
import { principalAxes } from '../analysis/principal-axes.js';
import type { IndexedMesh } from '../mesh.js';

/** The views the renderer chooses from. */
export type ViewKind = 'auto' | 'occlusal' | 'side';

/** An orthographic camera fitted to a mesh and an image size. */
export interface View {
  kind: 'occlusal' | 'side';
  /** Unit vectors in the mesh's frame: screen right, screen up, towards the viewer. */
  right: [number, number, number];
  up: [number, number, number];
  toward: [number, number, number];
  /** Mesh point at the image centre. */
  center: [number, number, number];
  /** Pixels per mesh unit (mm). */
  scale: number;
  width: number;
  height: number;
}

// A jaw: the least variance is under this share of the middle one. An arch is wide and deep
// but only as tall as its teeth; a single tooth is about as deep as it is wide, so its
// share is larger (the corpus teeth: 0.51–0.89).
const FLAT = 0.35;

/** How to choose a view. */
export interface ViewOptions {
  kind?: ViewKind;
  /** Share of the picture's size left free around the mesh (default 0.06). */
  margin?: number;
  /**
   * Look from this direction (from the mesh towards the viewer) instead of choosing one:
   * e.g. from the opposing jaw, to show a jaw's biting surface. Shown as an occlusal view.
   */
  lookFrom?: ArrayLike<number>;
}

/** Choose and fit a view of `mesh` for a `width` × `height` picture. */
export function chooseView(mesh: IndexedMesh, width: number, height: number, options: ViewOptions = {}): View {
  const { positions, indices } = mesh;
  const kind = options.kind ?? 'auto';
  const margin = options.margin ?? 0.06;
  const pa = principalAxes(positions);
  const [a0, a1, a2] = pa.axes;
  const flat = pa.variances[2] < FLAT * pa.variances[1];
  const occlusal = options.lookFrom !== undefined || kind === 'occlusal' || (kind === 'auto' && flat);
  let toward: number[];
  let up: number[];
  if (options.lookFrom) {
    toward = normalize([options.lookFrom[0], options.lookFrom[1], options.lookFrom[2]]);
    // The longest axis across the picture, as far as the direction allows.
    const across = Math.abs(dot(a0, toward)) < 0.9 ? a0 : a1;
    up = normalize(cross(toward, across));
  } else if (occlusal) {
    // Look from the side the surface faces (an open scan's normals point occlusally).
    toward = facing(positions, indices, a2) >= 0 ? a2 : a2.map((x) => -x);
    up = cross(toward, a0);
  } else {
    toward = normalize(a2.map((x, k) => 0.8 * x + 0.45 * a1[k] + 0.35 * a0[k]));
    up = normalize(a0.map((x, k) => x - dot(a0, toward) * toward[k]));
  }
  let right = cross(up, toward);
  if (occlusal && centroidBelowMiddle(positions, pa.centroid, up)) {
    // An arch's mass leans to its front (the arms of the U are open at the back): turn the
    // picture so the front teeth are at the top, as dental photographs show a jaw.
    up = up.map((x) => -x);
    right = right.map((x) => -x);
  }
  // Fit the projected extent.
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i] * right[0] + positions[i + 1] * right[1] + positions[i + 2] * right[2];
    const y = positions[i] * up[0] + positions[i + 1] * up[1] + positions[i + 2] * up[2];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (minX > maxX) minX = maxX = minY = maxY = 0;
  const free = 1 - 2 * margin;
  const scale = Math.min((free * width) / Math.max(maxX - minX, 1e-9), (free * height) / Math.max(maxY - minY, 1e-9));
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const depth = dot(pa.centroid, toward);
  const center = [0, 1, 2].map((k) => cx * right[k] + cy * up[k] + depth * toward[k]) as [number, number, number];
  return {
    kind: occlusal ? 'occlusal' : 'side',
    right: right as [number, number, number],
    up: up as [number, number, number],
    toward: toward as [number, number, number],
    center,
    scale,
    width,
    height,
  };
}

/** Pixel position (x right, y down) and depth (larger is nearer) of a mesh point. */
export function project(view: View, x: number, y: number, z: number): [number, number, number] {
  const dx = x - view.center[0], dy = y - view.center[1], dz = z - view.center[2];
  const { right: r, up: u, toward: t } = view;
  return [
    view.width / 2 + view.scale * (dx * r[0] + dy * r[1] + dz * r[2]),
    view.height / 2 - view.scale * (dx * u[0] + dy * u[1] + dz * u[2]),
    dx * t[0] + dy * t[1] + dz * t[2],
  ];
}

/** The same view for an image `factor` times larger (for supersampling). */
export function scaleView(view: View, factor: number): View {
  return { ...view, scale: view.scale * factor, width: view.width * factor, height: view.height * factor };
}

/** True when the centroid lies below the middle of the extent along `up`. */
function centroidBelowMiddle(positions: Float32Array, centroid: number[], up: number[]): boolean {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < positions.length; i += 3) {
    const y = positions[i] * up[0] + positions[i + 1] * up[1] + positions[i + 2] * up[2];
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return dot(centroid, up) < (lo + hi) / 2;
}

/** Area-weighted sum of the face normals along `axis`: which way the surface mostly faces. */
function facing(positions: Float32Array, indices: Uint32Array, axis: number[]): number {
  let sum = 0;
  for (let h = 0; h < indices.length; h += 3) {
    const a = 3 * indices[h], b = 3 * indices[h + 1], c = 3 * indices[h + 2];
    const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
    sum += (uy * vz - uz * vy) * axis[0] + (uz * vx - ux * vz) * axis[1] + (ux * vy - uy * vx) * axis[2];
  }
  return sum;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function cross(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalize(a: number[]): number[] {
  const l = Math.hypot(a[0], a[1], a[2]) || 1;
  return a.map((x) => x / l);
}
