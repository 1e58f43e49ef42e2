/**
 * PLY, ASCII and binary of both byte orders, with any property layout and any element
 * order (faces may come before vertices). Keeps positions, per-vertex normals, colours
 * (uchar, ushort or float → RGBA bytes) and texture coordinates. Polygons are
 * fan-triangulated; `tristrips` are unrolled with alternating winding and -1 restarts.
 *
 * Counts in the header are checked against the bytes present before anything is
 * allocated, so a header claiming a billion vertices costs nothing.
 */
import type { IndexedMesh } from '../mesh.js';
import { IndexList } from './growable.js';
import { AsciiPlyBody, BinaryPlyBody, ranOut, skipList, type PlyBody } from './ply-body.js';
import { indexProperty, readFaces } from './ply-faces.js';
import { retriangulateFans } from './polygon.js';
import { readPlyHeader, type PlyElement, type PlyHeader } from './ply-header.js';
import { readVertices, type Vertices } from './ply-vertices.js';
import { meshRejected } from './rejection.js';

export interface PlyParse {
  mesh: IndexedMesh;
  variant: string;
  warnings: string[];
}

/** Read a PLY file; `name` is used in messages. */
export function readPly(bytes: Uint8Array, name: string): PlyParse {
  const header = readPlyHeader(bytes, name);
  if (header.elements.length === 0) {
    throw meshRejected('ply', 'no_triangles', `${name}: the PLY header declares no elements (no vertices, no faces) — export the scan again`);
  }
  const body: PlyBody =
    header.encoding === 'ascii'
      ? new AsciiPlyBody(bytes, header.bodyStart, name)
      : new BinaryPlyBody(bytes, header.bodyStart, header.encoding === 'binary_little_endian');
  checkClaimedSizes(header, body, name);

  const warnings: string[] = [];
  // Room for every declared face as a triangle, so a triangle mesh fills the list exactly:
  // no growing, no final copy. Never more entries than body bytes (a real triangle takes 8
  // bytes or more), so a header's claim costs at most 4× the file's size.
  const faces = header.elements.filter((e) => e.name === 'face').reduce((sum, e) => sum + e.count, 0);
  const indices = new IndexList(Math.max(1024, Math.min(faces * 3, body.remaining())));
  const polygons = new IndexList(16);
  let vertices: Vertices | undefined;
  let maxIndex = -1;
  let hasFaces = false;
  for (const element of header.elements) {
    if (element.name === 'vertex' && !vertices) {
      vertices = readVertices(element, body, name);
    } else if ((element.name === 'face' || element.name === 'tristrips') && indexProperty(element) >= 0) {
      hasFaces = true;
      const max = readFaces(element, body, indices, name, polygons);
      maxIndex = Math.max(maxIndex, max);
      const dropped = element.properties.filter((p, i) => i !== indexProperty(element)).map((p) => p.name);
      if (dropped.length > 0) warnings.push(`per-${element.name} properties not kept: ${dropped.join(', ')}`);
    } else {
      skipElement(element, body, name);
    }
  }
  const trailing = body.trailing();
  if (trailing > 0) warnings.push(`${trailing} bytes after the last element were ignored (more data than the header declares)`);

  if (!vertices) throw meshRejected('ply', 'invalid_structure', `${name} has no 'vertex' element — export the scan again`);
  if (!hasFaces || indices.length === 0) {
    throw meshRejected(
      'ply',
      'no_triangles',
      `${name} has ${vertices.count} vertices but no faces — a point cloud, not a surface mesh; export the scan as a mesh`,
    );
  }
  if (maxIndex >= vertices.count) {
    throw meshRejected(
      'ply',
      'index_out_of_range',
      `${name}: a face uses vertex ${maxIndex}, but only ${vertices.count} vertices are defined — the file is inconsistent; export the scan again`,
    );
  }
  retriangulateFans(vertices.positions, polygons, [indices.data]);
  const mesh: IndexedMesh = { positions: vertices.positions, indices: indices.toArray() };
  if (vertices.normals) mesh.normals = vertices.normals;
  if (vertices.colors) mesh.colors = vertices.colors;
  if (vertices.uvs) mesh.uvs = vertices.uvs;
  return { mesh, variant: header.encoding, warnings };
}

/** Refuse counts the body cannot possibly hold, before allocating for them. */
function checkClaimedSizes(header: PlyHeader, body: PlyBody, name: string): void {
  let need = 0;
  for (const element of header.elements) {
    need += Math.max(0, body.minimumBytes(element));
    if (need > body.remaining()) {
      throw meshRejected(
        'ply',
        'count_mismatch',
        `${name}: the header declares ${element.count} ${element.name} elements, more than the ${body.remaining()} bytes of data can hold ` +
          `— the file is cut short or its header is wrong; export the scan again`,
      );
    }
  }
}

function skipElement(element: PlyElement, body: PlyBody, name: string): void {
  // An element without properties takes no bytes, however many it claims.
  if (element.properties.length === 0) return;
  for (let i = 0; i < element.count; i++) {
    for (const prop of element.properties) {
      if (prop.countType) skipList(prop.countType, prop.type, body);
      else body.value(prop.type);
    }
    if (body.short) ranOut(element, i, name);
  }
}
