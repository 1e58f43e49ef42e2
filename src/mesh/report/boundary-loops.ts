/**
 * Boundary loops: the closed chains of boundary edges. An intraoral scan is an open
 * surface with one outer border; every further loop is a hole in the scan.
 */
/** Every loop, in the order found: its length in model units and one triangle on it. */
export interface Loops {
  lengths: Float64Array;
  /** A triangle that borders the loop (tells which component the loop belongs to). */
  triangles: Uint32Array;
}

/**
 * Chain the boundary edges (given as half-edges of `indices`) into loops. The edges are
 * followed as an undirected graph, so a flipped triangle at the border does not break its
 * loop; where a vertex has four boundary edges (two loops touching at a point) the walk
 * continues on any unused edge, which still yields one loop per closed chain. A chain that
 * does not close (only possible on a non-manifold border) counts as a loop of its own.
 */
export function boundaryLoops(positions: Float32Array, indices: Uint32Array, boundaryHalfEdges: Uint32Array): Loops {
  const m = boundaryHalfEdges.length;
  // Edge endpoints, then a CSR list of incident edges per endpoint (endpoints renumbered densely).
  const ends = new Uint32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const h = boundaryHalfEdges[e];
    ends[2 * e] = indices[h];
    ends[2 * e + 1] = indices[h % 3 === 2 ? h - 2 : h + 1];
  }
  const dense = new Map<number, number>();
  const local = new Uint32Array(2 * m);
  for (let i = 0; i < 2 * m; i++) {
    let id = dense.get(ends[i]);
    if (id === undefined) {
      id = dense.size;
      dense.set(ends[i], id);
    }
    local[i] = id;
  }
  const n = dense.size;
  const first = new Uint32Array(n + 1);
  for (let i = 0; i < 2 * m; i++) first[local[i] + 1]++;
  for (let v = 1; v <= n; v++) first[v] += first[v - 1];
  const fill = first.slice(0, n);
  const incident = new Uint32Array(2 * m);
  for (let i = 0; i < 2 * m; i++) incident[fill[local[i]]++] = i >> 1;

  const used = new Uint8Array(m);
  const next = new Uint32Array(n); // per vertex: where to resume scanning its incident edges
  for (let v = 0; v < n; v++) next[v] = first[v];
  // At most one loop per edge; trimmed at the end.
  const lengths = new Float64Array(m);
  const triangles = new Uint32Array(m);
  let count = 0;
  for (let e0 = 0; e0 < m; e0++) {
    if (used[e0]) continue;
    used[e0] = 1;
    const startVertex = local[2 * e0];
    let at = local[2 * e0 + 1];
    let length = edgeLength(positions, ends[2 * e0], ends[2 * e0 + 1]);
    while (at !== startVertex) {
      let e = -1;
      while (next[at] < first[at + 1]) {
        const candidate = incident[next[at]++];
        if (!used[candidate]) {
          e = candidate;
          break;
        }
      }
      if (e < 0) break;
      used[e] = 1;
      length += edgeLength(positions, ends[2 * e], ends[2 * e + 1]);
      at = local[2 * e] === at ? local[2 * e + 1] : local[2 * e];
    }
    lengths[count] = length;
    triangles[count++] = (boundaryHalfEdges[e0] / 3) | 0;
  }
  return { lengths: lengths.slice(0, count), triangles: triangles.slice(0, count) };
}

function edgeLength(p: Float32Array, a: number, b: number): number {
  const dx = p[3 * a] - p[3 * b];
  const dy = p[3 * a + 1] - p[3 * b + 1];
  const dz = p[3 * a + 2] - p[3 * b + 2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
