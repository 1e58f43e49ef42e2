// OBJ and PLY polygons as the specs mean them: concave and non-planar faces triangulated
// without overlap (ear clipping on the best-fit plane), area equal to the polygon's;
// OBJ's `\` continuation lines joined.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { triangleArea } from '../../../src/mesh/analysis/surface.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import { triangulatePolygon } from '../../../src/mesh/read/polygon.js';

/** A concave comb of `teeth` teeth (4·teeth + 2 corners) in the xy plane, area known. */
function comb(teeth: number): { xy: number[][]; area: number } {
  const xy: number[][] = [];
  for (let i = 0; i < teeth; i++) xy.push([2 * i, 0], [2 * i + 1, 0], [2 * i + 1, 3], [2 * i + 2, 3]);
  xy.push([2 * teeth, -1], [0, -1]);
  // Shoelace.
  let area = 0;
  for (let i = 0; i < xy.length; i++) {
    const [a, b] = [xy[i], xy[(i + 1) % xy.length]];
    area += a[0] * b[1] - b[0] * a[1];
  }
  // Counter-clockwise, so the face's normal is +z before placing.
  return area < 0 ? { xy: xy.reverse(), area: -area / 2 } : { xy, area: area / 2 };
}

/** Turn the xy polygon into 3D: tilted about x by 30°, with an optional warp along the normal. */
function place(xy: number[][], warp = 0): number[][] {
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  return xy.map(([x, y], i) => {
    const w = warp * Math.sin(i);
    return [x + 5, c * y - s * w, s * y + c * w + 2];
  });
}

function objOf(points: number[][], lineWidth = Infinity): string {
  const corners = points.map((_, i) => String(i + 1));
  let face = 'f';
  let width = 1;
  for (const c of corners) {
    if (width + c.length + 1 > lineWidth) {
      face += ' \\\n ';
      width = 1;
    }
    face += ` ${c}`;
    width += c.length + 1;
  }
  return `${points.map((p) => `v ${p.join(' ')}`).join('\n')}\n${face}\n`;
}

/** Sum of triangle areas, the edges used more than twice, and triangles facing away from `normal`. */
function inspect(mesh: IndexedMesh, normal: number[]): { area: number; overused: number; flipped: number } {
  let area = 0, flipped = 0;
  const uses = new Map<string, number>();
  const p = mesh.positions;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const [a, b, c] = [mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]];
    area += triangleArea(p, a, b, c);
    const u = [0, 1, 2].map((k) => p[3 * b + k] - p[3 * a + k]);
    const v = [0, 1, 2].map((k) => p[3 * c + k] - p[3 * a + k]);
    const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    // Facing away (a fan over a concave corner) — not a sliver tilted by a warp.
    if (n[0] * normal[0] + n[1] * normal[1] + n[2] * normal[2] < -0.5 * Math.hypot(n[0], n[1], n[2])) flipped++;
    for (const [x, y] of [[a, b], [b, c], [c, a]]) {
      const key = `${Math.min(x, y)},${Math.max(x, y)}`;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  return { area, overused: [...uses.values()].filter((n) => n > 2).length, flipped };
}

const NORMAL = [0, -Math.sin(Math.PI / 6), Math.cos(Math.PI / 6)];

test('a concave 66-corner OBJ face: 64 triangles, the polygon\'s area, none flipped, no edge used thrice', () => {
  const { xy, area } = comb(16);
  assert.equal(xy.length, 66);
  const mesh = readMeshSync({ bytes: new TextEncoder().encode(objOf(place(xy))), name: 'comb.obj' }).mesh;
  assert.equal(mesh.indices.length / 3, 64);
  const got = inspect(mesh, NORMAL);
  assert.ok(Math.abs(got.area - area) < 1e-4 * area, `area ${got.area} vs ${area}`);
  assert.equal(got.flipped, 0);
  assert.equal(got.overused, 0);
});

test('a non-planar concave face (warped 0.05 along its normal) is clipped on its best-fit plane', () => {
  const { xy, area } = comb(6);
  const mesh = readMeshSync({ bytes: new TextEncoder().encode(objOf(place(xy, 0.05))), name: 'warp.obj' }).mesh;
  const got = inspect(mesh, NORMAL);
  assert.equal(got.flipped, 0);
  assert.equal(got.overused, 0);
  assert.ok(got.area >= area && got.area < 1.03 * area, `area ${got.area} vs ${area}`);
});

test('the same face written with `\\` continuation lines reads the same', () => {
  const points = place(comb(16).xy);
  const one = readMeshSync({ bytes: new TextEncoder().encode(objOf(points)), name: 'a.obj' }).mesh;
  const text = objOf(points, 20);
  assert.ok(text.split('\n').length > 70);
  const joined = readMeshSync({ bytes: new TextEncoder().encode(text.replace(/\n/g, '\r\n')), name: 'b.obj' }).mesh;
  assert.deepEqual(joined.indices, one.indices);
  assert.deepEqual(joined.positions, one.positions);
});

test('collinear and repeated corners: no zero-area triangle where a proper one exists; a convex quad keeps its fan', () => {
  // A unit square with a corner in the middle of every side.
  const square = [[0, 0, 0], [0.5, 0, 0], [1, 0, 0], [1, 0.5, 0], [1, 1, 0], [0.5, 1, 0], [0, 1, 0], [0, 0.5, 0]];
  const out = triangulatePolygon(square.flat(), [0, 1, 2, 3, 4, 5, 6, 7], 8);
  const mesh = { positions: new Float32Array(square.flat()), indices: out };
  const got = inspect(mesh, [0, 0, 1]);
  assert.ok(Math.abs(got.area - 1) < 1e-9);
  for (let t = 0; t < out.length; t += 3) assert.ok(triangleArea(mesh.positions, out[t], out[t + 1], out[t + 2]) > 0.01, `triangle ${t / 3} has no area`);
  assert.deepEqual([...triangulatePolygon([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0], [0, 1, 2, 3], 4)], [0, 1, 2, 0, 2, 3]);
  // A concave quad (dart) splits along its inner diagonal.
  const dart = triangulatePolygon([0, 0, 0, 2, 1, 0, 0, 2, 0, 0.5, 1, 0], [0, 1, 2, 3], 4);
  assert.ok(Math.abs(inspect({ positions: new Float32Array([0, 0, 0, 2, 1, 0, 0, 2, 0, 0.5, 1, 0]), indices: dart }, [0, 0, 1]).area - 1.5) < 1e-9);
});

test('PLY polygons are ear-clipped too (ASCII and binary)', () => {
  const { xy, area } = comb(5);
  const points = place(xy);
  const n = points.length;
  const ascii = `ply\nformat ascii 1.0\nelement vertex ${n}\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n${points.map((p) => p.join(' ')).join('\n')}\n${n} ${points.map((_, i) => i).join(' ')}\n`;
  const head = `ply\nformat binary_little_endian 1.0\nelement vertex ${n}\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n`;
  const body = new DataView(new ArrayBuffer(12 * n + 1 + 4 * n));
  points.forEach((p, i) => p.forEach((x, k) => body.setFloat32(12 * i + 4 * k, x, true)));
  body.setUint8(12 * n, n);
  for (let i = 0; i < n; i++) body.setInt32(12 * n + 1 + 4 * i, i, true);
  const binary = new Uint8Array([...new TextEncoder().encode(head), ...new Uint8Array(body.buffer)]);
  for (const bytes of [new TextEncoder().encode(ascii), binary]) {
    const got = inspect(readMeshSync({ bytes, name: 'comb.ply' }).mesh, NORMAL);
    assert.ok(Math.abs(got.area - area) < 1e-4 * area, `area ${got.area} vs ${area}`);
    assert.equal(got.flipped, 0);
    assert.equal(got.overused, 0);
  }
});
