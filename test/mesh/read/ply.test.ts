// PLY reading beyond the corpus: byte orders and ASCII agree, big-endian data matches its
// STL source, strips unroll with a consistent winding, colours convert, and headers that
// lie about counts are refused before anything is allocated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isCuspError } from '../../../src/errors.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import { corpusInput } from './corpus-input.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (s: string | Uint8Array, name = 'test.ply') => readMeshSync({ bytes: typeof s === 'string' ? text(s) : s, name });

function rejects(bytes: string | Uint8Array, reason: string, words: RegExp): void {
  assert.throws(
    () => read(bytes),
    (err: unknown) => isCuspError(err) && err.code === 'mesh_rejected' && err.details?.reason === reason && words.test(err.message),
  );
}

/** Each triangle as the text of its three corner positions, sorted: equal for equal surfaces. */
function triangleSet(mesh: IndexedMesh): string[] {
  const out: string[] = [];
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const corners = [0, 1, 2].map((k) => Array.from(mesh.positions.subarray(mesh.indices[t + k] * 3, mesh.indices[t + k] * 3 + 3)).join(','));
    // Rotate so the smallest corner comes first: keeps the winding, ignores the starting corner.
    const first = corners.indexOf([...corners].sort()[0]);
    out.push([0, 1, 2].map((k) => corners[(first + k) % 3]).join(' '));
  }
  return out.sort();
}

const HEADER = (vertices: number, faces: string) => `ply\nformat ascii 1.0\nelement vertex ${vertices}\nproperty float x\nproperty float y\nproperty float z\n${faces}end_header\n`;

describe('PLY reader', () => {
  it('reads the little-endian, big-endian and ASCII twins to the same surface', () => {
    const le = readMeshSync(corpusInput('ply/platonic_shelf.ply')).mesh;
    const be = readMeshSync(corpusInput('ply/platonic_shelf_big_endian.ply'));
    const ascii = readMeshSync(corpusInput('ply/platonic_shelf_ascii.ply')).mesh;
    assert.equal(be.variant, 'binary_big_endian');
    assert.deepEqual(triangleSet(be.mesh), triangleSet(le));
    assert.deepEqual(triangleSet(ascii), triangleSet(le));
  });

  it('reads the big-endian tooth to the same triangles as the STL it was made from', () => {
    const ply = readMeshSync(corpusInput('dental/derived_tooth24_big_endian.ply')).mesh;
    const stl = readMeshSync(corpusInput('dental/openfulljaw_P26_mandible_tooth24_incisor.stl')).mesh;
    assert.equal(ply.positions.length / 3, 8374);
    assert.deepEqual(triangleSet(ply), triangleSet(stl));
  });

  it('unrolls triangle strips with alternating winding and -1 restarts', () => {
    const ply = `${HEADER(7, 'element tristrips 1\nproperty list int int vertex_indices\n')}0 0 0\n1 0 0\n0 1 0\n1 1 0\n5 5 0\n6 5 0\n5 6 0\n8 0 1 2 3 -1 4 5 6\n`;
    const { mesh } = read(ply);
    assert.deepEqual(Array.from(mesh.indices), [0, 1, 2, 2, 1, 3, 4, 5, 6]);
    // Every triangle of this flat strip faces +z.
    for (let t = 0; t < mesh.indices.length; t += 3) {
      const [a, b, c] = [0, 1, 2].map((k) => mesh.indices[t + k] * 3);
      const p = mesh.positions;
      const z = (p[b] - p[a]) * (p[c + 1] - p[a + 1]) - (p[b + 1] - p[a + 1]) * (p[c] - p[a]);
      assert.ok(z > 0, `triangle ${t / 3} faces down`);
    }
  });

  it('triangulates polygons and keeps float colours and normals per vertex', () => {
    const ply =
      'ply\r\nformat ascii 1.0\r\nelement vertex 4\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\n' +
      'property float nx\r\nproperty float ny\r\nproperty float nz\r\nproperty float red\r\nproperty float green\r\nproperty float blue\r\n' +
      'element face 1\r\nproperty list uchar int vertex_indices\r\nend_header\r\n' +
      '0 0 0 0 0 1 1 0 0\r\n1 0 0 0 0 1 0 1 0\r\n1 1 0 0 0 1 0 0 1\r\n0 1 0 0 0 1 0.5 0.5 0.5\r\n4 0 1 2 3\r\n';
    const { mesh } = read(ply);
    assert.deepEqual(Array.from(mesh.indices), [0, 1, 2, 0, 2, 3]);
    assert.deepEqual(Array.from(mesh.colors ?? []), [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 128, 128, 128, 255]);
    assert.deepEqual(Array.from(mesh.normals?.subarray(0, 3) ?? []), [0, 0, 1]);
  });

  it('reads any ASCII body — number spellings, colours, polygons of up to 40 corners — to Number()\'s values', () => {
    const coordinate = fc.oneof(
      fc.double({ min: -100, max: 100, noNaN: true }).map((v) => v.toPrecision(9)),
      fc.integer({ min: -50, max: 50 }).map((v) => (v >= 0 ? `+${v}` : String(v))),
      fc.double({ min: -1e20, max: 1e20, noNaN: true }).map((v) => v.toExponential(5)),
      fc.integer({ min: 0, max: 99 }).map((v) => `00${v}`),
    );
    const body = fc.record({
      vertices: fc.array(fc.tuple(coordinate, coordinate, coordinate, fc.integer({ min: 0, max: 255 })), { minLength: 3, maxLength: 30 }),
      faces: fc.array(fc.array(fc.nat(), { minLength: 3, maxLength: 40 }), { minLength: 1, maxLength: 8 }),
      gap: fc.constantFrom(' ', '\t', '  ', ' \r'),
    });
    fc.assert(
      fc.property(body, ({ vertices, faces, gap }) => {
        const n = vertices.length;
        let ply = `ply\nformat ascii 1.0\nelement vertex ${n}\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\n` +
          `element face ${faces.length}\nproperty list uchar int vertex_indices\nend_header\n`;
        for (const v of vertices) ply += `${v.join(gap)}\n`;
        const expected: number[][] = [];
        for (const f of faces) {
          const ids = f.map((i) => i % n);
          ply += `${ids.length}${gap}${ids.join(gap)}\n`;
          expected.push(ids);
        }
        const { mesh } = read(ply);
        assert.deepEqual(Array.from(mesh.positions), vertices.flatMap((v) => v.slice(0, 3).map((x) => Math.fround(Number(x)))));
        assert.deepEqual(Array.from(mesh.colors ?? []).filter((_, i) => i % 4 === 0), vertices.map((v) => v[3]));
        // Each face becomes k − 2 triangles over its own corners (a triangle as written;
        // polygons are ear-clipped, see polygons.test.ts).
        let at = 0;
        for (const ids of expected) {
          const got = Array.from(mesh.indices.subarray(at, at + 3 * (ids.length - 2)));
          at += got.length;
          if (ids.length === 3) assert.deepEqual(got, ids);
          else assert.ok(got.every((v) => ids.includes(v)), `${got} uses corners outside ${ids}`);
        }
        assert.equal(at, mesh.indices.length);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an ASCII face whose vertex count the rest of the file cannot hold, before allocating', () => {
    const head = 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 2\nproperty list uint int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n';
    rejects(`${head}1000000000 0 1 2\n`, 'truncated', /the data ends in face 2 of 2/);
    rejects(`${head}3.5 0 1 2\n`, 'syntax', /face 2 of 2 has a vertex count of 3\.5/);
    rejects(`${head}3 0 -1 2\n`, 'syntax', /face 2 of 2 has vertex index -1/);
  });

  it('refuses a header that claims a billion vertices in a small file, before allocating', () => {
    rejects(`${HEADER(1_000_000_000, 'element face 1\nproperty list uchar int vertex_indices\n')}0 0 0\n3 0 0 0\n`, 'count_mismatch', /declares 1000000000 vertex elements, more than the \d+ bytes of data can hold/);
    const binary = text('ply\nformat binary_little_endian 1.0\nelement vertex 4000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n');
    rejects(binary, 'count_mismatch', /declares 4000000000 vertex elements/);
  });

  it('does not loop over an element that claims billions of items but has no properties', () => {
    const { mesh } = read(`${HEADER(3, 'element nothing 4000000000\nelement face 1\nproperty list uchar int vertex_indices\n')}0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n`);
    assert.equal(mesh.indices.length, 3);
  });

  it('refuses too few elements and out-of-range or negative indices; warns about trailing data', () => {
    const faces = 'element face 2\nproperty list uchar int vertex_indices\n';
    rejects(`${HEADER(3, faces)}0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n`, 'truncated', /ends in face 2 of 2/);
    rejects(`${HEADER(3, faces)}0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 1 3\n`, 'index_out_of_range', /uses vertex 3, but only 3 vertices/);
    rejects(`${HEADER(3, faces)}0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 -1 2\n`, 'syntax', /face 2 of 2 has vertex index -1/);
    rejects(`${HEADER(3, faces)}0 0 0\n1 0 0\nnan 1 0\n3 0 1 2\n3 0 1 2\n`, 'non_finite', /vertex 3 has a non-finite coordinate/);
    const extra = read(`${HEADER(3, faces)}0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 2 1\n3 1 2 0\n`);
    assert.equal(extra.mesh.indices.length, 6);
    assert.match(extra.warnings.join('\n'), /bytes after the last element were ignored/);
  });

  it('refuses binary data that runs out mid-element and a header without end_header', () => {
    const head = 'ply\nformat binary_big_endian 1.0\nelement vertex 1\nproperty double x\nproperty double y\nproperty double z\nelement face 1\nproperty list uchar uint vertex_indices\nend_header\n';
    const bytes = new Uint8Array(text(head).length + 24 + 5);
    bytes.set(text(head));
    bytes[text(head).length + 24] = 3;
    rejects(bytes, 'truncated', /ends in face 1 of 1/);
    rejects('ply\nformat ascii 1.0\nelement vertex 1\n', 'truncated', /no 'end_header'/);
  });
});
