// `cusp convert IN OUT [--ascii]` through the real CLI entry point, on corpus files copied to
// a temp folder: the output reads back with the same triangles, OBJ gets its .mtl, siblings
// come from IN's folder, and every failure is one line on stderr with a non-zero status.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { main } from '../../daemon/main.js';
import { readMeshSync } from '../../src/mesh/read/index.js';
import { corpusPath } from '../helpers/corpus.js';
import { assertValidGltf } from '../helpers/gltf-valid.js';
import { tempDir } from '../helpers/temp.js';

async function cusp(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await main(args, { stdout: out, stderr: err, env: {} });
  return { status, stdout, stderr };
}

function readBack(path: string, siblings: Record<string, string> = {}) {
  return readMeshSync({
    bytes: new Uint8Array(readFileSync(path)),
    name: path,
    resolve: (uri) => (siblings[uri] ? new Uint8Array(readFileSync(siblings[uri])) : undefined),
  }).mesh;
}

describe('cusp convert', () => {
  it('converts a binary STL tooth to PLY, GLB and ASCII STL with the same triangles', async (t) => {
    const dir = tempDir(t);
    const input = corpusPath('dental/openfulljaw_P26_mandible_tooth24_incisor.stl');
    for (const [out, extra] of [['tooth.ply', []], ['tooth.glb', []], ['tooth.stl', ['--ascii']]] as const) {
      const r = await cusp(['convert', input, join(dir, out), ...extra]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /16744 triangles/);
      const back = readBack(join(dir, out));
      assert.equal(back.indices.length / 3, 16744);
      // PLY and GLB share their vertices: a closed tooth has about half as many as triangles.
      if (!out.endsWith('.stl')) assert.equal(back.positions.length / 3, 16744 / 2 + 2, out);
      // The summary counts what the file holds (an STL: three corners per triangle).
      const vertices = out.endsWith('.stl') ? 3 * 16744 : 16744 / 2 + 2;
      assert.match(r.stdout, new RegExp(`: 16744 triangles, ${vertices} vertices \\(from stl binary\\)`), out);
    }
    await assertValidGltf(readFileSync(join(dir, 'tooth.glb')), 'cusp convert → tooth.glb');
    assert.ok(readFileSync(join(dir, 'tooth.stl')).subarray(0, 6).toString() === 'solid ');
  });

  it('reads an OBJ with its MTL from its folder and writes OBJ + MTL', async (t) => {
    const dir = tempDir(t);
    const out = join(dir, 'spider-copy.obj');
    const r = await cusp(['convert', corpusPath('obj/spider/spider.obj'), out]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'spider-copy.mtl')));
    assert.match(readFileSync(out, 'utf8'), /^mtllib spider-copy\.mtl$/m);
    const mesh = readBack(out, { 'spider-copy.mtl': join(dir, 'spider-copy.mtl') });
    assert.equal(mesh.indices.length / 3, 1368);
    assert.equal(mesh.materials?.find((m) => m.name === 'Skin')?.texture, 'wal67ar_small.jpg');
  });

  it('reads an external glTF buffer only from the input folder', async (t) => {
    const dir = tempDir(t);
    copyFileSync(corpusPath('gltf/Box_external/Box.gltf'), join(dir, 'Box.gltf'));
    const missing = await cusp(['convert', join(dir, 'Box.gltf'), join(dir, 'box.stl')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^cusp convert: Box\.gltf needs 'Box0\.bin'/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    copyFileSync(corpusPath('gltf/Box_external/Box0.bin'), join(dir, 'Box0.bin'));
    const ok = await cusp(['convert', join(dir, 'Box.gltf'), join(dir, 'box.stl')]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(readBack(join(dir, 'box.stl')).indices.length / 3, 12);
  });

  it('refuses to read siblings outside the input folder', async (t) => {
    const dir = tempDir(t);
    const sub = join(dir, 'case');
    mkdirSync(sub);
    const gltf = JSON.parse(readFileSync(corpusPath('gltf/Box_external/Box.gltf'), 'utf8'));
    gltf.buffers[0].uri = '../Box0.bin';
    writeFileSync(join(sub, 'Box.gltf'), JSON.stringify(gltf));
    copyFileSync(corpusPath('gltf/Box_external/Box0.bin'), join(dir, 'Box0.bin'));
    const r = await cusp(['convert', join(sub, 'Box.gltf'), join(dir, 'box.ply')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs '\.\.\/Box0\.bin'/);
  });

  it('reports a rejected file, a missing file and usage errors as one line', async (t) => {
    const dir = tempDir(t);
    const truncated = await cusp(['convert', corpusPath('broken/derived_tooth24_truncated_mid_triangle.stl'), join(dir, 'x.ply')]);
    assert.equal(truncated.status, 1);
    assert.match(truncated.stderr, /^cusp convert: derived_tooth24_truncated_mid_triangle\.stl is truncated: .*\n$/);
    assert.ok(!existsSync(join(dir, 'x.ply')));

    const absent = await cusp(['convert', join(dir, 'nope.stl'), join(dir, 'x.ply')]);
    assert.equal(absent.status, 1);
    assert.match(absent.stderr, /cannot read .*nope\.stl: no such file\n$/);

    const badExt = await cusp(['convert', corpusPath('stl/7_8ths_cube.stl'), join(dir, 'x.3mf')]);
    assert.equal(badExt.status, 2);
    assert.match(badExt.stderr, /end OUT in \.stl, \.ply, \.obj, \.glb or \.gltf/);

    const asciiGlb = await cusp(['convert', corpusPath('stl/7_8ths_cube.stl'), join(dir, 'x.glb'), '--ascii']);
    assert.equal(asciiGlb.status, 2);
    assert.equal((await cusp(['convert', 'only-one.stl'])).status, 2);
  });
});
