/**
 * Where the validation findings are on the mesh: the report (src/mesh/report) counts
 * holes and non-manifold edges; these functions find them on the loaded geometry — edges
 * used by one triangle chain into border loops (the longest is the scan's outer border,
 * the others are holes), edges used by three or more are non-manifold. Plain typed arrays,
 * no three.js, so they can move to a worker.
 */

/** Canonical vertex per vertex: bit-identical positions share one (STL arrives unwelded). */
export function weldMap(positions: Float32Array): Uint32Array {
  const n = positions.length / 3;
  const bits = new Uint32Array(positions.buffer, positions.byteOffset, positions.length);
  let size = 1;
  while (size < n * 2) size <<= 1;
  const table = new Int32Array(size).fill(-1);
  const map = new Uint32Array(n);
  for (let v = 0; v < n; v++) {
    const a = bits[3 * v], b = bits[3 * v + 1], c = bits[3 * v + 2];
    let h = (Math.imul(a, 73856093) ^ Math.imul(b, 19349663) ^ Math.imul(c, 83492791)) & (size - 1);
    for (;;) {
      const t = table[h];
      if (t === -1) {
        table[h] = v;
        map[v] = v;
        break;
      }
      if (bits[3 * t] === a && bits[3 * t + 1] === b && bits[3 * t + 2] === c) {
        map[v] = t;
        break;
      }
      h = (h + 1) & (size - 1);
    }
  }
  return map;
}

/** One finding located on the mesh. */
export interface Located {
  kind: 'hole' | 'border' | 'non-manifold';
  /** Vertex pairs (indices into positions) to draw as lines. */
  edges: number[];
  /** Where to fly to. */
  center: [number, number, number];
  /** Border length (mm) of a hole or the outer border; edge count for non-manifold. */
  size: number;
}

/** Holes, the outer border and non-manifold edges of an indexed (or unindexed) triangle mesh. */
export function locateEdgeFindings(positions: Float32Array, index: ArrayLike<number> | null): Located[] {
  const weld = weldMap(positions);
  const triangles = index ? index.length / 3 : positions.length / 9;
  const vertexOf = (k: number) => weld[index ? index[k] : k];
  const n = positions.length / 3;
  const counts = new Map<number, number>();
  for (let t = 0; t < triangles; t++) {
    for (let e = 0; e < 3; e++) {
      const a = vertexOf(3 * t + e), b = vertexOf(3 * t + ((e + 1) % 3));
      if (a === b) continue;
      const key = a < b ? a * n + b : b * n + a;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const boundary: Array<[number, number]> = [];
  const nonManifold: number[] = [];
  for (const [key, count] of counts) {
    const a = Math.floor(key / n), b = key - a * n;
    if (count === 1) boundary.push([a, b]);
    else if (count > 2) nonManifold.push(a, b);
  }
  const found: Located[] = loops(boundary).map((loop) => loopFinding(positions, loop));
  found.sort((x, y) => y.size - x.size);
  if (found.length) found[0].kind = 'border';
  // Non-manifold edges, grouped by nearness into spots a person can look at.
  for (const spot of spots(positions, nonManifold)) found.push(spot);
  return found;
}

/** What the scan's own check (its validation report, over the full scan) counted. */
export interface ReportedCounts {
  holes: number;
  nonManifoldEdges: number;
}

/**
 * The findings located on the loaded geometry that the scan's own check also counted. The
 * page mostly shows the decimated preview, and the simplifier can leave non-manifold edges
 * (seen on a scan whose surface crosses itself: 119 and more of them on a preview of a scan
 * that has none) or, in principle, holes that the scan does not have: those are the
 * preview's, not the scan's, and a clinician must not be told the scan needs repair for
 * them. The outer border is always kept. Without a report, everything located is kept.
 */
export function countedByReport(found: Located[], counts: ReportedCounts | undefined): Located[] {
  if (!counts) return found;
  return found.filter((f) => f.kind === 'border' || (f.kind === 'hole' ? counts.holes > 0 : counts.nonManifoldEdges > 0));
}

function loops(edges: Array<[number, number]>): number[][] {
  const next = new Map<number, number[]>();
  for (const [a, b] of edges) {
    (next.get(a) ?? next.set(a, []).get(a)!).push(b);
    (next.get(b) ?? next.set(b, []).get(b)!).push(a);
  }
  const seen = new Set<string>();
  const out: number[][] = [];
  for (const [a, b] of edges) {
    const k = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(k)) continue;
    const loop = [a];
    let prev = a, cur = b;
    seen.add(k);
    while (cur !== a) {
      loop.push(cur);
      const options = next.get(cur) ?? [];
      const nxt = options.find((x) => x !== prev && !seen.has(x < cur ? `${x},${cur}` : `${cur},${x}`));
      if (nxt === undefined) break;
      seen.add(nxt < cur ? `${nxt},${cur}` : `${cur},${nxt}`);
      prev = cur;
      cur = nxt;
    }
    out.push(loop);
  }
  return out;
}

function loopFinding(p: Float32Array, loop: number[]): Located {
  let length = 0;
  const c = [0, 0, 0];
  const edges: number[] = [];
  for (let i = 0; i < loop.length; i++) {
    const a = loop[i], b = loop[(i + 1) % loop.length];
    edges.push(a, b);
    length += Math.hypot(p[3 * a] - p[3 * b], p[3 * a + 1] - p[3 * b + 1], p[3 * a + 2] - p[3 * b + 2]);
    c[0] += p[3 * a]; c[1] += p[3 * a + 1]; c[2] += p[3 * a + 2];
  }
  return { kind: 'hole', edges, center: [c[0] / loop.length, c[1] / loop.length, c[2] / loop.length], size: length };
}

function spots(p: Float32Array, pairs: number[]): Located[] {
  const out: Located[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const a = pairs[i];
    const at: [number, number, number] = [p[3 * a], p[3 * a + 1], p[3 * a + 2]];
    const near = out.find((s) => Math.hypot(s.center[0] - at[0], s.center[1] - at[1], s.center[2] - at[2]) < 2);
    if (near) {
      near.edges.push(a, pairs[i + 1]);
      near.size++;
    } else out.push({ kind: 'non-manifold', edges: [a, pairs[i + 1]], center: at, size: 1 });
  }
  return out;
}

/** Where the surface crosses itself: nearby crossing pairs of the report grouped into one spot. */
export interface CrossingSpot {
  /** The triangles of the spot's pairs, 9 coordinates each, both of every pair (to draw filled). */
  triangles: number[];
  /** Where to fly to: the mean of the pairs' centres. */
  center: [number, number, number];
  /** Crossing pairs in the spot. */
  pairs: number;
}

/**
 * The report's crossing triangle pairs (`selfIntersectingFaces`, corners from the full scan)
 * grouped into spots a person can look at: a pair within 2 mm of a spot's first pair joins it.
 */
export function locateSelfIntersections(faces: ReadonlyArray<{ a: number[]; b: number[] }>): CrossingSpot[] {
  const out: Array<CrossingSpot & { sum: number[] }> = [];
  for (const { a, b } of faces) {
    const at = [0, 1, 2].map((d) => (a[d] + a[3 + d] + a[6 + d] + b[d] + b[3 + d] + b[6 + d]) / 6);
    const near = out.find((s) => Math.hypot(s.center[0] - at[0], s.center[1] - at[1], s.center[2] - at[2]) < 2);
    if (near) {
      near.triangles.push(...a, ...b);
      near.pairs++;
      for (let d = 0; d < 3; d++) near.sum[d] += at[d];
    } else out.push({ triangles: [...a, ...b], center: [at[0], at[1], at[2]], pairs: 1, sum: at });
  }
  return out.map(({ triangles, sum, pairs }) => ({ triangles, pairs, center: [sum[0] / pairs, sum[1] / pairs, sum[2] / pairs] }));
}
