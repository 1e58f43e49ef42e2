// The binary STL read and welded in one pass (`cusp inspect`, `cusp compare`) gives exactly
// what the general reader and the weld give — same vertices in the same order, same bits,
// same indices, same report, same rejections — and leaves every file it does not take
// (ASCII, colours, a size that does not match, other formats) to the general reader.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isCuspError } from '../../../src/errors.js';
import type { IndexedMesh } from '../../../src/mesh/mesh.js';
import { readMeshSync } from '../../../src/mesh/read/index.js';
import { buildLinearBvh } from '../../../src/mesh/bvh/linear-bvh.js';
import { findSelfIntersections, leafPairCount, listLeafPairs, prepareSelfIntersections, testLeafPairs } from '../../../src/mesh/bvh/self-intersections.js';
import { readStlBinaryWelded, stlMortonOrder, type FileSource } from '../../../src/mesh/read/stl-binary-welded.js';
import { readStlBinary } from '../../../src/mesh/read/stl-binary.js';
import { inspectMesh } from '../../../src/mesh/report/index.js';
import { weldExact, weldForChecks } from '../../../src/mesh/weld.js';
import { writeStlBinary } from '../../../src/mesh/write/stl.js';
import { generateToothMesh } from '../../bench/generate-mesh.js';
import { corpusBytes, corpusPath } from '../../helpers/corpus.js';

/** `bytes` as a file, read in pieces of at most `piece` bytes (as a pipe or a slow disk gives them). */
function source(bytes: Uint8Array, piece = Infinity): FileSource {
  return {
    size: bytes.length,
    read(into, position) {
      const n = Math.max(0, Math.min(into.length, piece, bytes.length - position));
      into.set(bytes.subarray(position, position + n));
      return n;
    },
  };
}

const bitsOf = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** The welded read equals `weldForChecks(readStlBinary(bytes))`, bit for bit. */
function assertSameAsGeneral(bytes: Uint8Array, label: string, piece?: number): IndexedMesh {
  const welded = readStlBinaryWelded(source(bytes, piece), label);
  assert.ok(welded, `${label}: taken by the welded path`);
  const general = weldForChecks(readStlBinary(bytes, label).mesh);
  assert.equal(welded.mesh.positions.length, general.positions.length, `${label}: vertex count`);
  assert.deepEqual(bitsOf(welded.mesh.positions), bitsOf(general.positions), `${label}: vertex bits`);
  assert.deepEqual(welded.mesh.indices, general.indices, `${label}: indices`);
  assert.deepEqual(welded.warnings, []);
  return welded.mesh;
}

/** A binary STL of the given triangles (9 floats each), header text and attribute words. */
function stl(triangles: number[][], header = '', attribute: (t: number) => number = () => 0): Uint8Array {
  const out = new Uint8Array(84 + 50 * triangles.length);
  for (let i = 0; i < Math.min(80, header.length); i++) out[i] = header.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(80, triangles.length, true);
  triangles.forEach((t, i) => {
    t.forEach((v, k) => view.setFloat32(84 + 50 * i + 12 + 4 * k, v, true));
    view.setUint16(84 + 50 * i + 48, attribute(i), true);
  });
  return out;
}

function binaryCorpusStls(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(corpusPath(dir))) {
      const rel = join(dir, name);
      if (statSync(corpusPath(rel)).isDirectory()) walk(rel);
      else if (name.toLowerCase().endsWith('.stl')) out.push(rel);
    }
  };
  walk('.');
  return out.filter((rel) => readStlBinaryWelded(source(new Uint8Array(corpusBytes(rel))), rel) !== undefined);
}

describe('binary STL welded while read', () => {
  it('gives the general reader’s welded mesh for every binary STL of the corpus, read whole or in odd pieces', () => {
    const files = binaryCorpusStls();
    assert.ok(files.length >= 8, `binary STLs in the corpus: ${files.length}`);
    for (const rel of files) {
      const bytes = new Uint8Array(corpusBytes(rel));
      assertSameAsGeneral(bytes, rel);
      assertSameAsGeneral(bytes, `${rel} in 1237-byte pieces`, 1237);
    }
  });

  it('gives the same report as the general path, and the welds take its mesh as it is', () => {
    const bytes = writeStlBinary(generateToothMesh(30_000, 7));
    const welded = assertSameAsGeneral(bytes, 'tooth');
    const general = readMeshSync({ bytes, name: 'tooth.stl' });
    assert.deepEqual(inspectMesh(welded, { profile: 'scan' }), inspectMesh(general.mesh, { profile: 'scan' }));
    // Marked welded: no second pass makes new arrays.
    assert.equal(weldForChecks(welded).positions, welded.positions);
    const again = weldExact(welded);
    assert.equal(again.mesh, welded);
    assert.equal(again.merged, 0);
    assert.deepEqual([...again.remap.subarray(0, 5)], [0, 1, 2, 3, 4]);
  });

  it('keeps the first occurrence’s bits of a point written as +0 and as -0, and welds the two', () => {
    const bytes = stl([
      [-0, 0, 1, 1, 0, 0, 0, 1, 0],
      [0, -0, 1, 0, 1, 0, 1, 0, 0],
    ]);
    const mesh = assertSameAsGeneral(bytes, 'signed zeros');
    assert.equal(mesh.positions.length / 3, 3);
    assert.ok(Object.is(mesh.positions[0], -0), 'the first occurrence, -0, is kept');
    assert.deepEqual([...mesh.indices], [0, 1, 2, 0, 2, 1]);
  });

  it('grows its table when the file has more distinct corners than triangles (a soup of separate triangles)', () => {
    const triangles = Array.from({ length: 5000 }, (_, t) => [t, 0, 0, t, 1, 0, t, 0, 1]);
    const mesh = assertSameAsGeneral(stl(triangles), 'separate triangles');
    assert.equal(mesh.positions.length / 3, 15_000);
  });

  it('reads a binary STL whose header starts with "solid" by its size, as the general reader does', () => {
    const bytes = stl([[0, 0, 0, 1, 0, 0, 0, 1, 0]], 'solid exported by CAD');
    assertSameAsGeneral(bytes, 'solid header');
    assert.equal(readMeshSync({ bytes, name: 'x.stl' }).variant, 'binary');
  });

  it('leaves to the general reader: ASCII, a size that does not match, no triangles, colours, other formats', () => {
    const one = [[0, 0, 0, 1, 0, 0, 0, 1, 0]];
    const two = [...one, [0, 0, 1, 1, 0, 1, 0, 1, 1]];
    const ascii = new TextEncoder().encode('solid t\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid t\n');
    const cut = stl(two).subarray(0, 84 + 50 + 20);
    const trailing = new Uint8Array(84 + 50 + 7);
    trailing.set(stl(one));
    const cases: [string, Uint8Array][] = [
      ['ascii', ascii],
      ['cut short', cut],
      ['trailing bytes', trailing],
      ['no triangles', stl([])],
      ['Materialise colour header', stl(two, 'COLOR=\x80\x80\x80\xff')],
      ['VisCAM facet colours', stl(two, '', (t) => (t === 0 ? 0x8000 | 31 : 0x8000 | (31 << 10)))],
      ['PLY', new TextEncoder().encode('ply\nformat ascii 1.0\nelement vertex 0\nend_header\n')],
      ['GLB', new Uint8Array([0x67, 0x6c, 0x54, 0x46, 2, 0, 0, 0, 12, 0, 0, 0])],
      ['empty', new Uint8Array(0)],
    ];
    for (const [label, bytes] of cases) assert.equal(readStlBinaryWelded(source(bytes), label), undefined, label);
    // Attribute words that do not carry colours (all equal, or varying without bit 15) are no reason to leave.
    assertSameAsGeneral(stl(two, '', () => 0xffff), 'Meshmixer 0xFFFF on every facet');
    assertSameAsGeneral(stl(two, '', (t) => t), 'varying words without bit 15');
  });

  it('rejects a non-finite coordinate with the general reader’s message', () => {
    const triangles = Array.from({ length: 9000 }, (_, t) => [t, 0, 0, t, 1, 0, t, 0, 1]);
    triangles[8500] = [8500, 0, 0, 8500, Infinity, 0, NaN, 0, 1];
    const bytes = stl(triangles);
    const general = (() => {
      try {
        readStlBinary(bytes, 'bad.stl');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.ok(isCuspError(general) && general.details?.reason === 'non_finite');
    assert.throws(
      () => readStlBinaryWelded(source(bytes), 'bad.stl'),
      (err: unknown) => isCuspError(err) && err.details?.reason === 'non_finite' && err.message === general.message && /triangle 8501 of 9000 .*Infinity/.test(err.message),
    );
  });

  it('refuses a file that became shorter while it was read, saying so', () => {
    const bytes = writeStlBinary(generateToothMesh(12_000, 3));
    const shrinking: FileSource = { size: bytes.length, read: (into, position) => source(bytes.subarray(0, 300_000)).read(into, position) };
    assert.throws(
      () => readStlBinaryWelded(shrinking, 'copying.stl'),
      (err: unknown) => isCuspError(err) && err.details?.reason === 'truncated' && /copying\.stl became shorter while it was read \(\d+ bytes when opened, ended at 300000\)/.test(err.message),
    );
  });

  it('puts the mesh in shared memory when asked, with the welding table as spare memory for the tree', () => {
    const bytes = writeStlBinary(generateToothMesh(10_000, 5));
    const sharedRead = readStlBinaryWelded(source(bytes), 'shared', true);
    assert.ok(sharedRead);
    assert.ok(sharedRead.mesh.positions.buffer instanceof SharedArrayBuffer);
    assert.ok(sharedRead.mesh.indices.buffer instanceof SharedArrayBuffer);
    // The table: a slot of four bytes per triangle or more.
    assert.ok(sharedRead.spare instanceof SharedArrayBuffer && sharedRead.spare.byteLength >= 4 * 10_000);
    const plain = readStlBinaryWelded(source(bytes), 'plain');
    assert.ok(plain && !(plain.mesh.positions.buffer instanceof SharedArrayBuffer) && plain.spare === undefined);
    assert.deepEqual(bitsOf(plain.mesh.positions), bitsOf(sharedRead.mesh.positions));
  });

  it('makes from the file the Morton order the tree build makes from the welded mesh: the same tree to the bit', () => {
    // A tooth, the corpus's binary STLs, and a file whose corners are written as +0 and -0.
    const signed = stl([
      [0, 0, 0, 1, 0, 0, 0, 1, 0],
      [-0, 0, 0, 0, 1, 0, 0, 0, 1],
      [-0, -0, -0, 0, 0, 1, 1, 0, 0],
      [2, 2, 2, 3, 2, 2, 2, 3, -0],
    ]);
    const files: Array<[string, Uint8Array]> = [['tooth', writeStlBinary(generateToothMesh(30_000, 3))], ['signed zeros', signed]];
    for (const rel of binaryCorpusStls()) files.push([rel, new Uint8Array(corpusBytes(rel))]);
    for (const [label, bytes] of files) {
      const mesh = readStlBinaryWelded(source(bytes), label)!.mesh;
      const presorted = stlMortonOrder(source(bytes, 1237));
      assert.ok(presorted, `${label}: an order`);
      for (const leaf of [4, 48]) {
        const plain = buildLinearBvh(mesh, leaf, 'shared');
        const ahead = buildLinearBvh(mesh, leaf, 'shared', false, presorted);
        assert.deepEqual(ahead.order, plain.order, `${label}: order`);
        assert.deepEqual(new Uint8Array(ahead.nodes), new Uint8Array(plain.nodes), `${label}: nodes`);
        assert.deepEqual(bitsOf(ahead.boxes), bitsOf(plain.boxes), `${label}: boxes`);
        assert.deepEqual(ahead.verts, plain.verts, `${label}: vertices`);
        assert.deepEqual(ahead.flat, plain.flat, `${label}: flat`);
      }
    }
    assert.equal(stlMortonOrder(source(new TextEncoder().encode('solid x\nendsolid x\n'))), undefined, 'ASCII: none');
    const short = stlMortonOrder({ ...source(signed), read: (into, position) => source(signed.subarray(0, 150)).read(into, position) });
    assert.equal(short, undefined, 'a file that ends early: none');
  });

  it('still finds every crossing pair when the order was made from another file (one rewritten between the two reads)', () => {
    const crossing = readMeshSync({ bytes: writeStlBinary(generateToothMesh(20_000, 5)), name: 'a.stl' }).mesh;
    // Fold part of the tooth through the rest: crossing pairs to find.
    const positions = crossing.positions.slice();
    for (let i = 0; i < positions.length; i += 3) if (positions[i + 2] > 4) positions[i] = -positions[i] * 0.6;
    const bytes = writeStlBinary({ positions, indices: crossing.indices });
    const other = writeStlBinary(generateToothMesh(20_000, 9));
    const mesh = readStlBinaryWelded(source(bytes), 'folded')!.mesh;
    const wrong = stlMortonOrder(source(other))!;
    assert.equal(wrong.order.length, mesh.indices.length / 3, 'the same triangle count');
    const right = findSelfIntersections(mesh);
    assert.ok(right.count > 0, `crossing pairs: ${right.count}`);
    const tree = prepareSelfIntersections(mesh, 'shared', wrong);
    assert.notDeepEqual(tree.order, prepareSelfIntersections(mesh, 'shared').order, 'a different order');
    const pairs = listLeafPairs(tree);
    const found = testLeafPairs(tree, pairs, 0, leafPairCount(pairs));
    assert.equal(found.count, right.count, 'the same count from the looser tree');
    // The same pairs (listed in another order: each tree lists them in its own).
    const set = (examples: Uint32Array): string[] => Array.from({ length: examples.length / 2 }, (_, k) => `${examples[2 * k]}-${examples[2 * k + 1]}`).sort();
    if (right.count <= right.examples.length / 2) assert.deepEqual(set(found.examples), set(right.examples));
  });
});
