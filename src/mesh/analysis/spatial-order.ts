/**
 * Vertices in spatial order (a Morton, or Z-order, curve): consecutive vertices in this
 * order are close in space, so a closest-point query can start from the previous one's
 * answer and a worker given a range of the order gets a compact piece of the surface.
 */
import { positionBounds } from '../mesh.js';

/**
 * The vertex indices of `positions` sorted along a Morton curve over their bounding box
 * (10 bits per axis). A radix sort: three passes of 10 bits, no comparisons.
 */
export function mortonOrder(positions: Float32Array): Uint32Array {
  const n = positions.length / 3;
  const [minX, minY, minZ, maxX, maxY, maxZ] = positionBounds(positions);
  // One scale for all axes keeps the cells cubic.
  const extent = Math.max(maxX - minX, maxY - minY, maxZ - minZ);
  const scale = extent > 0 ? 1023 / extent : 0;
  let keys = new Uint32Array(n);
  for (let v = 0; v < n; v++) {
    const x = ((positions[3 * v] - minX) * scale) | 0;
    const y = ((positions[3 * v + 1] - minY) * scale) | 0;
    const z = ((positions[3 * v + 2] - minZ) * scale) | 0;
    keys[v] = spread(x) | (spread(y) << 1) | (spread(z) << 2);
  }
  let order = new Uint32Array(n);
  for (let v = 0; v < n; v++) order[v] = v;
  let keysOut = new Uint32Array(n);
  let orderOut = new Uint32Array(n);
  const counts = new Uint32Array(1024);
  for (let shift = 0; shift < 30; shift += 10) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & 1023]++;
    let sum = 0;
    for (let b = 0; b < 1024; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const slot = counts[(keys[i] >>> shift) & 1023]++;
      keysOut[slot] = keys[i];
      orderOut[slot] = order[i];
    }
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  return order;
}

/** The 10 bits of x spread to every third bit. */
function spread(x: number): number {
  x &= 0x3ff;
  x = (x | (x << 16)) & 0x030000ff;
  x = (x | (x << 8)) & 0x0300f00f;
  x = (x | (x << 4)) & 0x030c30c3;
  x = (x | (x << 2)) & 0x09249249;
  return x;
}
