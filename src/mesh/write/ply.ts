/**
 * PLY writers, binary little endian (compact, fast to read) and ASCII: positions, and
 * per-vertex normals (nx ny nz), colours (red green blue alpha as uchar) and texture
 * coordinates (texture_u texture_v) when the mesh has them; faces as `list uchar int`.
 */
import type { IndexedMesh } from '../mesh.js';
import { TextOutput, formatFloat32 } from './text-output.js';

function header(mesh: IndexedMesh, format: 'binary_little_endian' | 'ascii'): string {
  const lines = ['ply', `format ${format} 1.0`, 'comment written by Cusp', `element vertex ${mesh.positions.length / 3}`];
  lines.push('property float x', 'property float y', 'property float z');
  if (mesh.normals) lines.push('property float nx', 'property float ny', 'property float nz');
  if (mesh.colors) lines.push('property uchar red', 'property uchar green', 'property uchar blue', 'property uchar alpha');
  if (mesh.uvs) lines.push('property float texture_u', 'property float texture_v');
  lines.push(`element face ${mesh.indices.length / 3}`, 'property list uchar int vertex_indices', 'end_header', '');
  return lines.join('\n');
}

/** Binary little-endian PLY. */
export function writePlyBinary(mesh: IndexedMesh): Uint8Array {
  const head = new TextEncoder().encode(header(mesh, 'binary_little_endian'));
  const vertices = mesh.positions.length / 3;
  const triangles = mesh.indices.length / 3;
  const stride = 12 + (mesh.normals ? 12 : 0) + (mesh.colors ? 4 : 0) + (mesh.uvs ? 8 : 0);
  const out = new Uint8Array(head.length + vertices * stride + triangles * 13);
  out.set(head);
  const view = new DataView(out.buffer);
  const { positions: p, normals: n, colors: c, uvs: uv } = mesh;
  let at = head.length;
  for (let i = 0; i < vertices; i++) {
    view.setFloat32(at, p[i * 3], true);
    view.setFloat32(at + 4, p[i * 3 + 1], true);
    view.setFloat32(at + 8, p[i * 3 + 2], true);
    at += 12;
    if (n) {
      view.setFloat32(at, n[i * 3], true);
      view.setFloat32(at + 4, n[i * 3 + 1], true);
      view.setFloat32(at + 8, n[i * 3 + 2], true);
      at += 12;
    }
    if (c) {
      out[at] = c[i * 4];
      out[at + 1] = c[i * 4 + 1];
      out[at + 2] = c[i * 4 + 2];
      out[at + 3] = c[i * 4 + 3];
      at += 4;
    }
    if (uv) {
      view.setFloat32(at, uv[i * 2], true);
      view.setFloat32(at + 4, uv[i * 2 + 1], true);
      at += 8;
    }
  }
  const idx = mesh.indices;
  for (let t = 0; t < triangles; t++) {
    out[at] = 3;
    view.setInt32(at + 1, idx[t * 3], true);
    view.setInt32(at + 5, idx[t * 3 + 1], true);
    view.setInt32(at + 9, idx[t * 3 + 2], true);
    at += 13;
  }
  return out;
}

/** ASCII PLY. */
export function writePlyAscii(mesh: IndexedMesh): Uint8Array {
  const text = new TextOutput();
  text.push(header(mesh, 'ascii'));
  const f = formatFloat32;
  const { positions: p, normals: n, colors: c, uvs: uv } = mesh;
  for (let i = 0; i < p.length / 3; i++) {
    let line = `${f(p[i * 3])} ${f(p[i * 3 + 1])} ${f(p[i * 3 + 2])}`;
    if (n) line += ` ${f(n[i * 3])} ${f(n[i * 3 + 1])} ${f(n[i * 3 + 2])}`;
    if (c) line += ` ${c[i * 4]} ${c[i * 4 + 1]} ${c[i * 4 + 2]} ${c[i * 4 + 3]}`;
    if (uv) line += ` ${f(uv[i * 2])} ${f(uv[i * 2 + 1])}`;
    text.push(`${line}\n`);
  }
  const idx = mesh.indices;
  for (let t = 0; t < idx.length; t += 3) text.push(`3 ${idx[t]} ${idx[t + 1]} ${idx[t + 2]}\n`);
  return text.toBytes();
}
