/**
 * STL writers. Binary: the 80-byte header never starts with "solid" (so no reader takes
 * it for ASCII), facet normals computed from the vertices, attribute words zero. ASCII:
 * one solid, numbers that read back as the same float32. Groups, colours and uvs are not
 * representable in STL and are dropped.
 */
import type { IndexedMesh } from '../mesh.js';
import { TextOutput, formatFloat32, formatUnit } from './text-output.js';

const HEADER = 'Cusp binary STL';

/** Unit facet normal of triangle `t` (zero for a degenerate triangle). */
function facetNormal(mesh: IndexedMesh, t: number, out: Float64Array): void {
  const p = mesh.positions;
  const a = mesh.indices[t * 3] * 3;
  const b = mesh.indices[t * 3 + 1] * 3;
  const c = mesh.indices[t * 3 + 2] * 3;
  const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
  const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const len = Math.hypot(nx, ny, nz);
  out[0] = len > 0 ? nx / len : 0;
  out[1] = len > 0 ? ny / len : 0;
  out[2] = len > 0 ? nz / len : 0;
}

/** Binary STL: 84 + 50 bytes per triangle. */
export function writeStlBinary(mesh: IndexedMesh): Uint8Array {
  const count = mesh.indices.length / 3;
  const out = new Uint8Array(84 + 50 * count);
  for (let i = 0; i < HEADER.length; i++) out[i] = HEADER.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(80, count, true);
  const n = new Float64Array(3);
  const p = mesh.positions;
  let at = 84;
  for (let t = 0; t < count; t++) {
    facetNormal(mesh, t, n);
    view.setFloat32(at, n[0], true);
    view.setFloat32(at + 4, n[1], true);
    view.setFloat32(at + 8, n[2], true);
    for (let k = 0; k < 3; k++) {
      const v = mesh.indices[t * 3 + k] * 3;
      view.setFloat32(at + 12 + k * 12, p[v], true);
      view.setFloat32(at + 16 + k * 12, p[v + 1], true);
      view.setFloat32(at + 20 + k * 12, p[v + 2], true);
    }
    at += 50;
  }
  return out;
}

/** ASCII STL with one solid called `name`. */
export function writeStlAscii(mesh: IndexedMesh, name = 'cusp'): Uint8Array {
  const text = new TextOutput();
  const solid = name.replace(/[\r\n]/g, ' ');
  text.push(`solid ${solid}\n`);
  const n = new Float64Array(3);
  const p = mesh.positions;
  const f = formatFloat32;
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    facetNormal(mesh, t, n);
    let facet = `facet normal ${formatUnit(n[0])} ${formatUnit(n[1])} ${formatUnit(n[2])}\n outer loop\n`;
    for (let k = 0; k < 3; k++) {
      const v = mesh.indices[t * 3 + k] * 3;
      facet += `  vertex ${f(p[v])} ${f(p[v + 1])} ${f(p[v + 2])}\n`;
    }
    text.push(`${facet} endloop\nendfacet\n`);
  }
  text.push(`endsolid ${solid}\n`);
  return text.toBytes();
}
