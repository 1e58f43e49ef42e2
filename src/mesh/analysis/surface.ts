/**
 * Per-vertex quantities every analysis needs: the surface area a vertex stands for (a third
 * of each triangle around it, so the areas sum to the mesh's area and statistics over
 * vertices become statistics over the surface however unevenly a scanner placed its
 * points), and the vertex normal (the area-weighted sum of the face normals around it).
 */

/** Surface area per vertex, in the mesh's units squared; sums to the total area. */
export function vertexAreas(positions: Float32Array, indices: Uint32Array): Float32Array {
  const areas = new Float32Array(positions.length / 3);
  for (let h = 0; h < indices.length; h += 3) {
    const a = indices[h], b = indices[h + 1], c = indices[h + 2];
    const third = triangleArea(positions, a, b, c) / 3;
    areas[a] += third;
    areas[b] += third;
    areas[c] += third;
  }
  return areas;
}

/**
 * Unit normal per vertex, the area-weighted mean of the normals of its triangles (counter-
 * clockwise seen from outside). A vertex no triangle uses gets (0, 0, 0).
 */
export function vertexNormals(positions: Float32Array, indices: Uint32Array): Float32Array {
  const normals = new Float32Array(positions.length);
  for (let h = 0; h < indices.length; h += 3) {
    const a = 3 * indices[h], b = 3 * indices[h + 1], c = 3 * indices[h + 2];
    const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
    // The cross product's length is twice the area: the sum is area-weighted as it stands.
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    normals[a] += nx;
    normals[a + 1] += ny;
    normals[a + 2] += nz;
    normals[b] += nx;
    normals[b + 1] += ny;
    normals[b + 2] += nz;
    normals[c] += nx;
    normals[c + 1] += ny;
    normals[c + 2] += nz;
  }
  for (let i = 0; i < normals.length; i += 3) {
    // Math.sqrt, not Math.hypot: V8 does not compile hypot into the loop but calls it, ten
    // times slower, with a heap allocation per call.
    const l = Math.sqrt(normals[i] * normals[i] + normals[i + 1] * normals[i + 1] + normals[i + 2] * normals[i + 2]);
    if (l > 0) {
      normals[i] /= l;
      normals[i + 1] /= l;
      normals[i + 2] /= l;
    }
  }
  return normals;
}

/** Area of the triangle with vertices a, b, c (vertex indices). */
export function triangleArea(positions: Float32Array, a: number, b: number, c: number): number {
  const a3 = 3 * a, b3 = 3 * b, c3 = 3 * c;
  const ux = positions[b3] - positions[a3], uy = positions[b3 + 1] - positions[a3 + 1], uz = positions[b3 + 2] - positions[a3 + 2];
  const vx = positions[c3] - positions[a3], vy = positions[c3 + 1] - positions[a3 + 1], vz = positions[c3 + 2] - positions[a3 + 2];
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  return Math.sqrt(nx * nx + ny * ny + nz * nz) / 2;
}

/** Sum of all triangle areas. */
export function surfaceArea(positions: Float32Array, indices: Uint32Array): number {
  let area = 0;
  for (let h = 0; h < indices.length; h += 3) area += triangleArea(positions, indices[h], indices[h + 1], indices[h + 2]);
  return area;
}
