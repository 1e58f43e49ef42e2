/**
 * The border of an open surface: edges that only one triangle uses. A scan ends where the
 * scanner stopped, at a different place each visit; a point of one scan whose closest point
 * on the other lies on that border has no counterpart there and must not count as moved.
 */

/** Border edges per triangle and border vertices, for a welded mesh. */
export interface Borders {
  /**
   * Per triangle: bit 0 when edge a–b is a border, bit 1 for b–c, bit 2 for c–a; bits 3, 4,
   * 5 when corner a, b, c lies on a border (a triangle may touch the border at a corner only).
   */
  triangleEdges: Uint8Array;
  /** Per vertex: 1 when it lies on a border edge. */
  vertices: Uint8Array;
  /** Number of border edges. */
  edgeCount: number;
}

/**
 * Find the border edges by bucketing every edge under its smaller vertex (a counting sort,
 * no hash map: the buckets hold a handful of edges each).
 */
export function findBorders(indices: Uint32Array, vertexCount: number): Borders {
  const halfEdges = indices.length;
  const start = new Uint32Array(vertexCount + 1);
  for (let h = 0; h < halfEdges; h++) {
    const a = indices[h];
    const b = indices[next(h)];
    start[(a < b ? a : b) + 1]++;
  }
  for (let v = 0; v < vertexCount; v++) start[v + 1] += start[v];
  const fill = start.slice(0, vertexCount);
  const other = new Uint32Array(halfEdges);
  const edge = new Uint32Array(halfEdges);
  for (let h = 0; h < halfEdges; h++) {
    const a = indices[h];
    const b = indices[next(h)];
    const slot = fill[a < b ? a : b]++;
    other[slot] = a < b ? b : a;
    edge[slot] = h;
  }

  const triangleEdges = new Uint8Array(halfEdges / 3);
  const vertices = new Uint8Array(vertexCount);
  let edgeCount = 0;
  for (let v = 0; v < vertexCount; v++) {
    for (let i = start[v]; i < start[v + 1]; i++) {
      let uses = 0;
      for (let j = start[v]; j < start[v + 1]; j++) if (other[j] === other[i]) uses++;
      if (uses !== 1) continue;
      const h = edge[i];
      triangleEdges[(h / 3) | 0] |= 1 << h % 3;
      vertices[v] = 1;
      vertices[other[i]] = 1;
      edgeCount++;
    }
  }
  for (let h = 0; h < halfEdges; h++) if (vertices[indices[h]] === 1) triangleEdges[(h / 3) | 0] |= 8 << h % 3;
  return { triangleEdges, vertices, edgeCount };
}

/** The half-edge after h in its triangle (a→b, b→c, c→a). */
function next(h: number): number {
  return h % 3 === 2 ? h - 2 : h + 1;
}

/**
 * True when the closest point (qx, qy, qz), with barycentric weights v, w of corners b and c,
 * on the triangle whose corners start at `corners[o]` lies within `tolerance` of one of its
 * border edges or border corners (`mask`: its `Borders.triangleEdges` bits). A point beyond
 * the border has its closest point exactly on it; the tolerance also catches the answers a
 * rounding error put on an inner edge a hair from a border corner, and the thin band where
 * a point's true counterpart may lie beyond the border. One mask test for the triangles
 * away from the border, which are nearly all.
 */
export function nearBorder(mask: number, corners: Float32Array, o: number, v: number, w: number, qx: number, qy: number, qz: number, tolerance: number): boolean {
  if (mask === 0) return false;
  const ax = corners[o], ay = corners[o + 1], az = corners[o + 2];
  const bx = corners[o + 3], by = corners[o + 4], bz = corners[o + 5];
  const cx = corners[o + 6], cy = corners[o + 7], cz = corners[o + 8];
  const tolSq = tolerance * tolerance;
  if (mask & 8 && (qx - ax) ** 2 + (qy - ay) ** 2 + (qz - az) ** 2 <= tolSq) return true;
  if (mask & 16 && (qx - bx) ** 2 + (qy - by) ** 2 + (qz - bz) ** 2 <= tolSq) return true;
  if (mask & 32 && (qx - cx) ** 2 + (qy - cy) ** 2 + (qz - cz) ** 2 <= tolSq) return true;
  if ((mask & 7) === 0) return false;
  // The distance to an edge's line is the opposite corner's weight times that corner's
  // height over the edge: twice the area over the edge's length.
  const ux = bx - ax, uy = by - ay, uz = bz - az;
  const vx = cx - ax, vy = cy - ay, vz = cz - az;
  const twiceArea = Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
  if (!(twiceArea > 0)) return true;
  const u = 1 - v - w;
  if (mask & 1 && w * twiceArea <= tolerance * Math.hypot(ux, uy, uz)) return true;
  if (mask & 2 && u * twiceArea <= tolerance * Math.hypot(cx - bx, cy - by, cz - bz)) return true;
  if (mask & 4 && v * twiceArea <= tolerance * Math.hypot(vx, vy, vz)) return true;
  return false;
}
