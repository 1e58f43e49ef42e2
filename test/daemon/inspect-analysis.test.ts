import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../daemon/main.js';
import { vertexNormals } from '../../src/mesh/analysis/surface.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';
import { tooth } from '../mesh/analysis/ground-truth.js';
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

/** A crown-like shell of the incisor with a 0.3 mm wall, as an STL file. */
function thinShell(dir: string): string {
  const outer = tooth('openfulljaw_P26_mandible_tooth24_incisor.stl');
  const normals = vertexNormals(outer.positions, outer.indices);
  const inner = outer.positions.map((x, i) => x - 0.3 * normals[i]);
  const flipped = outer.indices.slice();
  for (let t = 0; t < flipped.length; t += 3) [flipped[t + 1], flipped[t + 2]] = [flipped[t + 2], flipped[t + 1]];
  const file = join(dir, 'shell.stl');
  writeFileSync(file, writeStlBinary(joinMeshes(outer, { positions: inner, indices: flipped })));
  return file;
}

test('inspect --analyse --json: a 0.3 mm shell is thin all over, with its thin patches', { skip: !hasCorpus() }, async (t) => {
  const file = thinShell(tempDir(t));
  const r = await run('inspect', file, '--analyse', '--json', '--profile', 'solid', '--no-self-intersection');
  const [entry] = JSON.parse(r.stdout);
  const { thickness, thinRegions } = entry.analysis;
  assert.equal(thickness.limitMm, 0.5);
  assert.ok(Math.abs(thickness.p5Mm - 0.3) < 0.01, `p5 ${thickness.p5Mm}`);
  assert.ok(thickness.thinAreaMm2 > 0.95 * entry.area, `${thickness.thinAreaMm2} of ${entry.area}`);
  assert.ok(thinRegions.length >= 1 && thinRegions[0].maxMm < 0.3);
});

test('inspect --analyse prints the thickness under the checks; --min-wall moves the limit', { skip: !hasCorpus() }, async () => {
  const molar = corpusPath('dental/openfulljaw_P26_maxilla_tooth14_molar.stl');
  const r = await run('inspect', molar, '--analyse', '--profile', 'solid');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /self-intersecting pairs 0\n {2}thickness: thinnest 0\.\d\d mm, 5% under 1\.\d\d mm, mean 6\.\d\d mm\n {2}thinner than 0\.5 mm: 0\.0 mm² in 0 patches\n/);
  const strict = await run('inspect', molar, '--analyse', '--min-wall', '2', '--profile', 'solid');
  assert.match(strict.stdout, /thinner than 2 mm: [1-9]\d\.\d mm² in \d+ patch/);
  assert.match(strict.stdout, /\n {4}1\. \d+\.\d mm², thinnest 0\.\d\d mm, at \(/);
  const plain = await run('inspect', molar);
  assert.doesNotMatch(plain.stdout, /thickness/);
});

test('--min-wall must be a positive number of mm', { skip: !hasCorpus() }, async () => {
  for (const bad of ['0', 'thin', '--min-wall=-1']) {
    const args = bad.startsWith('--') ? [bad] : ['--min-wall', bad];
    const r = await run('inspect', corpusPath('dental/openfulljaw_P26_mandible_tooth24_incisor.stl'), '--analyse', ...args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^cusp inspect: --min-wall takes a positive number of mm, not '(0|thin|-1)'\n$/);
  }
});
