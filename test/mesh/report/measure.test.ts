import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measure } from '../../../src/mesh/report/measure.js';
import { grid } from './shapes.js';

test('measure sums in blocks exactly what one plain loop over every triangle sums, and boxes only the vertices in use', () => {
  // 80,000 triangles: several blocks of the summing loop and a partial one. A wavy sheet, so
  // the signed volume is not trivially zero; one vertex far off, marked unused.
  const sheet = grid(200, 200, 0.1);
  const positions = sheet.positions.slice();
  for (let v = 0; v < positions.length / 3; v++) positions[3 * v + 2] = Math.fround(0.3 * Math.sin(positions[3 * v]) * Math.cos(positions[3 * v + 1]));
  const referenced = new Uint8Array(positions.length / 3).fill(1);
  positions[0] = 1000;
  referenced[0] = 0;
  const m = measure(positions, sheet.indices, referenced);

  let area = 0, volume6 = 0, degenerate = 0;
  for (let h = 0; h < sheet.indices.length; h += 3) {
    const [a, b, c] = [3 * sheet.indices[h], 3 * sheet.indices[h + 1], 3 * sheet.indices[h + 2]];
    const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const twice = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (twice === 0) degenerate++;
    area += twice;
    const [ax, ay, az, bx, by, bz, qx, qy, qz] = [a, a + 1, a + 2, b, b + 1, b + 2, c, c + 1, c + 2].map((k) => positions[k]);
    volume6 += ax * (by * qz - bz * qy) + ay * (bz * qx - bx * qz) + az * (bx * qy - by * qx);
  }
  assert.equal(m.area, area / 2);
  assert.equal(m.signedVolume, volume6 / 6);
  assert.equal(m.degenerateTriangles, degenerate);
  let maxX = -Infinity;
  for (let v = 1; v < positions.length / 3; v++) maxX = Math.max(maxX, positions[3 * v]);
  assert.equal(m.bbox.max[0], maxX, 'the unused vertex at x = 1000 is not in the box');
  assert.ok(maxX < 100);
});
