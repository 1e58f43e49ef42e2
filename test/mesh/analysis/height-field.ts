// Two "scans" of one smooth surface z = f(x, y) whose differences are known exactly: each
// sampled on its own grid (spacing, angle, seeded jitter), each cut along its own wavy
// border, the new one with a bump of known height and moved by a known rigid motion — as
// two intraoral scans of one jaw never share their border or their triangles.
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { multiply, rotationAbout, translation, transformPositions, type Mat4 } from '../../../src/mesh/analysis/rigid-transform.js';
import { mulberry32 } from '../../../src/mesh/analysis/surface-samples.js';

/** The surface: a gentle dome with ripples, about 2 mm high over a 20 mm disc (mm). */
export function surfaceHeight(x: number, y: number): number {
  return 2 * Math.exp(-(x * x + y * y) / 60) + 0.3 * Math.sin(x / 3) * Math.cos(y / 4);
}

/** Where the bump sits and how it is shaped: `height` mm within `radius`, easing to 0 at 1.5 × radius. */
export const BUMP = { x: 2, y: 1.5, radius: 1.5 };

/** The bump's height (mm, along z) at (x, y). */
export function bumpHeight(x: number, y: number, height: number): number {
  const r = Math.hypot(x - BUMP.x, y - BUMP.y);
  const f = r <= BUMP.radius ? 1 : r >= 1.5 * BUMP.radius ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * (r - BUMP.radius)) / (0.5 * BUMP.radius));
  return height * f;
}

/** How one scan samples the surface. */
export interface Sampling {
  /** Grid spacing (mm). */
  spacing: number;
  /** Grid turned by this many degrees about z. */
  angle: number;
  /** Seeded jitter of each grid point, as a fraction of the spacing. */
  jitter: number;
  seed: number;
  /** The scan covers the disc of this radius around (cx, cy), its border waving by ± `wave` mm. */
  radius: number;
  cx: number;
  cy: number;
  wave: number;
  /** Height of the bump (mm), 0 for none. */
  bump: number;
}

/**
 * Sample the surface on a grid: keep the cells whose four corners lie inside the border,
 * two triangles each (counter-clockwise seen from +z, so normals point up).
 */
export function sampleSurface(s: Sampling): IndexedMesh {
  const random = mulberry32(s.seed);
  const n = Math.ceil((2 * (s.radius + s.wave + Math.hypot(s.cx, s.cy))) / s.spacing) + 2;
  const c = Math.cos((s.angle * Math.PI) / 180), sn = Math.sin((s.angle * Math.PI) / 180);
  const half = (n * s.spacing) / 2;
  const xs = new Float64Array(n * n), ys = new Float64Array(n * n);
  const inside = new Uint8Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const u = i * s.spacing - half + (random() - 0.5) * s.jitter * s.spacing;
      const v = j * s.spacing - half + (random() - 0.5) * s.jitter * s.spacing;
      const x = s.cx + c * u - sn * v, y = s.cy + sn * u + c * v;
      const k = j * n + i;
      xs[k] = x;
      ys[k] = y;
      const a = Math.atan2(y - s.cy, x - s.cx);
      inside[k] = Math.hypot(x - s.cx, y - s.cy) < s.radius + s.wave * Math.sin(5 * a + s.seed) ? 1 : 0;
    }
  }
  const index = new Int32Array(n * n).fill(-1);
  const positions: number[] = [];
  const triangles: number[] = [];
  const vertex = (k: number): number => {
    if (index[k] < 0) {
      index[k] = positions.length / 3;
      positions.push(xs[k], ys[k], surfaceHeight(xs[k], ys[k]) + (s.bump ? bumpHeight(xs[k], ys[k], s.bump) : 0));
    }
    return index[k];
  };
  for (let j = 0; j + 1 < n; j++) {
    for (let i = 0; i + 1 < n; i++) {
      const k = j * n + i;
      if (!(inside[k] && inside[k + 1] && inside[k + n] && inside[k + n + 1])) continue;
      const a = vertex(k), b = vertex(k + 1), d = vertex(k + n), e = vertex(k + n + 1);
      triangles.push(a, b, e, a, e, d);
    }
  }
  return { positions: new Float32Array(positions), indices: new Uint32Array(triangles) };
}

/** The rigid motion of the brief's pair: turned 10° about a tilted axis, shifted 3 mm. */
export function pairMotion(): Mat4 {
  return multiply(translation(1.8, -1.5, 1.9 * 1.2), rotationAbout([0.6, 0.64, 0.48], (10 * Math.PI) / 180, [0, 0, 1]));
}

/**
 * An old and a new scan of about `triangles` triangles each: different grids and borders,
 * a bump of `bump` mm on the new one, the new one moved by `pairMotion()` (when `move`).
 */
export function borderPair(triangles: number, bump: number, move = true): { old: IndexedMesh; fresh: IndexedMesh; motion: Mat4 } {
  // Area of the disc ≈ π·10², two triangles per cell of spacing².
  const spacing = Math.sqrt((2 * Math.PI * 100) / triangles);
  const old = sampleSurface({ spacing, angle: 0, jitter: 0.3, seed: 1, radius: 10, cx: 0, cy: 0, wave: 0.6, bump: 0 });
  const fresh = sampleSurface({ spacing: spacing * 0.93, angle: 17, jitter: 0.3, seed: 2, radius: 9.3, cx: 0.8, cy: -0.5, wave: 0.5, bump });
  const motion = pairMotion();
  return { old, fresh: move ? { positions: transformPositions(fresh.positions, motion), indices: fresh.indices } : fresh, motion };
}
