// The upload try-read agrees with the readers: every corpus file the strict read accepts is
// accepted from a temp file (a binary STL checked streaming, with the same triangle count)
// and every one it refuses is refused; garbage is refused from its head and size alone.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { isCuspError } from '../../src/errors.js';
import { probeFile } from '../../src/ingest/upload-probe-file.js';
import { precheckUpload } from '../../src/ingest/upload-precheck.js';
import { readMesh } from '../../src/mesh/read/index.js';
import { CORPUS_DIR, hasCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const skip = !hasCorpus() && 'no corpus';

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

async function verdict(read: () => Promise<{ triangles: number }>): Promise<string> {
  try {
    return `accepted ${(await read()).triangles}`;
  } catch (err) {
    if (isCuspError(err) && err.code === 'mesh_rejected') return 'rejected';
    throw err;
  }
}

test('every corpus file: the upload try-read from a file gives the strict reader\'s verdict and triangle count', { skip }, async () => {
  const files = filesBelow(CORPUS_DIR).filter((f) => /\.(stl|ply|obj|gltf|glb)$/i.test(f));
  assert.ok(files.length > 40, `${files.length} corpus meshes`);
  const disagree: string[] = [];
  let rejected = 0;
  for (const file of files) {
    const name = relative(CORPUS_DIR, file).split('/').pop()!;
    const expected = await verdict(async () => {
      const r = await readMesh({ bytes: readFileSync(file), name });
      // Binary STL is a soup before welding: its count is the header's.
      return { triangles: r.mesh.indices.length / 3 };
    });
    const actual = await verdict(() => probeFile(file, name));
    if (expected === 'rejected') rejected++;
    if (actual !== expected) disagree.push(`${relative(CORPUS_DIR, file)}: reader ${expected}, upload ${actual}`);
  }
  assert.deepEqual(disagree, []);
  assert.ok(rejected >= 5 && files.length - rejected >= 20, `both verdicts covered: ${rejected} rejected, ${files.length - rejected} accepted`);
});

test('garbage is refused from its first 64 KiB and its size, with the readers\' messages', () => {
  const head = new Uint8Array(65536);
  for (let i = 0; i < head.length; i++) head[i] = (i * 7919 + 13) & 0xff;
  const GIB = 1 << 30;
  assert.throws(() => precheckUpload(head, GIB, 'upper.stl'), (e: Error) => isCuspError(e) && e.code === 'mesh_rejected' && /upper\.stl( is truncated)?: header says \d+ triangles .*1073741824 bytes/.test(e.message));
  assert.throws(() => precheckUpload(head, GIB, 'scan.ply'), /scan\.ply is not a valid PLY file \(it does not start with the line "ply"\)/);
  assert.throws(() => precheckUpload(head, GIB, 'scan.gltf'), /scan\.gltf is not a valid glTF file/);
  assert.throws(() => precheckUpload(head, GIB, 'scan.bin'), /not a mesh file Cusp reads/);
  const json = Buffer.from(head);
  json[0] = 0x7b; // '{' then binary: not decoded whole as JSON
  assert.throws(() => precheckUpload(json, GIB, 'scan.bin'), /scan\.bin is not a valid glTF file \(it holds binary data \(a NUL byte at \d+\) where glTF is text\)/);
  assert.deepEqual(precheckUpload(json.subarray(0, 1000), 1000, 'scan.gltf'), { read: 'full' }, 'a small file is the reader\'s to judge');
  const obj = Buffer.concat([Buffer.from('v 1 2 3\n'), head]);
  assert.throws(() => precheckUpload(obj, GIB, 'upper.obj'), /upper\.obj is not a valid OBJ file \(it holds binary data/);
  const utf16 = Buffer.from(head);
  utf16[0] = 0xff;
  utf16[1] = 0xfe;
  assert.throws(() => precheckUpload(utf16, GIB, 'upper.obj'), /starts with a UTF-16 mark but holds binary data/);
  const glb = Buffer.from(head);
  glb.write('glTF', 0, 'ascii');
  glb.writeUInt32LE(2, 4);
  glb.writeUInt32LE(1000, 8);
  assert.throws(() => precheckUpload(glb, GIB, 'scan.glb'), /scan\.glb: the GLB header says 1000 bytes, but the file has 1073741824/);
  const stl = Buffer.alloc(84);
  const fits = Math.floor((GIB - 84) / 50);
  stl.writeUInt32LE(fits + 1, 80);
  assert.throws(() => precheckUpload(stl, GIB, 'upper.stl'), /upper\.stl is truncated: header says \d+ triangles .* \(room for \d+\)/);
  stl.writeUInt32LE(fits - 1, 80);
  assert.throws(() => precheckUpload(stl, GIB, 'upper.stl'), /the triangle count is wrong/);
  stl.writeUInt32LE(fits, 80);
  assert.deepEqual(precheckUpload(stl, GIB, 'upper.stl'), { read: 'binary-stl', triangles: fits, trailingBytes: (GIB - 84) % 50 }, 'up to 49 trailing bytes, as the reader allows');
});

test('a binary STL with a non-finite coordinate deep inside is refused by the streaming check with the triangle\'s number', async (t) => {
  const dir = tempDir(t);
  const count = 200_000; // 10 MB: more than one 4 MiB step
  const bytes = Buffer.alloc(84 + 50 * count);
  bytes.writeUInt32LE(count, 80);
  for (let i = 0; i < count; i++) for (let k = 0; k < 9; k++) bytes.writeFloatLE(i + k, 84 + 50 * i + 12 + 4 * k);
  bytes.writeFloatLE(Number.NaN, 84 + 50 * 150_000 + 12 + 4 * 4);
  const path = join(dir, 'x.part');
  writeFileSync(path, bytes);
  await assert.rejects(probeFile(path, 'upper.stl'), /upper\.stl: triangle 150001 of 200000 has a non-finite coordinate \(NaN\)/);
  await assert.rejects(readMesh({ bytes, name: 'upper.stl' }), /upper\.stl: triangle 150001 of 200000 has a non-finite coordinate \(NaN\)/, 'the same message as the reader');
});
