// Upload of a scan by API, through the real ingest: stored, validated, deduplicated; a
// broken file is a 422 with the reader's message; the size limit holds while reading; a
// name with path parts, a wrong media type or an empty body is a clear 4xx; bodies stream
// to temp files that never outlive the request; concurrent uploads are bounded (503).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { noise, streamUpload } from '../helpers/upload-stream.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const LOWER = 'dental/openfulljaw_P26_mandible_tooth24_incisor.stl';
const skip = !hasCorpus() && 'no corpus';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function isError(res: { status: number; body: unknown }, status: number, code: string, pattern: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const { error } = res.body as { error: { code: string; message: string } };
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
}

test('an uploaded corpus scan is stored, validated and audited as the uploader; the same bytes again are a duplicate', { skip }, async (t) => {
  const api = await apiStack(t);
  const c = api.as('integration');
  const integration = `principal:${api.store.principals.getByName('test-integration')!.id}`;
  const first = await c.send('POST', '/scans', { raw: { bytes: corpusBytes(TOOTH), contentType: 'model/stl' }, headers: { 'X-Filename': 'upper.stl' } });
  assert.equal(first.status, 201);
  const { duplicate, scan } = first.body as { duplicate: boolean; scan: { uid: string; jaw: string; status: string; size: number; source: { folder: string; originalName: string } } };
  assert.equal(duplicate, false);
  assert.deepEqual([scan.jaw, scan.status, scan.size, scan.source.folder, scan.source.originalName], ['upper', 'received', corpusBytes(TOOTH).length, 'upload', 'upper.stl']);
  assert.deepEqual(await c.downloadOriginal(scan.uid), corpusBytes(TOOTH), 'stored byte for byte');

  const validated = api.validated(scan.uid);
  api.dispatcher.start();
  assert.equal((await validated).status, 'validated');
  const detail = await c.getScan(scan.uid);
  assert.equal((detail.reports.validation as { triangles: number }).triangles, 28508, 'the manifest triangle count');

  const again = await c.uploadScan(corpusBytes(TOOTH), 'copy of upper.stl');
  assert.deepEqual([again.duplicate, again.scan.uid], [true, scan.uid]);
  assert.equal(api.store.scans.count(), 1);
  assert.deepEqual(api.store.scans.arrivals(api.store.scans.getByUid(scan.uid)!.id).map((a) => [a.originalName, a.duplicate]), [['upper.stl', false], ['copy of upper.stl', true]]);

  const ingest = dbOf(api.store).prepare("SELECT actor, object, source FROM audit_events WHERE action = 'scan.ingest'").all();
  assert.deepEqual(ingest, [{ actor: integration, object: `scan:${scan.uid}`, source: '127.0.0.1' }]);
  const uploads = dbOf(api.store).prepare("SELECT actor, object, source, details FROM audit_events WHERE action = 'scan.upload' ORDER BY seq").all() as Array<{ actor: string; object: string; source: string; details: string }>;
  assert.deepEqual(uploads.map((u) => [u.actor, u.object, u.source, JSON.parse(u.details).duplicate]), [[integration, `scan:${scan.uid}`, '127.0.0.1', false], [integration, `scan:${scan.uid}`, '127.0.0.1', true]]);
});

test('an upload names its patient, jaw and capture date; the patient must exist', { skip }, async (t) => {
  const api = await apiStack(t);
  const c = api.as('clinician');
  const patient = await c.createPatient({ lastName: 'Doe', firstName: 'Jane' });
  const { scan } = await c.uploadScan(corpusBytes(LOWER), 'Smith_John_2025-01-02_upper.stl', { patient: patient.id, jaw: 'lower', capturedAt: '2026-11-20' });
  assert.deepEqual([scan.patient, scan.jaw, scan.capturedAt], [patient.id, 'lower', '2026-11-20'], 'the query wins over what the name says');
  assert.equal((await c.searchPatients()).patients.length, 1, 'no patient made from the file name');
  assert.deepEqual((await c.patientVisits(patient.id)).visits.map((v) => [v.date, v.scans]), [['2026-11-20', 1]]);
  await assert.rejects(c.uploadScan(corpusBytes(TOOTH), 'upper.stl', { patient: 'p_aaaaaaaaaaaaaaaa' }),
    (e: ApiError) => e.status === 400 && /query\.patient: no patient p_aaaaaaaaaaaaaaaa — create it first/.test(e.message));
  isError(await c.send('POST', '/scans', { query: { name: 'u.stl', jaw: 'left' }, raw: { bytes: corpusBytes(TOOTH), contentType: 'model/stl' } }), 400, 'invalid_input', /query\.jaw/);
  isError(await c.send('POST', '/scans', { query: { name: 'u.stl', capturedAt: '20.11.2026' }, raw: { bytes: corpusBytes(TOOTH), contentType: 'model/stl' } }), 400, 'invalid_input', /query\.capturedAt: must be a date like/);
  assert.equal(api.store.scans.count(), 1);
});

test('a file the reader rejects is a 422 with its message, and nothing is stored', { skip }, async (t) => {
  const api = await apiStack(t);
  const c = api.as('clinician');
  await assert.rejects(c.uploadScan(corpusBytes('broken/derived_tooth24_truncated_mid_triangle.stl'), 'lower.stl'),
    (e: ApiError) => e.status === 422 && e.code === 'mesh_rejected' && /truncated/i.test(e.message) && /lower\.stl/.test(e.message));
  await assert.rejects(c.uploadScan(corpusBytes('ply/ply_empty_header.ply'), 'scan.ply'), (e: ApiError) => e.status === 422 && e.code === 'mesh_rejected');
  assert.equal(api.store.scans.count(), 0);
  assert.deepEqual(dbOf(api.store).prepare("SELECT count(*) AS n FROM audit_events WHERE action IN ('scan.ingest', 'scan.upload')").get(), { n: 0 });
});

test('upload input errors: names with path parts, wrong media types, compressed or empty bodies', { skip }, async (t) => {
  const api = await apiStack(t);
  const c = api.as('clinician');
  const bytes = corpusBytes('stl/7_8ths_cube.stl');
  const up = (headers: Record<string, string>, query: Record<string, string> = {}, contentType = 'application/octet-stream', body: Uint8Array = bytes) =>
    c.send('POST', '/scans', { query, headers, raw: { bytes: body, contentType } });
  for (const name of ['../x.stl', 'a/b.stl', 'a\\b.stl', '..', 'a\u0000b.stl', 'a\nb.stl']) {
    isError(await up({}, { name }), 400, 'invalid_input', /plain name like upper\.stl — no folders/);
    isError(await up({ 'X-Filename': encodeURIComponent(name) }), 400, 'invalid_input', /plain name like upper\.stl/);
  }
  isError(await up({ 'X-Filename': '..%2Fx.stl' }), 400, 'invalid_input', /no folders/);
  isError(await up({ 'X-Filename': '%E0%A4%A.stl' }), 400, 'invalid_input', /not valid percent-encoding/);
  isError(await up({ 'X-Filename': `${'x'.repeat(300)}.stl` }), 400, 'invalid_input', /longer than 255 bytes/);
  isError(await up({}), 400, 'invalid_input', /name the file/);
  isError(await up({ 'X-Filename': 'u.stl' }, {}, 'application/json'), 415, 'unsupported_media_type', /raw bytes/);
  isError(await up({ 'X-Filename': 'u.stl' }, {}, 'multipart/form-data; boundary=x'), 415, 'unsupported_media_type', /application\/octet-stream/);
  isError(await up({ 'X-Filename': 'u.stl', 'Content-Encoding': 'gzip' }), 415, 'unsupported_media_type', /uncompressed/);
  isError(await up({ 'X-Filename': 'u.stl' }, {}, 'application/octet-stream', new Uint8Array(0)), 400, 'invalid_input', /body is empty/);
  isError(await up({ 'X-Filename': 'u.stl' }, { owner: 'me' }), 400, 'invalid_input', /unknown field owner/);
  isError(await api.as('auditor').send('POST', '/scans', { query: { name: 'u.stl' }, raw: { bytes, contentType: 'model/stl' } }), 403, 'forbidden', /auditor/);
  const name = 'Ünterkiefer 100%.stl';
  const ok = await c.uploadScan(bytes, name);
  assert.equal(ok.scan.source.originalName, name, 'a non-ASCII name with a % survives X-Filename');
  assert.equal(api.store.scans.count(), 1);
});

test('the size limit is enforced while reading: a declared length over it and a chunked body crossing it are 413s', { skip }, async (t) => {
  const api = await apiStack(t);
  api.config.api.maxUploadBytes = 10_000;
  const c = api.as('clinician');
  await assert.rejects(c.uploadScan(Buffer.alloc(20_000, 1), 'big.stl'),
    (e: ApiError) => e.status === 413 && e.code === 'payload_too_large' && /larger than this server accepts \(10000 bytes/.test(e.message));

  // Chunked, no length: the answer comes after the chunk that crosses the limit, while the
  // client has not finished sending (it never does here).
  const answer = await new Promise<{ status: number; body: { error: { code: string; message: string } }; connection?: string }>((resolve, reject) => {
    const url = new URL(api.url);
    const req = request({
      host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/scans?name=big.stl', ca: api.ca,
      headers: { Authorization: `Bearer ${api.tokens.clinician}`, 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' },
    }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode!, body: JSON.parse(text), connection: res.headers.connection });
        req.destroy();
      });
    });
    req.on('error', (err) => reject(err));
    req.write(Buffer.alloc(8_000, 2));
    setTimeout(() => req.write(Buffer.alloc(8_000, 3)), 50);
  });
  assert.equal(answer.status, 413);
  assert.equal(answer.body.error.code, 'payload_too_large');
  assert.equal(answer.connection, 'close', 'the rest of the upload is not waited for');
  assert.equal(api.store.scans.count(), 0);

  api.config.api.maxUploadBytes = 2_000_000;
  const small = await c.uploadScan(corpusBytes(TOOTH), 'upper.stl');
  assert.equal(small.duplicate, false, 'within the limit the same server takes the file');
});

/** Temp files of uploads in progress under the stack's data folder. */
function tempFiles(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, 'uploads'));
  } catch {
    return [];
  }
}

test('uploads stream to a private temp file, at most api.maxConcurrentUploads at once: one more is a 503 before its body is read', { skip }, async (t) => {
  const api = await apiStack(t);
  api.config.api.maxConcurrentUploads = 2;
  const target = { url: api.url, ca: api.ca, token: api.tokens.clinician };
  let go!: () => void;
  const pause = new Promise<void>((resolve) => (go = resolve));
  // Two slow uploads: half of each file sent, then the clients wait.
  const halves = (bytes: Buffer) => [bytes.subarray(0, bytes.length >> 1), bytes.subarray(bytes.length >> 1)];
  const slow = [TOOTH, LOWER].map((file, i) => streamUpload(target, `slow-${i}.stl`, halves(corpusBytes(file)), { pauseAfter: 1, pause }));
  await until('two uploads holding their slots', () => tempFiles(api.config.dataDir).length === 2 || undefined);
  for (const name of tempFiles(api.config.dataDir)) assert.equal(statSync(join(api.config.dataDir, 'uploads', name)).mode & 0o777, 0o600, 'the temp file is private');

  const refused = await streamUpload(target, 'third.stl', noise(3, 64 << 20), { size: 64 << 20 });
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  assert.equal(refused.body.error?.code, 'unavailable');
  assert.match(refused.body.error!.message, /^2 uploads are running, as many as this server takes at once \(api\.maxConcurrentUploads\) — send the file again in 30 seconds$/);
  assert.equal(refused.headers['retry-after'], '30');
  assert.equal(refused.headers.connection, 'close', 'the client is told to stop sending');

  go();
  const done = await Promise.all(slow);
  assert.deepEqual(done.map((r) => r.status), [201, 201]);
  assert.deepEqual(done.map((r) => r.sha256), [sha256(corpusBytes(TOOTH)), sha256(corpusBytes(LOWER))]);
  assert.deepEqual(await api.as('clinician').downloadOriginal(done[0].body.scan!.uid), corpusBytes(TOOTH), 'stored byte for byte');
  assert.deepEqual(tempFiles(api.config.dataDir), [], 'temp files removed after success');
  const third = await streamUpload(target, 'third.stl', [corpusBytes('stl/7_8ths_cube.stl')]);
  assert.equal(third.status, 201, 'the slots are free again');
  assert.equal(api.store.scans.count(), 3);
});

test('a client that disconnects mid-upload leaves no temp file, nothing stored, and its slot free', { skip }, async (t) => {
  const api = await apiStack(t);
  api.config.api.maxConcurrentUploads = 1;
  const target = { url: api.url, ca: api.ca, token: api.tokens.clinician };
  const gone = await streamUpload(target, 'upper.stl', noise(7, 256 << 20), { size: 256 << 20, abortAfter: 16 << 20 });
  assert.equal(gone.status, 0);
  await until('the temp file removed', () => tempFiles(api.config.dataDir).length === 0 || undefined);
  assert.equal(api.store.scans.count(), 0);
  const next = await streamUpload(target, 'upper.stl', [corpusBytes(TOOTH)]);
  assert.equal(next.status, 201, `the one slot is free again: ${JSON.stringify(next.body)}`);
  assert.deepEqual(tempFiles(api.config.dataDir), []);
});
