/**
 * The one pass over the edges of a welded mesh that answers every topology question:
 * boundary and non-manifold edges, winding consistency, duplicate triangles, connected
 * components and non-manifold vertices.
 *
 * Half-edges are bucketed by their smaller vertex with a counting sort (two linear passes,
 * no hashing, no per-edge allocation); inside a bucket (about six entries on a scan) they are
 * sorted by the other vertex, so each run of equal entries is one undirected edge with all
 * the triangles that use it.
 *
 * Conventions (they match the corpus's ground truth, see test/mesh/report/corpus.test.ts):
 * an edge is every pair of consecutive corners of a triangle, a triangle with a repeated
 * vertex included; a boundary edge has one triangle, a non-manifold edge three or more.
 */
import { scratchInt32, scratchUint32, scratchUint8 } from './scratch.js';
import { resetSets, unite } from './union-find.js';

/**
 * What the edge pass finds. Half-edge `h` is the edge from corner `h` to the next corner of
 * triangle `floor(h / 3)`. `triangleSets` and `referenced` live in scratch buffers (see
 * `./scratch.ts`): use them before the next call.
 */
export interface EdgeStats {
  /** Edges used by exactly one triangle. */
  boundaryEdges: number;
  /** The half-edge of each boundary edge. */
  boundaryHalfEdges: Uint32Array;
  /** Edges used by three or more triangles. */
  nonManifoldEdges: number;
  /** Edges used by two triangles that both run along it in the same direction (one of them is flipped). */
  inconsistentEdges: number;
  /** Triangles with the same three vertices as an earlier triangle, whatever their winding. */
  duplicateTriangles: number;
  /** Vertices whose triangles form more than one fan (a bow-tie: the surface pinches through a single point). */
  nonManifoldVertices: number;
  /** Union-find forest over triangles: joined when they share an edge. */
  triangleSets: Int32Array;
  /** 1 for each vertex some triangle uses. */
  referenced: Uint8Array;
  /** Number of vertices some triangle uses. */
  referencedCount: number;
}

/**
 * Analyse the edges of `indices` (three per triangle) over `vertexCount` vertices. The
 * mesh must be welded first (see `weldExact`): edges are matched by vertex index.
 */
export function analyseEdges(indices: Uint32Array, vertexCount: number): EdgeStats {
  const halfCount = indices.length;
  const triangleCount = halfCount / 3;

  // Counting sort of half-edges by their smaller vertex.
  const start = scratchUint32('edges.start', vertexCount + 1, true);
  const referenced = scratchUint8('edges.referenced', vertexCount, true);
  // Corners per vertex, and which triangles repeat a vertex: such a triangle has no area and
  // joins nothing around its vertices (Open3D's vertex-manifold test ignores them the same way).
  const valence = scratchUint32('edges.valence', vertexCount, true);
  const repeats = scratchUint8('edges.repeats', triangleCount);
  countCorners(indices, start, referenced, valence, repeats);
  for (let v = 1; v <= vertexCount; v++) start[v] += start[v - 1];
  // Per slot: the other vertex of the edge, then the half-edge (side by side, so the
  // scatter touches one cache line per half-edge).
  const pairs = scratchUint32('edges.pairs', 2 * halfCount);
  scatterHalfEdges(indices, start, pairs);
  // After the scatter, start[v] is the end of bucket v (and the beginning of bucket v + 1).

  const triangleSets = resetSets(scratchInt32('edges.triangleSets', triangleCount));
  const cornerSets = resetSets(scratchInt32('edges.cornerSets', halfCount));
  const duplicate = scratchUint8('edges.duplicate', triangleCount, true);
  // Successful joins of corners around each vertex: fans = corners - joins.
  const joins = scratchUint32('edges.joins', vertexCount, true);
  let boundaryHalfEdges = new Uint32Array(1024);
  let boundaryEdges = 0;
  let nonManifoldEdges = 0;
  let inconsistentEdges = 0;

  let begin = 0;
  for (let v = 0; v < vertexCount; v++) {
    const end = start[v];
    sortBucket(pairs, begin, end);
    let r = begin;
    while (r < end) {
      const w = pairs[2 * r];
      let q = r + 1;
      while (q < end && pairs[2 * q] === w) q++;
      const k = q - r;
      if (k === 1) {
        if (boundaryEdges === boundaryHalfEdges.length) {
          const grown = new Uint32Array(boundaryHalfEdges.length * 2);
          grown.set(boundaryHalfEdges);
          boundaryHalfEdges = grown;
        }
        boundaryHalfEdges[boundaryEdges++] = pairs[2 * r + 1];
      } else {
        if (k === 2) {
          const h1 = pairs[2 * r + 1];
          const h2 = pairs[2 * r + 3];
          // Both run from v to w, or both from w to v: one of the two triangles is flipped.
          if (v !== w && (indices[h1] === v) === (indices[h2] === v) && ((h1 / 3) | 0) !== ((h2 / 3) | 0)) {
            inconsistentEdges++;
          }
        } else {
          nonManifoldEdges++;
        }
        joinEdge(indices, pairs, r, q, v, w, triangleSets, cornerSets, repeats, joins, duplicate);
      }
      r = q;
    }
    begin = end;
  }

  let duplicateTriangles = 0;
  for (let t = 0; t < triangleCount; t++) duplicateTriangles += duplicate[t];
  let referencedCount = 0;
  for (let v = 0; v < vertexCount; v++) referencedCount += referenced[v];

  return {
    boundaryEdges,
    boundaryHalfEdges: boundaryHalfEdges.subarray(0, boundaryEdges),
    nonManifoldEdges,
    inconsistentEdges,
    duplicateTriangles,
    nonManifoldVertices: countPinched(valence, joins),
    triangleSets,
    referenced,
    referencedCount,
  };
}

/**
 * First pass over the triangles: which vertices are used, each vertex's corners (in
 * triangles with three distinct vertices), which triangles repeat a vertex, and the size of
 * each half-edge bucket (by the edge's smaller vertex) counted into `start[v + 1]`.
 */
function countCorners(indices: Uint32Array, start: Uint32Array, referenced: Uint8Array, valence: Uint32Array, repeats: Uint8Array): void {
  const halfCount = indices.length;
  for (let h = 0; h < halfCount; h += 3) {
    const a = indices[h];
    const b = indices[h + 1];
    const c = indices[h + 2];
    referenced[a] = 1;
    referenced[b] = 1;
    referenced[c] = 1;
    if (a === b || b === c || c === a) {
      repeats[h / 3] = 1;
    } else {
      repeats[h / 3] = 0;
      valence[a]++;
      valence[b]++;
      valence[c]++;
    }
    start[(a < b ? a : b) + 1]++;
    start[(b < c ? b : c) + 1]++;
    start[(c < a ? c : a) + 1]++;
  }
}

/** Second pass: each half-edge into its bucket as (other vertex, half-edge); advances `start[v]` to each bucket's end. */
function scatterHalfEdges(indices: Uint32Array, start: Uint32Array, pairs: Uint32Array): void {
  const halfCount = indices.length;
  for (let h = 0; h < halfCount; h += 3) {
    const a = indices[h];
    const b = indices[h + 1];
    const c = indices[h + 2];
    let slot = start[a < b ? a : b]++;
    pairs[2 * slot] = a < b ? b : a;
    pairs[2 * slot + 1] = h;
    slot = start[b < c ? b : c]++;
    pairs[2 * slot] = b < c ? c : b;
    pairs[2 * slot + 1] = h + 1;
    slot = start[c < a ? c : a]++;
    pairs[2 * slot] = c < a ? a : c;
    pairs[2 * slot + 1] = h + 2;
  }
}

/**
 * Insertion sort of a bucket's slots begin..end (pairs of words: other vertex, half-edge) by
 * the other vertex: buckets are tiny. Also sorts the buckets of `findBorders`.
 */
export function sortBucket(pairs: Uint32Array, begin: number, end: number): void {
  for (let i = begin + 1; i < end; i++) {
    const o = pairs[2 * i];
    const hv = pairs[2 * i + 1];
    let j = i - 1;
    while (j >= begin && pairs[2 * j] > o) {
      pairs[2 * j + 2] = pairs[2 * j];
      pairs[2 * j + 3] = pairs[2 * j + 1];
      j--;
    }
    pairs[2 * j + 2] = o;
    pairs[2 * j + 3] = hv;
  }
}

/**
 * The triangles on edge (v, w) — the half-edges in slots r..q of `pairs` — are connected:
 * join them, join their corners at v and their corners at w (counting successful joins
 * per vertex), and mark later copies of the same triangle.
 */
function joinEdge(
  indices: Uint32Array,
  pairs: Uint32Array,
  r: number,
  q: number,
  v: number,
  w: number,
  triangleSets: Int32Array,
  cornerSets: Int32Array,
  repeats: Uint8Array,
  joins: Uint32Array,
  duplicate: Uint8Array,
): void {
  const t0 = (pairs[2 * r + 1] / 3) | 0;
  let atV0 = -1;
  let atW0 = -1;
  for (let i = r; i < q; i++) {
    const h = pairs[2 * i + 1];
    const t = (h / 3) | 0;
    if (i > r) unite(triangleSets, t0, t);
    if (repeats[t]) continue;
    const n = h % 3 === 2 ? h - 2 : h + 1;
    const forward = indices[h] === v;
    const atV = forward ? h : n;
    const atW = forward ? n : h;
    if (atV0 < 0) {
      atV0 = atV;
      atW0 = atW;
      continue;
    }
    if (unite(cornerSets, atV0, atV)) joins[v]++;
    if (unite(cornerSets, atW0, atW)) joins[w]++;
  }
  // Two triangles on the same edge with the same third vertex have the same vertex set.
  // Check on the edge opposite each triangle's largest vertex only (for a triangle that
  // repeats a vertex that edge may appear twice, which marks nothing twice).
  for (let i = r; i < q; i++) {
    const hi = pairs[2 * i + 1];
    const oi = indices[hi % 3 === 0 ? hi + 2 : hi - 1];
    if (oi < w) continue;
    const ti = (hi / 3) | 0;
    for (let j = i + 1; j < q; j++) {
      const hj = pairs[2 * j + 1];
      const tj = (hj / 3) | 0;
      if (tj !== ti && indices[hj % 3 === 0 ? hj + 2 : hj - 1] === oi) duplicate[ti > tj ? ti : tj] = 1;
    }
  }
}

/** Vertices with more than one fan: each successful join merged two fans into one. */
function countPinched(valence: Uint32Array, joins: Uint32Array): number {
  let pinched = 0;
  for (let v = 0; v < valence.length; v++) if (valence[v] > joins[v] + 1) pinched++;
  return pinched;
}
