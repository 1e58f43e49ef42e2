// An independent oracle for triangle/triangle overlap: the separating axis theorem. Two
// triangles are disjoint iff their projections onto one of the candidate axes (both normals,
// the nine edge-edge cross products, and each normal crossed with its own edges for the
// coplanar case) do not overlap. With small integer coordinates every product is exact, so
// touching cases are decided exactly too.

type V = [number, number, number];

const sub = (a: V, b: V): V => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: V, b: V): V => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a: V, b: V): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** True when the closed triangles share a point (exact for small integer coordinates). */
export function satIntersect(t1: V[], t2: V[]): boolean {
  const e1 = [sub(t1[1], t1[0]), sub(t1[2], t1[1]), sub(t1[0], t1[2])];
  const e2 = [sub(t2[1], t2[0]), sub(t2[2], t2[1]), sub(t2[0], t2[2])];
  const n1 = cross(e1[0], e1[1]);
  const n2 = cross(e2[0], e2[1]);
  const axes: V[] = [n1, n2];
  for (const a of e1) for (const b of e2) axes.push(cross(a, b));
  for (const a of e1) axes.push(cross(n1, a));
  for (const b of e2) axes.push(cross(n2, b));
  for (const axis of axes) {
    if (axis[0] === 0 && axis[1] === 0 && axis[2] === 0) continue;
    const p1 = t1.map((p) => dot(p, axis));
    const p2 = t2.map((p) => dot(p, axis));
    if (Math.max(...p1) < Math.min(...p2) || Math.max(...p2) < Math.min(...p1)) return false;
  }
  return true;
}

/** Twice the area vector is zero: no plane, no test. */
export function isFlat(t: V[]): boolean {
  const n = cross(sub(t[1], t[0]), sub(t[2], t[0]));
  return n[0] === 0 && n[1] === 0 && n[2] === 0;
}
