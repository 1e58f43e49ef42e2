/**
 * OBJ writer with its MTL: `v x y z [r g b]` (vertex colours as 0..1, the common extension),
 * `vt`, `vn`, `g`/`usemtl` per group, faces `f a/a/a` (one shared index: IndexedMesh has
 * one index per corner). The MTL holds each material's `Kd`, `d` and `map_Kd`.
 */
import type { IndexedMesh, MeshGroup, MeshMaterial } from '../mesh.js';
import { weldKeepingSeams } from '../weld.js';
import { TextOutput, formatFloat32 } from './text-output.js';

export interface ObjOptions {
  /** File name of the MTL written alongside (referenced by `mtllib`); default 'model.mtl'. */
  mtlName?: string;
}

/** OBJ text, and MTL text when the mesh has materials; vertices shared (`weldKeepingSeams`). */
export function writeObj(input: IndexedMesh, options: ObjOptions = {}): { obj: Uint8Array; mtl?: Uint8Array } {
  const mesh = weldKeepingSeams(input).mesh;
  const text = new TextOutput();
  const materials = mesh.materials ?? [];
  text.push('# written by Cusp\n');
  if (materials.length > 0) text.push(`mtllib ${options.mtlName ?? 'model.mtl'}\n`);
  pushVertices(text, mesh);
  pushFaces(text, mesh, materials);
  if (materials.length === 0) return { obj: text.toBytes() };
  return { obj: text.toBytes(), mtl: mtlText(materials) };
}

/** The `v` (with colour when there is one), `vt` and `vn` lines. */
function pushVertices(text: TextOutput, mesh: IndexedMesh): void {
  const f = formatFloat32;
  const { positions: p, normals: n, colors: c, uvs: uv } = mesh;
  for (let i = 0; i < p.length / 3; i++) {
    const xyz = `v ${f(p[i * 3])} ${f(p[i * 3 + 1])} ${f(p[i * 3 + 2])}`;
    text.push(c ? `${xyz} ${channel(c[i * 4])} ${channel(c[i * 4 + 1])} ${channel(c[i * 4 + 2])}\n` : `${xyz}\n`);
  }
  if (uv) for (let i = 0; i < uv.length / 2; i++) text.push(`vt ${f(uv[i * 2])} ${f(uv[i * 2 + 1])}\n`);
  if (n) for (let i = 0; i < n.length / 3; i++) text.push(`vn ${f(n[i * 3])} ${f(n[i * 3 + 1])} ${f(n[i * 3 + 2])}\n`);
}

/** The `f` lines, under a `g` and `usemtl` line per group when the groups cover every triangle. */
function pushFaces(text: TextOutput, mesh: IndexedMesh, materials: MeshMaterial[]): void {
  const { normals: n, uvs: uv } = mesh;
  const corner = uv && n ? (i: number) => `${i}/${i}/${i}` : uv ? (i: number) => `${i}/${i}` : n ? (i: number) => `${i}//${i}` : (i: number) => `${i}`;
  const triangles = mesh.indices.length / 3;
  const covered = (mesh.groups ?? []).reduce((sum, g) => sum + g.count, 0) === triangles;
  const groups: MeshGroup[] = mesh.groups && mesh.groups.length > 0 && covered ? mesh.groups : [{ name: '', material: -1, start: 0, count: triangles }];
  const idx = mesh.indices;
  for (const g of groups) {
    if (g.name) text.push(`g ${g.name.replace(/[\r\n]/g, ' ')}\n`);
    const material = materials[g.material];
    if (material) text.push(`usemtl ${material.name}\n`);
    for (let t = g.start; t < g.start + g.count; t++) {
      text.push(`f ${corner(idx[t * 3] + 1)} ${corner(idx[t * 3 + 1] + 1)} ${corner(idx[t * 3 + 2] + 1)}\n`);
    }
  }
}

/** The MTL file: each material's `Kd`, `d` and `map_Kd`. */
function mtlText(materials: MeshMaterial[]): Uint8Array {
  const mtl = new TextOutput();
  mtl.push('# written by Cusp\n');
  for (const m of materials) {
    mtl.push(`\nnewmtl ${m.name}\nKd ${m.color[0]} ${m.color[1]} ${m.color[2]}\nd ${m.color[3]}\n`);
    if (m.texture) mtl.push(`map_Kd ${m.texture}\n`);
  }
  return mtl.toBytes();
}

/** A colour byte as 0..1 with enough digits to read back as the same byte. */
function channel(byte: number): string {
  return byte === 0 ? '0' : byte === 255 ? '1' : (byte / 255).toFixed(4);
}
