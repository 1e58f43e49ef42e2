import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { decode } from 'fast-png';
import { main } from '../../daemon/main.js';
import { readMeshSync } from '../../src/mesh/read/index.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { assertValidGltf } from '../helpers/gltf-valid.js';
import { tempDir } from '../helpers/temp.js';
import { addNoise, cut, longAxis, moved, pushPatch, randomMotion, tooth } from '../mesh/analysis/ground-truth.js';

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

const MOLAR = 'openfulljaw_P26_maxilla_tooth14_molar.stl';

/** OLD and NEW visits of the molar as STL files: NEW moved 15°/4 mm, a 0.3 mm bump, noise, cut shorter. */
function visitFiles(dir: string): { oldFile: string; newFile: string } {
  const whole = tooth(MOLAR);
  const { axis, center, length } = longAxis(whole);
  const old = cut(whole, axis, center, -0.1 * length).mesh;
  const bump = pushPatch(cut(whole, axis, center, 0.05 * length).mesh, 100, 1.5, 0.3).mesh;
  const fresh = moved(addNoise(bump, 0.01, 5), randomMotion(5, 15, 4, center));
  const oldFile = join(dir, 'old.stl');
  const newFile = join(dir, 'new.stl');
  writeFileSync(oldFile, writeStlBinary(old));
  writeFileSync(newFile, writeStlBinary(fresh));
  return { oldFile, newFile };
}

test('compare two visits: a readable summary naming the moved region', { skip: !hasCorpus() }, async (t) => {
  const { oldFile, newFile } = visitFiles(tempDir(t));
  const r = await run('compare', oldFile, newFile);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /aligned: turned 1[45]\.\d\d°, moved \d\.\d\d mm; unchanged parts fit to 0\.0[01]\d mm RMS/);
  assert.match(r.stdout, /overlap: 100\.0% of the new scan/);
  // The old scan reaches further (cut lower): that part is reported, not measured.
  const notCompared = /not compared \(no counterpart on the other scan, grey on the map\): (\d+\.\d) mm² of the new scan, (\d+\.\d) mm² of the old/.exec(r.stdout);
  assert.ok(notCompared, r.stdout);
  assert.ok(Number(notCompared[1]) < 1 && Number(notCompared[2]) > 1, notCompared[0]);
  assert.match(r.stdout, /1\. outward 1\d\.\d mm², peak \+0\.3\d\d mm/);
  assert.equal(r.stderr, '');
});

test('--json, --png and --glb: the result with stable fields, a heat map, a coloured GLB', { skip: !hasCorpus() }, async (t) => {
  const dir = tempDir(t);
  const { oldFile, newFile } = visitFiles(dir);
  const png = join(dir, 'map.png');
  const glb = join(dir, 'map.glb');
  const r = await run('compare', oldFile, newFile, '--json', '--png', png, '--glb', glb);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  for (const key of ['transform', 'residualMm', 'iterations', 'overlap', 'stats', 'regions', 'back']) assert.ok(key in result, key);
  assert.equal(result.transform.length, 16);
  assert.deepEqual(Object.keys(result.stats.areaOver), ['0.1', '0.2', '0.5']);
  assert.equal(result.regions.length, 1);
  for (const key of ['areaMm2', 'meanMm', 'maxMm', 'centroid', 'vertices']) assert.ok(key in result.regions[0], key);
  const image = decode(readFileSync(png));
  assert.equal(image.width, 512);
  const mesh = readMeshSync({ bytes: readFileSync(glb), name: 'map.glb' }).mesh;
  assert.ok(mesh.colors && mesh.colors.length > 0);
  await assertValidGltf(readFileSync(glb), 'cusp compare --glb');
});

test('a scan compared with itself: nothing moved; --no-register measures in place', { skip: !hasCorpus() }, async () => {
  const file = corpusPath(`dental/${MOLAR}`);
  const r = await run('compare', file, file, '--json', '--no-register');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.stats.max, 0);
  assert.equal(result.overlap, 1);
  assert.deepEqual(result.regions, []);
  assert.deepEqual(result.transform, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
});

test('usage errors exit 2; a missing file is one line and exit 1, and no picture is left behind', async (t) => {
  const dir = tempDir(t);
  const one = await run('compare', 'a.stl');
  assert.equal(one.status, 2);
  assert.match(one.stderr, /compare needs OLD and NEW/);
  const png = join(dir, 'x.png');
  const missing = await run('compare', join(dir, 'nope.stl'), join(dir, 'nope2.stl'), '--png', png);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^cusp compare: cannot read .*nope\.stl: no such file\n$/);
  assert.equal(existsSync(png), false);
});
