// Small meshes built in code, each with a known answer: the cases the checks must tell apart.
import type { IndexedMesh } from '../../../src/mesh/mesh.js';

/** Build an indexed mesh from vertex triples and triangle triples. */
export function meshOf(vertices: number[][], triangles: number[][]): IndexedMesh {
  return { positions: new Float32Array(vertices.flat()), indices: new Uint32Array(triangles.flat()) };
}

/** Append meshes into one (indices shifted). */
export function join(...meshes: IndexedMesh[]): IndexedMesh {
  const positions = new Float32Array(meshes.reduce((n, m) => n + m.positions.length, 0));
  const indices = new Uint32Array(meshes.reduce((n, m) => n + m.indices.length, 0));
  let p = 0;
  let i = 0;
  for (const m of meshes) {
    positions.set(m.positions, p);
    for (let k = 0; k < m.indices.length; k++) indices[i + k] = m.indices[k] + p / 3;
    p += m.positions.length;
    i += m.indices.length;
  }
  return { positions, indices };
}

/** The mesh as an STL reader returns it: three vertices of its own per triangle. */
export function soup(mesh: IndexedMesh): IndexedMesh {
  const t = mesh.indices.length / 3;
  const positions = new Float32Array(9 * t);
  const indices = new Uint32Array(3 * t);
  for (let k = 0; k < 3 * t; k++) {
    positions.set(mesh.positions.subarray(3 * mesh.indices[k], 3 * mesh.indices[k] + 3), 3 * k);
    indices[k] = k;
  }
  return { positions, indices };
}

/** An axis-aligned cube of side `size` at `at`, triangles facing outwards. */
export function cube(size = 1, at: number[] = [0, 0, 0]): IndexedMesh {
  const v: number[][] = [];
  for (let i = 0; i < 8; i++) v.push([at[0] + (i & 1) * size, at[1] + ((i >> 1) & 1) * size, at[2] + ((i >> 2) & 1) * size]);
  const quads = [
    [0, 2, 3, 1], // z = 0, facing -z
    [4, 5, 7, 6], // z = 1
    [0, 1, 5, 4], // y = 0
    [2, 6, 7, 3], // y = 1
    [0, 4, 6, 2], // x = 0
    [1, 3, 7, 5], // x = 1
  ];
  return meshOf(v, quads.flatMap(([a, b, c, d]) => [[a, b, c], [a, c, d]]));
}

/** A flat n x m grid of unit squares in the z = 0 plane, each split into two triangles facing +z. */
export function grid(n: number, m: number, scale = 1, skip: (i: number, j: number) => boolean = () => false): IndexedMesh {
  const v: number[][] = [];
  for (let j = 0; j <= m; j++) for (let i = 0; i <= n; i++) v.push([i * scale, j * scale, 0]);
  const t: number[][] = [];
  const at = (i: number, j: number): number => j * (n + 1) + i;
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      if (skip(i, j)) continue;
      t.push([at(i, j), at(i + 1, j), at(i + 1, j + 1)], [at(i, j), at(i + 1, j + 1), at(i, j + 1)]);
    }
  }
  return meshOf(v, t);
}

/** A closed tetrahedron facing outwards. */
export function tetrahedron(at: number[] = [0, 0, 0], size = 1): IndexedMesh {
  const [x, y, z] = at;
  return meshOf(
    [[x, y, z], [x + size, y, z], [x, y + size, z], [x, y, z + size]],
    [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]],
  );
}

/** The mesh with triangle `t`'s winding reversed. */
export function flip(mesh: IndexedMesh, ...triangles: number[]): IndexedMesh {
  const indices = mesh.indices.slice();
  for (const t of triangles) [indices[3 * t + 1], indices[3 * t + 2]] = [indices[3 * t + 2], indices[3 * t + 1]];
  return { positions: mesh.positions, indices };
}

/** The mesh without the listed triangles. */
export function drop(mesh: IndexedMesh, ...triangles: number[]): IndexedMesh {
  const keep: number[] = [];
  for (let t = 0; t < mesh.indices.length / 3; t++) if (!triangles.includes(t)) keep.push(mesh.indices[3 * t], mesh.indices[3 * t + 1], mesh.indices[3 * t + 2]);
  return { positions: mesh.positions, indices: new Uint32Array(keep) };
}

/** Scale every coordinate. */
export function scaled(mesh: IndexedMesh, factor: number): IndexedMesh {
  return { positions: mesh.positions.map((x) => x * factor), indices: mesh.indices };
}
