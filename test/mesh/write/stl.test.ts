// STL writers: a binary header no reader mistakes for ASCII, the exact size, unit facet
// normals from the winding; ASCII with one solid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { detectFormat, readMeshSync } from '../../../src/mesh/read/index.js';
import { writeStlAscii, writeStlBinary } from '../../../src/mesh/write/index.js';

const quad: IndexedMesh = {
  positions: new Float32Array([0, 0, 0, 2, 0, 0, 2, 2, 0, 0, 2, 0]),
  indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
};

describe('STL writers', () => {
  it('binary: 84 + 50·n bytes, header not starting with "solid", unit normals along the winding', () => {
    const bytes = writeStlBinary(quad);
    assert.equal(bytes.length, 84 + 100);
    assert.notEqual(new TextDecoder().decode(bytes.subarray(0, 5)).toLowerCase(), 'solid');
    const view = new DataView(bytes.buffer);
    assert.deepEqual([view.getFloat32(84, true), view.getFloat32(88, true), view.getFloat32(92, true)], [0, 0, 1]);
    assert.equal(detectFormat(bytes, 'noext'), 'stl');
    assert.equal(readMeshSync({ bytes, name: 'q.stl' }).variant, 'binary');
  });

  it('ASCII: one named solid that reads back as ASCII', () => {
    const bytes = writeStlAscii(quad, 'UpperJaw');
    const text = new TextDecoder().decode(bytes);
    assert.match(text, /^solid UpperJaw\nfacet normal 0 0 1\n/);
    assert.match(text, /endsolid UpperJaw\n$/);
    const r = readMeshSync({ bytes, name: 'q.stl' });
    assert.equal(r.variant, 'ascii');
    assert.deepEqual(r.mesh.groups?.map((g) => g.name), ['UpperJaw']);
  });
});
