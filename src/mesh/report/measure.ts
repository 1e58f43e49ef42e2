/**
 * Measurements: bounding box, surface area, signed volume and degenerate triangles, in one
 * pass over the triangles in double precision.
 */

/** Axis-aligned bounding box; `min`/`max` are 0 for an empty mesh. */
export interface BoundingBox {
  min: [number, number, number];
  max: [number, number, number];
}

/** What the measuring pass finds. */
export interface Measurements {
  bbox: BoundingBox;
  area: number;
  /** Sum of the signed tetrahedron volumes (divergence theorem): positive when a closed mesh faces outwards. */
  signedVolume: number;
  /** Triangles of zero area (a repeated vertex, or three points on a line). */
  degenerateTriangles: number;
}

/**
 * Measure a mesh. The bounding box covers the vertices that triangles use (`referenced`
 * marks them): a stray unused vertex in a file is not part of the surface. Tetrahedra are taken from the origin: for an open surface the signed
 * volume depends on that choice, and the origin is the convention of every other tool.
 */
export function measure(positions: Float32Array, indices: Uint32Array, referenced: Uint8Array): Measurements {
  let minX = Infinity, minY = Infinity, minZ = Infinity;
  let maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let v = 0, i = 0; i < positions.length; v++, i += 3) {
    if (referenced[v] === 0) continue;
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
    if (z < minZ) minZ = z;
    if (z > maxZ) maxZ = z;
  }
  if (minX > maxX) minX = minY = minZ = maxX = maxY = maxZ = 0;

  let area = 0;
  let volume6 = 0;
  let degenerate = 0;
  for (let h = 0; h < indices.length; h += 3) {
    const a = 3 * indices[h], b = 3 * indices[h + 1], c = 3 * indices[h + 2];
    const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
    const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
    const qx = positions[c], qy = positions[c + 1], qz = positions[c + 2];
    const ux = bx - ax, uy = by - ay, uz = bz - az;
    const vx = qx - ax, vy = qy - ay, vz = qz - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const twice = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (twice === 0) degenerate++;
    area += twice;
    volume6 += ax * (by * qz - bz * qy) + ay * (bz * qx - bx * qz) + az * (bx * qy - by * qx);
  }
  return {
    bbox: { min: [minX, minY, minZ], max: [maxX, maxY, maxZ] },
    area: area / 2,
    signedVolume: volume6 / 6,
    degenerateTriangles: degenerate,
  };
}
