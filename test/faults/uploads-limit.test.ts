// The default 1 GiB upload limit, with real gigabyte-sized bodies: a declared length over it
// is refused at once, a chunked body is cut at the chunk that crosses it. In the fault suite
// (npm run test:faults) for its size and time; the smaller limits are in test/api/uploads.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiStack } from '../helpers/api.js';
import { hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { noise, streamUpload } from '../helpers/upload-stream.js';

const skip = !hasCorpus() && 'no corpus';

/** Temp files of uploads in progress under the stack's data folder. */
function tempFiles(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, 'uploads'));
  } catch {
    return [];
  }
}

test('the default 1 GiB limit: a declared length over it is a 413 at once, a chunked body is cut at the chunk that crosses it', { skip }, async (t) => {
  const api = await apiStack(t);
  assert.equal(api.config.api.maxUploadBytes, 1 << 30);
  const target = { url: api.url, ca: api.ca, token: api.tokens.clinician };
  const declared = await streamUpload(target, 'big.stl', noise(1, (1 << 30) + 1), { size: (1 << 30) + 1 });
  assert.equal(declared.status, 413, JSON.stringify(declared.body));
  assert.match(declared.body.error!.message, /larger than this server accepts \(1073741824 bytes, api\.maxUploadBytes\)/);
  assert.ok(declared.sent < 64 << 20, `refused before the body was read (${declared.sent} bytes sent)`);
  const chunked = await streamUpload(target, 'big.stl', noise(2, (1 << 30) + (4 << 20)));
  assert.equal(chunked.status, 413, JSON.stringify(chunked.body));
  assert.equal(chunked.headers.connection, 'close');
  assert.ok(chunked.sent > 1 << 30, 'the whole limit was read first');
  await until('the temp file removed', () => tempFiles(api.config.dataDir).length === 0 || undefined);
  assert.equal(api.store.scans.count(), 0);
});
