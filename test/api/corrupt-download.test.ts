// A scan whose stored bytes no longer match their SHA-256: the download answers a clear
// `storage_corrupt` error (500, the JSON error shape) before the first byte, naming the
// scan and what to do; the error is logged with the scan's uid and no file name; the
// integrity state turns corrupt; another scan still downloads byte for byte.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { IntegrityChecker } from '../../src/store/integrity.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';

test('the download of a corrupt scan answers storage_corrupt, names the scan, logs it, and marks the database corrupt', { skip }, async (t) => {
  let integrity: IntegrityChecker | undefined;
  const api = await apiStack(t, {
    services: (s) => {
      integrity = new IntegrityChecker({ path: s.store.path, key: () => randomBytes(32), log: s.captured.logging.logger('store'), intervalMs: 0, firstAfterMs: 0 });
      return { integrity };
    },
  });
  const ingest = (file: string, name: string) => api.ingest.ingestBytes({ bytes: corpusBytes(file), name, actor: 'system', source: 'import' });
  const { scan: bad } = await ingest('dental/openfulljaw_P26_maxilla_tooth14_molar.stl', 'Geheim_Gustav_2026-11-20_upper.stl');
  const { scan: good } = await ingest('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl', 'Offen_Olga_2026-11-20_upper.stl');
  const { chunk_hash: chunk } = dbOf(api.store).prepare('SELECT chunk_hash FROM blob_chunks WHERE blob_hash = ? AND seq = 1').get(bad.sha256) as { chunk_hash: string };
  const { data } = dbOf(api.store).prepare('SELECT data FROM chunks WHERE hash = ?').get(chunk) as { data: Buffer };
  data[77] ^= 0x40;
  dbOf(api.store).prepare('UPDATE chunks SET data = ? WHERE hash = ?').run(data, chunk);

  const c = api.as('clinician');
  const res = await c.send('GET', `/scans/${bad.uid}/original`);
  assert.equal(res.status, 500, 'an error, not an empty or cut-off reply');
  const { error } = res.body as { error: { code: string; message: string } };
  assert.equal(error.code, 'storage_corrupt');
  assert.match(error.message, new RegExp(`^the stored bytes of scan ${bad.uid} are corrupt \\(chunk 1 does not match its SHA-256\\) — restore the database from a backup \\(cusp restore FILE\\); other scans are not affected$`));

  const errors = api.captured.lines().filter((l) => l.level === 'error');
  assert.ok(errors.some((l) => String(l.msg).includes(bad.uid)), `an error line names the scan: ${JSON.stringify(errors)}`);
  assert.ok(!api.captured.text().includes('Geheim'), 'no patient name in the log');
  assert.equal(integrity!.status.state, 'corrupt');
  assert.deepEqual(integrity!.status.corruptScans, [bad.uid]);

  const ok = await c.send('GET', `/scans/${good.uid}/original`);
  assert.equal(ok.status, 200);
  assert.equal(createHash('sha256').update(ok.body as Buffer).digest('hex'), good.sha256);
});
