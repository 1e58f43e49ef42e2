// The self-intersection test on two threads (the second a real worker thread, from dist/)
// gives exactly what the one-thread test gives — the count and the first examples, in their
// order — and so does the whole report; where no thread can start or the thread dies, the
// caller is told and tests on its own thread.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { test } from 'node:test';
import { readStlFileWelded } from '../../src/jobs/stl-file.js';
import { joinChunks, startSelfIntersectionSide, type ChunkResult } from '../../src/jobs/self-intersection-side.js';
import { findSelfIntersections, leafPairCount, listLeafPairs, prepareSelfIntersections, testLeafPairs } from '../../src/mesh/bvh/self-intersections.js';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { inspectMesh, inspectMeshWith } from '../../src/mesh/report/index.js';
import { weldForChecks } from '../../src/mesh/weld.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { injectDefects } from '../bench/generate-defects.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { tempDir } from '../helpers/temp.js';
import { join } from '../mesh/report/shapes.js';

/** Two teeth through each other: more crossing pairs than the examples keep. */
function twoTeeth(): IndexedMesh {
  const a = generateToothMesh(60_000, 1);
  const b = generateToothMesh(60_000, 2);
  const moved = b.positions.map((x, i) => (i % 3 === 0 ? x + 3 : i % 3 === 2 ? x + 1 : x));
  return join({ positions: a.positions, indices: a.indices }, { positions: moved, indices: b.indices });
}

const folded = (): IndexedMesh => injectDefects(generateToothMesh(40_000, 5), 5, { folds: 4 }).mesh;

test('two threads find the same count and the same first examples, in order, as one', async () => {
  const side = startSelfIntersectionSide();
  assert.ok(side, 'a thread starts here (npm run build first)');
  try {
    for (const [what, mesh] of [['two teeth', twoTeeth()], ['folded tooth', folded()], ['clean tooth', generateToothMesh(30_000, 4)]] as const) {
      const welded = weldForChecks(mesh);
      const one = findSelfIntersections(welded);
      const two = await side.find(welded);
      assert.equal(two.count, one.count, `${what}: count`);
      assert.deepEqual(two.examples, one.examples, `${what}: examples`);
      if (what === 'two teeth') assert.ok(one.count > 1000, `${what}: ${one.count} pairs`);
      if (what === 'clean tooth') assert.equal(one.count, 0);
      // With the file's bytes to build the tree in, as `cusp inspect` gives them (50 a triangle).
      const arena = new SharedArrayBuffer(50 * (welded.indices.length / 3));
      new Uint8Array(arena).fill(0x5a);
      const inArena = await side.find(welded, arena);
      assert.equal(inArena.count, one.count, `${what}: count, tree in an arena`);
      assert.deepEqual(inArena.examples, one.examples, `${what}: examples, tree in an arena`);
    }
    // A mesh too small for a tree is answered without the thread.
    const one = await side.find({ positions: new Float32Array(9), indices: new Uint32Array([0, 1, 2]) });
    assert.equal(one.count, 0);
  } finally {
    await side.close();
  }
});

test('with the tree begun from the file while it is welded (as cusp inspect does), the same count and examples', async (t) => {
  const side = startSelfIntersectionSide();
  assert.ok(side);
  const dir = tempDir(t);
  try {
    for (const [what, mesh] of [['two teeth', twoTeeth()], ['folded tooth', folded()]] as const) {
      const file = joinPath(dir, `${what}.stl`);
      writeFileSync(file, writeStlBinary(mesh));
      side.prepare(file);
      const welded = readStlFileWelded(file, what, true)!;
      const one = findSelfIntersections(welded.mesh);
      const two = await side.find(welded.mesh, welded.spare, file);
      assert.equal(two.count, one.count, `${what}: count`);
      assert.deepEqual(two.examples, one.examples, `${what}: examples`);
    }
    // An order made for another file, or none (a missing file, an ASCII one, a FIFO: not
    // waited on, not read), is not used.
    const other = joinPath(dir, 'two teeth.stl');
    const fifo = joinPath(dir, 'scanner.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const prepared of [other, joinPath(dir, 'missing.stl'), ascii(dir), fifo]) {
      side.prepare(prepared);
      const mesh = weldForChecks(folded());
      const two = await side.find(mesh, undefined, joinPath(dir, 'folded tooth.stl'));
      assert.deepEqual(two, findSelfIntersections(mesh), `after prepare(${prepared})`);
    }
  } finally {
    await side.close();
  }
});

function ascii(dir: string): string {
  const file = joinPath(dir, 'ascii.stl');
  writeFileSync(file, 'solid a\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid a\n');
  return file;
}

test('the whole report on two threads equals the one-thread report', async () => {
  const side = startSelfIntersectionSide();
  assert.ok(side);
  try {
    for (const mesh of [twoTeeth(), folded()]) {
      const one = inspectMesh(mesh, { profile: 'scan' });
      const two = await inspectMeshWith(mesh, { profile: 'scan' }, (welded) => side.find(welded));
      assert.deepEqual(two, one);
      assert.ok((one.selfIntersectingPairs ?? 0) > 0 && one.selfIntersectingFaces.length > 0);
    }
  } finally {
    await side.close();
  }
});

test('parts joined in their order equal the whole, however the leaf pairs are cut and whoever ran them', () => {
  const welded = weldForChecks(twoTeeth());
  const whole = findSelfIntersections(welded);
  const tree = prepareSelfIntersections(welded);
  const pairs = listLeafPairs(tree);
  const n = leafPairCount(pairs);
  for (const cuts of [[n], [1, n], [Math.floor(n / 3), Math.floor(n / 2), n], Array.from({ length: 97 }, (_, k) => Math.ceil(((k + 1) * n) / 97))]) {
    const results: ChunkResult[] = [];
    let from = 0;
    cuts.forEach((to, chunk) => {
      results.push({ chunk, part: testLeafPairs(tree, pairs, from, to) });
      from = to;
    });
    // The threads hand their chunks back in any order.
    results.reverse();
    const joined = joinChunks(results, cuts.length);
    assert.equal(joined.count, whole.count);
    assert.deepEqual(joined.examples, whole.examples);
  }
  assert.throws(() => joinChunks([], 2), /lost part 0 of 2/);
});

test('no thread where its script is missing; a thread that dies fails the test with a clear error, and the caller can test on its own', async (t) => {
  assert.equal(startSelfIntersectionSide('/nonexistent/self-intersection-side.worker.js'), undefined);
  const script = joinPath(tempDir(t), 'dies.mjs');
  writeFileSync(script, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
  const side = startSelfIntersectionSide(script);
  assert.ok(side);
  try {
    const welded = weldForChecks(folded());
    await assert.rejects(side.find(welded), /second thread stopped before it answered/);
    // As `cusp inspect` does: on its own thread, the same report.
    const mesh = folded();
    const report = await inspectMeshWith(mesh, { profile: 'scan' }, (w) => side.find(w).catch(() => findSelfIntersections(w)));
    assert.deepEqual(report, inspectMesh(mesh, { profile: 'scan' }));
  } finally {
    await side.close();
  }
});
