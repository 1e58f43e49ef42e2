// OBJ reading beyond the corpus: text encodings, relative indices, separate v/vt/vn
// streams, vertex colours, materials through resolve, and every kind of bad index refused
// with its line number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCuspError } from '../../../src/errors.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import { corpusInput } from './corpus-input.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (s: string, resolve?: (uri: string) => Uint8Array | undefined) => readMeshSync({ bytes: utf8(s), name: 'test.obj', resolve });

function rejects(s: string, reason: string, words: RegExp): void {
  assert.throws(
    () => read(s),
    (err: unknown) => isCuspError(err) && err.code === 'mesh_rejected' && err.details?.reason === reason && words.test(err.message),
  );
}

function utf16(s: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + i * 2] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + i * 2] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

const SQUARE = 'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\n';

describe('OBJ reader', () => {
  it('reads UTF-8 with BOM and UTF-16 LE/BE with BOM to the same mesh as plain UTF-8', () => {
    const plain = new TextDecoder().decode(corpusInput('obj/box_without_lineending.obj').bytes);
    const expected = read(plain).mesh;
    for (const bytes of [utf8(`\ufeff${plain}`), utf16(plain, false), utf16(plain, true)]) {
      const r = readMeshSync({ bytes, name: 'box' });
      assert.equal(r.format, 'obj');
      assert.deepEqual(r.mesh.positions, expected.positions);
      assert.deepEqual(r.mesh.indices, expected.indices);
    }
  });

  it('resolves negative indices relative to the vertices defined so far and fans polygons', () => {
    const relative = read(`${SQUARE}f -4 -3 -2 -1\n`).mesh;
    const absolute = read(`${SQUARE}f 1 2 3 4\n`).mesh;
    assert.deepEqual(Array.from(relative.indices), [0, 1, 2, 0, 2, 3]);
    assert.deepEqual(relative.indices, absolute.indices);
  });

  it('keeps positions as stored when each vertex always has the same vt/vn, splits them otherwise', () => {
    const same = read(`${SQUARE}vt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\nvn 0 0 1\nf 1/1/1 2/2/1 3/3/1\nf 1/1/1 3/3/1 4/4/1\n`).mesh;
    assert.equal(same.positions.length / 3, 4);
    assert.deepEqual(Array.from(same.uvs ?? []), [0, 0, 1, 0, 1, 1, 0, 1]);
    assert.deepEqual(Array.from(same.normals?.subarray(0, 3) ?? []), [0, 0, 1]);
    // Vertex 1 has uv 0 in one face and uv 4 in the other: a texture seam, so two vertices.
    const seam = read(`${SQUARE}vt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\nf 1/1 2/2 3/3\nf 1/4 3/3 4/4\n`).mesh;
    assert.equal(seam.positions.length / 3, 5);
    assert.deepEqual(Array.from(seam.uvs?.subarray(seam.indices[3] * 2, seam.indices[3] * 2 + 2) ?? []), [0, 1]);
  });

  it('reads vertex colours as 0..1 or 0..255, white where a vertex has none', () => {
    const unit = read('v 0 0 0 1 0 0\nv 1 0 0 0 1 0\nv 0 1 0\nf 1 2 3\n').mesh;
    assert.deepEqual(Array.from(unit.colors ?? []), [255, 0, 0, 255, 0, 255, 0, 255, 255, 255, 255, 255]);
    const bytes = read('v 0 0 0 255 128 0\nv 1 0 0 0 0 255\nv 0 1 0 10 20 30\nf 1 2 3\n').mesh;
    assert.deepEqual(Array.from(bytes.colors?.subarray(0, 4) ?? []), [255, 128, 0, 255]);
  });

  it('takes materials from the MTL (tabs, spaces in texture names, .\\ prefixes) and groups from g/usemtl', () => {
    const fuze = readMeshSync(corpusInput('obj/fuze/fuze.obj'));
    assert.deepEqual(fuze.mesh.materials, [{ name: 'a-super-duper-material', color: [1, 1, 1, 1], texture: 'fuze uv.jpg' }]);
    const spider = readMeshSync(corpusInput('obj/spider/spider.obj')).mesh;
    assert.equal(spider.groups?.length, 19);
    assert.equal(spider.groups?.reduce((n, g) => n + g.count, 0), 1368);
    assert.equal(spider.materials?.find((m) => m.name === 'HLeibTex')?.texture, 'SpiderTex.jpg');
  });

  it('warns, and keeps the geometry, when the MTL or a material is missing', () => {
    const r = read(`mtllib missing.mtl\n${SQUARE}usemtl skin\nf 1 2 3\n`);
    assert.equal(r.mesh.indices.length, 3);
    assert.deepEqual(r.mesh.materials, [{ name: 'skin', color: [1, 1, 1, 1] }]);
    assert.match(r.warnings.join('\n'), /material library 'missing\.mtl' named by test\.obj was not found/);
    const other = read(`mtllib a.mtl\n${SQUARE}usemtl bone\nf 1 2 3\n`, () => utf8('newmtl skin\nKd 1 0 0\n'));
    assert.match(other.warnings.join('\n'), /material 'bone' is not defined/);
  });

  it('refuses index 0, indices past the end (with the line), short faces and non-finite vertices', () => {
    rejects(`${SQUARE}f 0 1 2\n`, 'index_out_of_range', /line 5 uses vertex index 0, but OBJ indices start at 1/);
    rejects(`${SQUARE}f 1 2 3\nf 1 2 9\n`, 'index_out_of_range', /face on line 6 uses vertex 9, but only 4 vertices are defined/);
    rejects(`${SQUARE}f -5 1 2\n`, 'index_out_of_range', /line 5 uses vertex -5, but only 4 vertices/);
    rejects(`${SQUARE}vt 0 0\nf 1/2 2/1 3/1\n`, 'index_out_of_range', /uses texture coordinate 2, but only 1 texture coordinates/);
    rejects(`${SQUARE}f 1 2\n`, 'syntax', /face on line 5 has 2 vertices/);
    rejects(`${SQUARE}f 1 2 x\n`, 'syntax', /line 5: expected a vertex index, found 'x'/);
    rejects('v 0 0 nan\nv 1 0 0\nv 0 1 0\nf 1 2 3\n', 'non_finite', /line 1: vertex coordinate is not a finite number/);
    rejects(SQUARE, 'no_triangles', /4 vertices but no faces/);
  });

  it('allows faces that refer to vertices defined further down', () => {
    assert.equal(read(`f 1 2 3\n${SQUARE}`).mesh.indices.length, 3);
  });
});
