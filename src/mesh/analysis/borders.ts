/**
 * The border of an open surface: edges that only one triangle uses. A scan ends where the
 * scanner stopped, at a different place each visit; a point of one scan whose closest point
 * on the other lies on that border has no counterpart there and must not count as moved.
 */
import { Feature } from '../bvh/closest-point.js';

/** Border edges per triangle and border vertices, for a welded mesh. */
export interface Borders {
  /** Per triangle: bit 0 when edge a–b is a border, bit 1 for b–c, bit 2 for c–a. */
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
  return { triangleEdges, vertices, edgeCount };
}

/** The half-edge after h in its triangle (a→b, b→c, c→a). */
function next(h: number): number {
  return h % 3 === 2 ? h - 2 : h + 1;
}

const EDGE_BIT = [0, 0, 0, 0, 1, 2, 4];

/**
 * True when a closest point's feature (see `Feature`) on triangle `t` with vertices a, b, c
 * lies on the border: a border corner, or a border edge. The face's inside never does.
 */
export function featureOnBorder(feature: number, t: number, a: number, b: number, c: number, edges: Uint8Array, vertices: Uint8Array): boolean {
  switch (feature) {
    case Feature.face:
      return false;
    case Feature.vertexA:
      return vertices[a] === 1;
    case Feature.vertexB:
      return vertices[b] === 1;
    case Feature.vertexC:
      return vertices[c] === 1;
    default:
      return (edges[t] & EDGE_BIT[feature]) !== 0;
  }
}
