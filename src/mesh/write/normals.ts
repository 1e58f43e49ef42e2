/**
 * Normals fit to write: glTF requires unit normals (the Khronos validator rejects others),
 * and OBJ exporters hand us whatever they stored — unnormalised, zero, or none. Each given
 * normal is scaled to unit length; a zero, non-finite or missing one is replaced by the
 * area-weighted normal of the triangles around the vertex, and a vertex no triangle with
 * area uses (an unused or degenerate corner) gets +z, which no viewer will ever shade.
 */
import { vertexNormals } from '../analysis/surface.js';
import type { IndexedMesh } from '../mesh.js';

/** Unit normals for every vertex of `mesh` (a new array; the mesh is not changed). */
export function unitNormals(mesh: IndexedMesh): Float32Array {
  const given = mesh.normals;
  let computed: Float32Array | undefined = given ? undefined : vertexNormals(mesh.positions, mesh.indices);
  const out = new Float32Array(mesh.positions.length);
  for (let i = 0; i < out.length; i += 3) {
    if (given) {
      const x = given[i], y = given[i + 1], z = given[i + 2];
      const l = Math.hypot(x, y, z);
      if (l > 1e-12 && l < Infinity) {
        out[i] = x / l;
        out[i + 1] = y / l;
        out[i + 2] = z / l;
        // Float32 rounding can leave the length a hair off 1; the validator allows 5e-4.
        continue;
      }
    }
    computed ??= vertexNormals(mesh.positions, mesh.indices);
    if (computed[i] !== 0 || computed[i + 1] !== 0 || computed[i + 2] !== 0) {
      out[i] = computed[i];
      out[i + 1] = computed[i + 1];
      out[i + 2] = computed[i + 2];
    } else {
      out[i + 2] = 1;
    }
  }
  return out;
}
