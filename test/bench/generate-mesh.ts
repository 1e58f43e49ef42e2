// Seeded, closed, tooth-like test meshes of any size, generated at run time so no big file
// is ever committed: a latitude/longitude sphere stretched into a crown-and-root ellipsoid,
// with cusps and a bumpy surface, and ivory vertex colours as intraoral scanners export.
import type { IndexedMesh } from '../../src/mesh/mesh.js';

/** mulberry32: a small seeded PRNG, enough for test geometry. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A closed, consistently oriented (outward), manifold mesh of about `triangles` triangles
 * (within 1%), in millimetres (about 8 × 10 × 20 mm). The same seed gives the same mesh.
 */
export function generateToothMesh(triangles: number, seed: number): IndexedMesh {
  const random = seededRandom(seed);
  // 2·cols·(rows − 1) triangles: caps of `cols` triangles, bands of 2·cols.
  const cols = Math.max(3, Math.round(Math.sqrt(triangles)));
  const rows = Math.max(2, Math.round(triangles / (2 * cols)) + 1);
  const waves = Array.from({ length: 6 }, () => ({
    a: 0.02 + random() * 0.04,
    f: 1 + Math.floor(random() * 5),
    g: 1 + Math.floor(random() * 4),
    p: random() * Math.PI * 2,
    q: random() * Math.PI * 2,
  }));
  const vertexCount = cols * (rows - 1) + 2;
  const positions = new Float32Array(vertexCount * 3);
  const colors = new Uint8Array(vertexCount * 4);
  const put = (i: number, theta: number, phi: number): void => {
    let r = 1;
    for (const w of waves) r += w.a * Math.sin(w.f * phi + w.p) * Math.sin(w.g * theta + w.q);
    // Four cusps on the occlusal (top) side.
    const top = Math.max(0, Math.cos(theta));
    r += 0.08 * top * top * Math.abs(Math.sin(2 * phi));
    r += (random() - 0.5) * 0.002;
    const s = Math.sin(theta);
    positions[i * 3] = 4 * r * s * Math.cos(phi);
    positions[i * 3 + 1] = 5 * r * s * Math.sin(phi);
    positions[i * 3 + 2] = 10 * r * Math.cos(theta) * (theta > Math.PI / 2 ? 1.6 : 1);
    const shade = 0.85 + 0.15 * top + (random() - 0.5) * 0.04;
    colors[i * 4] = Math.min(255, Math.round(238 * shade));
    colors[i * 4 + 1] = Math.min(255, Math.round(228 * shade));
    colors[i * 4 + 2] = Math.min(255, Math.round(200 * shade));
    colors[i * 4 + 3] = 255;
  };
  put(0, 0, 0);
  for (let r = 1; r < rows; r++) {
    for (let c = 0; c < cols; c++) put(1 + (r - 1) * cols + c, (Math.PI * r) / rows, (2 * Math.PI * c) / cols);
  }
  const south = vertexCount - 1;
  put(south, Math.PI, 0);

  const indices = new Uint32Array(2 * cols * (rows - 1) * 3);
  let o = 0;
  const ring = (r: number, c: number): number => 1 + (r - 1) * cols + (c % cols);
  for (let c = 0; c < cols; c++) {
    indices[o++] = 0;
    indices[o++] = ring(1, c);
    indices[o++] = ring(1, c + 1);
  }
  for (let r = 1; r < rows - 1; r++) {
    for (let c = 0; c < cols; c++) {
      const a = ring(r, c);
      const b = ring(r, c + 1);
      const d = ring(r + 1, c);
      const e = ring(r + 1, c + 1);
      indices[o++] = a;
      indices[o++] = d;
      indices[o++] = e;
      indices[o++] = a;
      indices[o++] = e;
      indices[o++] = b;
    }
  }
  for (let c = 0; c < cols; c++) {
    indices[o++] = south;
    indices[o++] = ring(rows - 1, c + 1);
    indices[o++] = ring(rows - 1, c);
  }
  return { positions, indices, colors };
}

/** `mesh` without the triangles whose centroid lies at or below z = `level`, unused vertices dropped: an open scan with a cut border. */
export function cutBelow(mesh: IndexedMesh, level: number): IndexedMesh {
  const { positions: p, indices } = mesh;
  const keep: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    if (p[3 * indices[t] + 2] + p[3 * indices[t + 1] + 2] + p[3 * indices[t + 2] + 2] > 3 * level) keep.push(t);
  }
  const map = new Int32Array(p.length / 3).fill(-1);
  const out = new Uint32Array(3 * keep.length);
  let n = 0;
  keep.forEach((t, j) => {
    for (let k = 0; k < 3; k++) {
      const v = indices[t + k];
      if (map[v] < 0) map[v] = n++;
      out[3 * j + k] = map[v];
    }
  });
  const positions = new Float32Array(3 * n);
  for (let v = 0; v < map.length; v++) if (map[v] >= 0) positions.set(p.subarray(3 * v, 3 * v + 3), 3 * map[v]);
  return { positions, indices: out };
}
