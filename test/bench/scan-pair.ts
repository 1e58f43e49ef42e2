// The later visit the analysis benches compare against: one generated scan with a known
// change and a known motion (test/bench/analysis.bench.ts, test/bench/compare-stages.ts).
import { multiply, rotationAbout, transformPositions, translation } from '../../src/mesh/analysis/rigid-transform.js';
import { vertexNormals } from '../../src/mesh/analysis/surface.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { seededRandom } from './generate-mesh.js';

/** A later visit of `scan`: a 0.3 mm bump on the crown, 10 µm noise, then turned 10° and shifted 3 mm. */
export function laterVisit(scan: IndexedMesh, seed: number): { mesh: IndexedMesh; motion: number[] } {
  const random = seededRandom(seed);
  const normals = vertexNormals(scan.positions, scan.indices);
  const p = scan.positions.slice();
  for (let v = 0; v < p.length / 3; v++) {
    const r = Math.hypot(p[3 * v] - 2, p[3 * v + 1], p[3 * v + 2] - 8);
    const bump = r < 1.5 ? 0.3 : r < 2.25 ? 0.15 + 0.15 * Math.cos((Math.PI * (r - 1.5)) / 0.75) : 0;
    const noise = 0.01 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    for (let k = 0; k < 3; k++) p[3 * v + k] += (bump + noise) * normals[3 * v + k];
  }
  const motion = multiply(translation(1.8, -1.5, 1.9), rotationAbout([0.6, 0.64, 0.48], (10 * Math.PI) / 180, [0, 0, 2]));
  return { mesh: { positions: transformPositions(p, motion), indices: scan.indices }, motion };
}
