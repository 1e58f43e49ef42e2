// Ground truth built from the real teeth of the corpus: a "previous visit" and a "new visit"
// of the same tooth whose differences are known exactly — a rigid motion, a patch pushed by
// a known amount, scanner-like noise, and borders cut in different places.
import { readMeshSync } from '../../../src/mesh/read/index.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { principalAxes } from '../../../src/mesh/analysis/principal-axes.js';
import { multiply, rotationAbout, translation, transformPositions, type Mat4 } from '../../../src/mesh/analysis/rigid-transform.js';
import { vertexAreas, vertexNormals } from '../../../src/mesh/analysis/surface.js';
import { mulberry32 } from '../../../src/mesh/analysis/surface-samples.js';
import { weldExact } from '../../../src/mesh/weld.js';
import { corpusBytes } from '../../helpers/corpus.js';

/** A corpus tooth, welded (the STL arrives as a triangle soup). */
export function tooth(name: string): IndexedMesh {
  const file = `dental/${name}`;
  const { mesh } = readMeshSync({ bytes: corpusBytes(file), name });
  return weldExact(mesh).mesh;
}

/** The tooth's long axis (largest variance) and centroid. */
export function longAxis(mesh: IndexedMesh): { axis: number[]; center: number[]; length: number } {
  const pa = principalAxes(mesh.positions);
  let lo = Infinity, hi = -Infinity;
  const [ax, ay, az] = pa.axes[0];
  for (let i = 0; i < mesh.positions.length; i += 3) {
    const s = mesh.positions[i] * ax + mesh.positions[i + 1] * ay + mesh.positions[i + 2] * az;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  return { axis: pa.axes[0], center: pa.centroid, length: hi - lo };
}

/**
 * Keep the triangles whose centroid lies on the positive side of the plane through
 * center + offset·axis (normal `axis`): an open surface with a border, like a scan cut at
 * the gum line. Unused vertices go; `kept[v]` is the new index of old vertex v or −1.
 */
export function cut(mesh: IndexedMesh, axis: number[], center: number[], offset: number): { mesh: IndexedMesh; kept: Int32Array } {
  const p = mesh.positions;
  const level = center[0] * axis[0] + center[1] * axis[1] + center[2] * axis[2] + offset;
  const keptTriangles: number[] = [];
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    let s = 0;
    for (let k = 0; k < 3; k++) {
      const v = 3 * mesh.indices[3 * t + k];
      s += (p[v] * axis[0] + p[v + 1] * axis[1] + p[v + 2] * axis[2]) / 3;
    }
    if (s > level) keptTriangles.push(t);
  }
  const kept = new Int32Array(p.length / 3).fill(-1);
  let count = 0;
  const indices = new Uint32Array(3 * keptTriangles.length);
  keptTriangles.forEach((t, j) => {
    for (let k = 0; k < 3; k++) {
      const v = mesh.indices[3 * t + k];
      if (kept[v] < 0) kept[v] = count++;
      indices[3 * j + k] = kept[v];
    }
  });
  const positions = new Float32Array(3 * count);
  for (let v = 0; v < kept.length; v++) if (kept[v] >= 0) positions.set(p.subarray(3 * v, 3 * v + 3), 3 * kept[v]);
  return { mesh: { positions, indices }, kept };
}

/**
 * Push the surface outward along its normals around `centerVertex`: by `amount` within
 * `radius`, easing to 0 at 1.5 × radius (a smooth bump, as a tooth moved or built up).
 * Returns the new mesh and each vertex's displacement (mm).
 */
export function pushPatch(mesh: IndexedMesh, centerVertex: number, radius: number, amount: number): { mesh: IndexedMesh; displacement: Float32Array } {
  const p = mesh.positions;
  const normals = vertexNormals(p, mesh.indices);
  const out = p.slice();
  const displacement = new Float32Array(p.length / 3);
  const cx = p[3 * centerVertex], cy = p[3 * centerVertex + 1], cz = p[3 * centerVertex + 2];
  for (let v = 0; v < displacement.length; v++) {
    const r = Math.hypot(p[3 * v] - cx, p[3 * v + 1] - cy, p[3 * v + 2] - cz);
    const f = r <= radius ? 1 : r >= 1.5 * radius ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * (r - radius)) / (0.5 * radius));
    displacement[v] = amount * f;
    for (let k = 0; k < 3; k++) out[3 * v + k] += displacement[v] * normals[3 * v + k];
  }
  return { mesh: { positions: out, indices: mesh.indices }, displacement };
}

/** Gaussian noise of `sigma` mm along the vertex normals (seeded), as a scanner's. */
export function addNoise(mesh: IndexedMesh, sigma: number, seed: number): IndexedMesh {
  const random = mulberry32(seed);
  const normals = vertexNormals(mesh.positions, mesh.indices);
  const out = mesh.positions.slice();
  for (let v = 0; v < out.length / 3; v++) {
    const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    for (let k = 0; k < 3; k++) out[3 * v + k] += sigma * g * normals[3 * v + k];
  }
  return { positions: out, indices: mesh.indices };
}

/** A seeded rigid motion about `center`: a turn of `degrees` about a random axis, then a shift of `shift` mm in a random direction. */
export function randomMotion(seed: number, degrees: number, shift: number, center: number[]): Mat4 {
  const random = mulberry32(seed);
  const unit = (): number[] => {
    const z = 2 * random() - 1;
    const a = 2 * Math.PI * random();
    const s = Math.sqrt(1 - z * z);
    return [s * Math.cos(a), s * Math.sin(a), z];
  };
  const axis = unit();
  const dir = unit();
  return multiply(translation(shift * dir[0], shift * dir[1], shift * dir[2]), rotationAbout(axis, (degrees * Math.PI) / 180, center));
}

/** The mesh moved by m. */
export function moved(mesh: IndexedMesh, m: Mat4): IndexedMesh {
  return { positions: transformPositions(mesh.positions, m), indices: mesh.indices };
}

/** Registration error: `error` maps old points to old points (identity when perfect). */
export function motionError(error: Mat4, mesh: IndexedMesh): { rmsMm: number; maxMm: number } {
  const q = transformPositions(mesh.positions, error);
  let sum = 0, max = 0;
  for (let i = 0; i < q.length; i += 3) {
    const d = Math.hypot(q[i] - mesh.positions[i], q[i + 1] - mesh.positions[i + 1], q[i + 2] - mesh.positions[i + 2]);
    sum += d * d;
    max = Math.max(max, d);
  }
  return { rmsMm: Math.sqrt(sum / (q.length / 3)), maxMm: max };
}

/** Area (mm²) of the vertices whose |value| exceeds t. */
export function areaAbove(mesh: IndexedMesh, values: Float32Array, t: number): number {
  return patchAbove(mesh, values, t).area;
}

/** Area (mm²) and area-weighted centre of the vertices whose |value| exceeds t. */
export function patchAbove(mesh: IndexedMesh, values: Float32Array, t: number): { area: number; centroid: number[] } {
  const areas = vertexAreas(mesh.positions, mesh.indices);
  let area = 0;
  const c = [0, 0, 0];
  for (let v = 0; v < values.length; v++) {
    if (!(Math.abs(values[v]) > t)) continue;
    area += areas[v];
    for (let k = 0; k < 3; k++) c[k] += areas[v] * mesh.positions[3 * v + k];
  }
  return { area, centroid: c.map((x) => x / (area || 1)) };
}
