/**
 * Disjoint sets over 0..n-1 in one Int32Array (`parent[i] === i` marks a root). Used for
 * connected components (triangles joined by shared edges) and for the fans around each
 * vertex (triangle corners joined through the edges at that vertex).
 */

/** Make every element of `parent` its own set; returns `parent`. */
export function resetSets(parent: Int32Array): Int32Array {
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  return parent;
}

/** The root of `i`'s set; halves the path on the way so later finds are shorter. */
export function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    const up = parent[parent[i]];
    parent[i] = up;
    i = up;
  }
  return i;
}

/**
 * Join the sets of `a` and `b`; the smaller root index becomes the root, so results are
 * deterministic. True when they were separate (the number of sets went down by one).
 */
export function unite(parent: Int32Array, a: number, b: number): boolean {
  a = findRoot(parent, a);
  b = findRoot(parent, b);
  if (a < b) parent[b] = a;
  else if (b < a) parent[a] = b;
  else return false;
  return true;
}
