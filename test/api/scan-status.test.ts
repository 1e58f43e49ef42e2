// The status lifecycle as a client sees it: `status=validated` keeps finding a scan once its
// analyses are done (analysed is a later stage of validated), and a fail verdict says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';

/** A binary STL of triangles given as 9 numbers each. */
function stl(triangles: number[][]): Buffer {
  const out = Buffer.alloc(84 + 50 * triangles.length);
  out.writeUInt32LE(triangles.length, 80);
  triangles.forEach((t, i) => t.forEach((v, j) => out.writeFloatLE(v, 84 + 50 * i + 12 + 4 * j)));
  return out;
}

test('status=validated finds scans whose analyses are done; status=analysed only those; a fail verdict has its reason', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const c = api.as('integration');
  const { scan: good } = await api.ingest.ingestBytes({ bytes: corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), name: 'Doe_Jane_2026-11-20_upper.stl', actor: 'system', source: 'import' });
  // Three triangles on one edge: the surface branches, a fail for any scan.
  const branching = stl([[0, 0, 0, 10, 0, 0, 0, 10, 0], [0, 0, 0, 10, 0, 0, 0, -10, 0], [0, 0, 0, 10, 0, 0, 0, 0, 10]]);
  const { scan: bad } = await api.ingest.ingestBytes({ bytes: branching, name: 'Doe_Jane_2026-11-20_lower.stl', actor: 'system', source: 'import' });
  api.dispatcher.notify();
  await until('both analysed', () => [good, bad].every((x) => api.store.scans.get(x.id)!.status === 'analysed'), 120_000);

  const validated = await c.listScans({ status: 'validated' });
  assert.deepEqual(validated.scans.map((x) => x.uid).sort(), [good.uid, bad.uid].sort(), 'validated includes analysed scans');
  assert.deepEqual((await c.listScans({ status: 'analysed' })).scans.length, 2);
  assert.deepEqual((await c.listScans({ status: 'received' })).scans, []);
  const failed = (await c.listScans({ verdict: 'fail' })).scans;
  assert.deepEqual(failed.map((x) => [x.uid, x.verdict]), [[bad.uid, 'fail']]);
  assert.match(failed[0].reason ?? '', /shared by three or more triangles/, 'the reason of a fail verdict');
  assert.equal(validated.scans.find((x) => x.uid === good.uid)!.reason, null, 'an ok verdict needs no reason');
});
