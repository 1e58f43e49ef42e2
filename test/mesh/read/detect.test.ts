// Format detection: content decides, the extension only breaks ties for files whose content
// says nothing (empty or cut short), so the reader can name the real problem.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCuspError } from '../../../src/errors.js';
import { detectFormat } from '../../../src/mesh/read/index.js';
import { corpusInput } from './corpus-input.js';

const bytesOf = (file: string): Uint8Array => corpusInput(file).bytes;

describe('detectFormat', () => {
  it('recognises each format by content, whatever the name says', () => {
    assert.equal(detectFormat(bytesOf('ply/fuze.ply'), 'scan.stl'), 'ply');
    assert.equal(detectFormat(bytesOf('gltf/CesiumMilkTruck.glb'), 'upload.bin'), 'glb');
    assert.equal(detectFormat(bytesOf('gltf/SimpleSparseAccessor.gltf'), 'x'), 'gltf');
    assert.equal(detectFormat(bytesOf('obj/spider/spider.obj'), 'UpperJaw'), 'obj');
    assert.equal(detectFormat(bytesOf('stl/Spider_ascii.stl'), 'model.obj'), 'stl');
    assert.equal(detectFormat(bytesOf('stl/7_8ths_cube.stl'), 'noext'), 'stl');
  });

  it('detects a binary STL whose header starts with "solid" by its size', () => {
    assert.equal(detectFormat(bytesOf('stl/sphere_binary_solid_header.stl'), 'sphere'), 'stl');
  });

  it('falls back to the extension for content that says nothing', () => {
    assert.equal(detectFormat(new Uint8Array(0), 'empty.glb'), 'glb');
    assert.equal(detectFormat(bytesOf('broken/derived_tooth24_truncated_mid_triangle.stl'), 'cut.STL'), 'stl');
  });

  it('refuses unknown content without a known extension', () => {
    const unknown = (bytes: Uint8Array, name: string, reason: string) =>
      assert.throws(() => detectFormat(bytes, name), (err: unknown) => isCuspError(err) && err.code === 'mesh_rejected' && err.details?.reason === reason);
    unknown(new Uint8Array(0), 'nothing', 'empty');
    unknown(new TextEncoder().encode('PK\u0003\u0004 a zip, not a mesh'), 'scan.zip', 'unknown_format');
  });
});
