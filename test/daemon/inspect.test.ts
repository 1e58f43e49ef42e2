import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { SIDE_MIN_BYTES } from '../../daemon/commands/inspect.js';
import { main } from '../../daemon/main.js';
import { readMesh } from '../../src/mesh/read/index.js';
import { inspectMesh } from '../../src/mesh/report/index.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { corpusPath } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { join as joinMeshes } from '../mesh/report/shapes.js';

async function run(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const status = await main(argv, { stdout, stderr, env: {} });
  return { status, stdout: out, stderr: err };
}

const tooth = corpusPath('dental/openfulljaw_P26_mandible_tooth19_molar.stl');
const spider = corpusPath('stl/Spider_binary.stl');

test('a good tooth: readable report, verdict OK, exit 0', async () => {
  const r = await run('inspect', tooth);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /verdict: OK as a scan/);
  assert.match(r.stdout, /43,980 triangles, 21,992 vertices, 1 piece/);
  assert.match(r.stdout, /volume 891\.5 mm³/);
  assert.equal(r.stderr, '');
});

test('--json gives an array with the stable field names plus file, format, variant and warnings', async () => {
  const r = await run('inspect', '--json', '--profile', 'solid', tooth, spider);
  assert.equal(r.status, 1, 'the spider fails as a solid');
  const reports = JSON.parse(r.stdout);
  assert.equal(reports.length, 2);
  assert.equal(reports[0].file, tooth);
  assert.equal(reports[0].format, 'stl');
  assert.equal(reports[0].variant, 'binary');
  assert.deepEqual(reports[0].warnings, []);
  assert.equal(reports[0].triangles, 43980);
  assert.equal(reports[0].verdict, 'ok');
  assert.equal(reports[0].profile, 'solid');
  assert.equal(reports[1].verdict, 'fail');
  assert.equal(reports[1].selfIntersecting, true);
  assert.ok(reports[1].issues.some((i: { code: string }) => i.code === 'not_watertight'));
});

test('a rejected file gets one line on stderr and exit 1; the others are still reported', async (t) => {
  const dir = tempDir(t);
  const broken = join(dir, 'upper.stl');
  copyFileSync(corpusPath('broken/derived_tooth24_truncated_mid_triangle.stl'), broken);
  const r = await run('inspect', broken, tooth, join(dir, 'missing.stl'));
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /upper\.stl is truncated/);
  assert.match(lines[1], /missing\.stl: no such file/);
  assert.match(r.stdout, /verdict: OK/);

  const json = await run('inspect', '--json', broken, tooth);
  assert.equal(json.status, 1);
  const [rejected, read] = JSON.parse(json.stdout);
  assert.equal(rejected.file, broken);
  assert.equal(rejected.error.code, 'mesh_rejected');
  assert.match(rejected.error.message, /truncated/);
  assert.equal(read.verdict, 'ok');
});

test('an OBJ takes its .mtl from its own folder', async () => {
  const r = await run('inspect', '--json', '--no-self-intersection', corpusPath('obj/fuze/fuze.obj'));
  const [report] = JSON.parse(r.stdout);
  assert.equal(report.format, 'obj');
  assert.equal(report.triangles, 1000);
  assert.equal(report.selfIntersecting, null);
});

test('warnings and failures are printed in words', async (t) => {
  const dir = tempDir(t);
  // Two tiny triangles far apart: two pieces, open, in no plausible unit.
  const file = join(dir, 'bits.stl');
  writeFileSync(file, 'solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid x\n');
  const r = await run('inspect', '--profile', 'solid', file);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL {2}The model is not closed: 1 opening/);
  assert.match(r.stdout, /warn {2}The model seems to be in cm, not millimetres/);
});

test('usage errors: unknown profile, no file', async () => {
  const bad = await run('inspect', '--profile', 'crown', tooth);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown profile 'crown'/);
  const none = await run('inspect');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /name at least one file/);
  const help = await run('inspect', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Exit status 0 when every file was read and none failed/);
});

test('a file that crosses itself: the command (two threads, the tree built in the welding table\'s memory) reports what the one-thread checks report', async (t) => {
  const dir = tempDir(t);
  // Two teeth through each other, as a binary STL big enough for the second thread
  // (SIDE_MIN_BYTES): thousands of crossing pairs.
  const a = generateToothMesh(60_000, 1);
  const b = generateToothMesh(60_000, 2);
  const moved = b.positions.map((x, i) => (i % 3 === 0 ? x + 3 : i % 3 === 2 ? x + 1 : x));
  const bytes = writeStlBinary(joinMeshes({ positions: a.positions, indices: a.indices }, { positions: moved, indices: b.indices }));
  const file = join(dir, 'crossed.stl');
  writeFileSync(file, bytes);
  assert.ok(2 * bytes.length >= SIDE_MIN_BYTES, `${bytes.length} bytes`);
  // Twice in one command: the second file finds the thread and the scratch buffers in use.
  const r = await run('inspect', '--json', file, file);
  assert.equal(r.status, 1, 'self-intersections fail a scan');
  const expected = inspectMesh((await readMesh({ bytes, name: 'crossed.stl' })).mesh, { profile: 'scan' });
  const reports = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  for (const report of reports) {
    const { file: _file, format: _format, variant: _variant, warnings: _warnings, ...rest } = report;
    assert.deepEqual(rest, JSON.parse(JSON.stringify(expected)));
  }
  assert.ok((expected.selfIntersectingPairs ?? 0) > 1000, `${expected.selfIntersectingPairs} pairs`);
});
