/**
 * The last line of defence every reader's result passes: whatever a reader missed, no mesh
 * leaves `readMesh` with an index past the vertex count, a non-finite coordinate, a partial
 * triangle or an attribute array of the wrong length. Readers give the specific messages;
 * this check only guarantees the contract.
 */
import type { IndexedMesh, MeshFormat } from '../mesh.js';
import { meshRejected } from './rejection.js';

/** Throw 'mesh_rejected' unless `mesh` is a usable triangle mesh. */
export function assertSoundMesh(mesh: IndexedMesh, name: string, format: MeshFormat): void {
  const { positions, indices } = mesh;
  const bad = (what: string): never => {
    throw meshRejected(format, 'invalid_structure', `${name}: ${what} — the file is inconsistent; export the scan again`);
  };
  if (positions.length % 3 !== 0) bad('vertex data is not a whole number of xyz triples');
  if (indices.length % 3 !== 0) bad('index data is not a whole number of triangles');
  if (indices.length === 0) {
    throw meshRejected(format, 'no_triangles', `${name} holds no triangles — export the scan again`);
  }
  const vertices = positions.length / 3;
  const badIndex = firstIndexAtLeast(indices, vertices);
  if (badIndex >= 0) bad(`triangle ${Math.floor(badIndex / 3) + 1} uses vertex ${indices[badIndex]}, but there are only ${vertices}`);
  const badCoordinate = checkedFinite.has(positions) ? -1 : firstNonFinite(positions);
  if (badCoordinate >= 0) {
    throw meshRejected(
      format,
      'non_finite',
      `${name}: vertex ${Math.floor(badCoordinate / 3) + 1} has a non-finite coordinate (${positions[badCoordinate]}) — the export is corrupt; export the scan again`,
    );
  }
  if (mesh.normals && mesh.normals.length !== positions.length) bad('the normal count differs from the vertex count');
  if (mesh.colors && mesh.colors.length !== vertices * 4) bad('the colour count differs from the vertex count');
  if (mesh.uvs && mesh.uvs.length !== vertices * 2) bad('the texture coordinate count differs from the vertex count');
}

/** Position of the first index ≥ `limit`, or -1 (a small monomorphic loop V8 optimises well). */
export function firstIndexAtLeast(indices: Uint32Array, limit: number): number {
  for (let i = 0; i < indices.length; i++) if (indices[i] >= limit) return i;
  return -1;
}

/** Position arrays a reader already proved finite while filling them (then not scanned again). */
const checkedFinite = new WeakSet<Float32Array>();

/** Record that a reader checked every value of `positions` as it wrote it, and all are finite. */
export function markFinite(positions: Float32Array): void {
  checkedFinite.add(positions);
}

/** Position of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return i;
  }
  return -1;
}
