// Converted downloads (in a worker, then kept), derived artifacts, and signed links for
// viewers without a token — through the typed client against the real server.
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { ApiError } from '../../src/api/client.js';
import { readMesh } from '../../src/mesh/read/index.js';
import { linkPath, linkSecret } from '../../src/security/signed-links.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { dbOf } from '../helpers/db.js';

const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const skip = !hasCorpus() && 'no corpus';

function isError(res: { status: number; body: unknown }, status: number, code: string, pattern: RegExp): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const { error } = res.body as { error: { code: string; message: string } };
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
}

async function withTooth(t: Parameters<typeof apiStack>[0]) {
  const api = await apiStack(t);
  const { scan } = await api.ingest.ingestBytes({ bytes: corpusBytes(TOOTH), name: 'upper.stl', actor: 'system', source: 'import' });
  return { api, scan };
}

test('a scan converts to GLB, PLY, OBJ and STL with the same triangles; the conversion is kept and served again', { skip }, async (t) => {
  const { api, scan } = await withTooth(t);
  const c = api.as('clinician');
  const res = await c.send('GET', `/scans/${scan.uid}/converted`, { query: { format: 'glb' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'model/gltf-binary');
  assert.match(String(res.headers['content-disposition']), /filename="upper\.glb"/);
  const glb = res.body as Buffer;
  assert.equal(glb.toString('latin1', 0, 4), 'glTF');
  assert.equal((await readMesh({ bytes: glb, name: 'upper.glb' })).mesh.indices.length / 3, 28508, 'the manifest triangle count');

  const kept = api.store.artifacts.get(scan.id, 'converted:glb')!;
  assert.equal(kept.mediaType, 'model/gltf-binary');
  assert.deepEqual(api.store.blobs.get(kept.blobHash), glb);
  // Swap the kept file: a second download that shows the swap was served from the store, not converted again.
  const marker = api.store.blobs.put(Buffer.from('kept conversion'));
  api.store.artifacts.put(scan.id, 'converted:glb', 'model/gltf-binary', marker.hash);
  assert.equal((await c.downloadConverted(scan.uid, 'glb')).toString(), 'kept conversion');

  const ply = await c.downloadConverted(scan.uid, 'ply', { ascii: true });
  assert.match(ply.toString('latin1', 0, 30), /^ply\nformat ascii 1\.0\n/);
  assert.equal((await readMesh({ bytes: ply, name: 'x.ply' })).mesh.indices.length / 3, 28508);
  const obj = await c.downloadConverted(scan.uid, 'obj');
  assert.equal((await readMesh({ bytes: obj, name: 'x.obj' })).mesh.indices.length / 3, 28508);
  const stl = await c.downloadConverted(scan.uid, 'stl', { ascii: true });
  assert.match(stl.toString('latin1', 0, 6), /^solid /);
  assert.deepEqual(api.store.artifacts.forScan(scan.id).map((a) => a.kind).sort(), ['converted:glb', 'converted:obj', 'converted:ply-ascii', 'converted:stl-ascii']);

  const clinician = `principal:${api.store.principals.getByName('test-clinician')!.id}`;
  const events = dbOf(api.store).prepare("SELECT actor, object, source, details FROM audit_events WHERE action = 'scan.download' ORDER BY seq").all() as Array<{ actor: string; object: string; source: string; details: string }>;
  assert.deepEqual(events.map((e) => [e.actor, e.object, e.source, JSON.parse(e.details).what]), [
    [clinician, `scan:${scan.uid}`, '127.0.0.1', 'converted:glb'], [clinician, `scan:${scan.uid}`, '127.0.0.1', 'converted:glb'],
    [clinician, `scan:${scan.uid}`, '127.0.0.1', 'converted:ply-ascii'], [clinician, `scan:${scan.uid}`, '127.0.0.1', 'converted:obj'],
    [clinician, `scan:${scan.uid}`, '127.0.0.1', 'converted:stl-ascii'],
  ]);
});

test('an OBJ with materials and textures converts with its stored siblings; as OBJ it comes as a zip with its .mtl', { skip }, async (t) => {
  const api = await apiStack(t);
  cpSync(corpusPath('obj/spider'), join(api.inbox, 'spider'), { recursive: true });
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, 'spider', 'spider.obj'), relativePath: 'spider/spider.obj', firstSeenMs: Date.now() });
  assert.equal(outcome.kind, 'stored');
  const scan = (outcome as { scans: Array<{ uid: string }> }).scans[0];
  const c = api.as('integration');
  const source = await readMesh({ bytes: corpusBytes('obj/spider/spider.obj'), name: 'spider.obj', resolve: (uri) => (uri === 'spider.mtl' ? corpusBytes('obj/spider/spider.mtl') : undefined) });
  const glb = await readMesh({ bytes: await c.downloadConverted(scan.uid, 'glb'), name: 'spider.glb' });
  assert.equal(glb.mesh.indices.length, source.mesh.indices.length);
  assert.equal(glb.mesh.materials?.length, source.mesh.materials?.length, 'materials came from the stored .mtl');
  const res = await c.send('GET', `/scans/${scan.uid}/converted`, { query: { format: 'obj' } });
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(String(res.headers['content-disposition']), /filename="spider\.zip"/);
  const files = unzipSync(res.body as Buffer);
  assert.deepEqual(Object.keys(files).sort(), ['spider.mtl', 'spider.obj']);
  assert.match(Buffer.from(files['spider.obj']).toString('latin1', 0, 200), /mtllib spider\.mtl/);
});

test('converted and artifact downloads: bad formats, rejected scans and missing artifacts are clear 4xx', { skip }, async (t) => {
  const { api, scan } = await withTooth(t);
  const c = api.as('clinician');
  const conv = (query: Record<string, string>) => c.send('GET', `/scans/${scan.uid}/converted`, { query });
  isError(await conv({ format: 'fbx' }), 400, 'invalid_input', /query\.format: must be one of stl, ply, obj, glb/);
  isError(await conv({}), 400, 'invalid_input', /query\.format/);
  isError(await conv({ format: 'glb', ascii: 'true' }), 400, 'invalid_input', /ascii: applies to stl and ply only/);
  isError(await conv({ format: 'stl', ascii: 'yes' }), 400, 'invalid_input', /query\.ascii: must be true or false/);
  isError(await conv({ format: 'stl', quality: 'high' }), 400, 'invalid_input', /unknown field quality/);
  isError(await c.send('GET', '/scans/6f1c2d0e-0000-4000-8000-000000000000/converted', { query: { format: 'stl' } }), 404, 'not_found', /no scan/);
  isError(await api.as('auditor').send('GET', `/scans/${scan.uid}/converted`, { query: { format: 'stl' } }), 403, 'forbidden', /auditor/);

  isError(await c.send('GET', `/scans/${scan.uid}/artifacts/thumbnail`), 404, 'not_found', /has no thumbnail \(not made yet/);
  const png = Buffer.from('\x89PNG\r\n\x1a\n-not-a-real-image', 'latin1');
  api.store.artifacts.put(scan.id, 'thumbnail', 'image/png', api.store.blobs.put(png).hash);
  const res = await c.send('GET', `/scans/${scan.uid}/artifacts/thumbnail`);
  assert.deepEqual([res.status, res.headers['content-type'], res.body], [200, 'image/png', png]);
  assert.match(String(res.headers['content-disposition']), /filename="upper\.thumbnail\.png"/);
  isError(await c.send('GET', `/scans/${scan.uid}/artifacts/..%2F..%2Fetc%2Fpasswd`), 400, 'invalid_input', /path\.kind: must be an artifact kind/);
  isError(await c.send('GET', `/scans/${scan.uid}/artifacts/Thumb%00`), 400, 'invalid_input', /path\.kind/);

  api.store.scans.setStatus(scan.id, 'rejected', null, 'upper.stl has 3 triangles facing inward');
  isError(await conv({ format: 'ply' }), 422, 'mesh_rejected', /was rejected when checked, so it cannot be converted: upper\.stl has 3 triangles/);
});

test('signed links: a viewer downloads without a token; altered, expired or orphaned links are refused and audited', { skip }, async (t) => {
  const { api, scan } = await withTooth(t);
  const c = api.as('clinician');
  const viewer = api.as(null);
  const clinicianId = api.store.principals.getByName('test-clinician')!.id;

  const link = await c.createLink(scan.uid, 'converted:glb', 60);
  assert.match(link.url, new RegExp(`^/api/v1/links/${scan.uid}/converted%3Aglb\\?exp=\\d+&by=principal%3A${clinicianId}&sig=[\\w-]{43}$`));
  assert.ok(Math.abs(Date.parse(link.expiresAt) - Date.now() - 60_000) < 5_000);
  const glb = await viewer.openLink(link.url);
  assert.equal((await readMesh({ bytes: glb, name: 'x.glb' })).mesh.indices.length / 3, 28508);
  assert.deepEqual(await viewer.openLink((await c.createLink(scan.uid, 'original')).url), corpusBytes(TOOTH));
  const used = dbOf(api.store).prepare("SELECT actor, object, source, details FROM audit_events WHERE action = 'scan.download' ORDER BY seq").all() as Array<{ actor: string; object: string; source: string; details: string }>;
  assert.deepEqual(used.map((e) => [e.actor, e.object, e.source, JSON.parse(e.details)]), [
    [`principal:${clinicianId}`, `scan:${scan.uid}`, '127.0.0.1', { what: 'converted:glb', via: 'signed-link' }],
    [`principal:${clinicianId}`, `scan:${scan.uid}`, '127.0.0.1', { what: 'original', via: 'signed-link' }],
  ], 'a link is used in the name of the principal who made it');
  assert.deepEqual(dbOf(api.store).prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'scan.link.create'").get(), { n: 2 });

  const refused = async (url: string, pattern: RegExp) => {
    await assert.rejects(viewer.openLink(url), (e: ApiError) => e.status === 403 && e.code === 'forbidden' && pattern.test(e.message));
  };
  const u = new URL(link.url, 'https://x');
  const sig = u.searchParams.get('sig')!;
  await refused(link.url.replace(`sig=${sig}`, `sig=${sig.slice(0, 10)}${sig[10] === 'x' ? 'y' : 'x'}${sig.slice(11)}`), /signature does not match/);
  await refused(link.url.replace('converted%3Aglb', 'original'), /signature does not match/);
  await refused(link.url.replace(/exp=\d+/, `exp=${Number(u.searchParams.get('exp')) + 3600}`), /signature does not match/);
  await refused(link.url.replace(`by=principal%3A${clinicianId}`, 'by=local-admin'), /signature does not match/);
  const expired = linkPath(linkSecret(api.store.meta), { uid: scan.uid, what: 'original', exp: Math.floor(Date.now() / 1000) - 1, by: `principal:${clinicianId}` });
  await refused(expired, /this link expired at .* ask for a new link/);
  dbOf(api.store).prepare('UPDATE principals SET disabled = 1 WHERE id = ?').run(clinicianId);
  await refused(link.url, /the account that made it is disabled or gone/);
  const denied = dbOf(api.store).prepare("SELECT actor, outcome, source FROM audit_events WHERE action = 'link.denied'").all();
  assert.equal(denied.length, 6);
  assert.deepEqual(denied[0], { actor: 'anonymous', outcome: 'denied', source: '127.0.0.1' });

  isError(await viewer.send('GET', `/links/${scan.uid}/original`), 400, 'invalid_input', /query\.exp/);
  isError(await viewer.send('GET', `/links/${scan.uid}/original`, { query: { exp: '1', by: 'root', sig: 'x'.repeat(43) } }), 400, 'invalid_input', /query\.by/);
  const admin = api.as('admin');
  isError(await admin.send('POST', `/scans/${scan.uid}/links`, { body: { what: 'original', ttlSeconds: 7200 } }), 400, 'invalid_input', /body\.ttlSeconds: must be at most 3600 seconds/);
  isError(await admin.send('POST', `/scans/${scan.uid}/links`, { body: { what: '../../etc/passwd' } }), 400, 'invalid_input', /body\.what/);
  isError(await admin.send('POST', `/scans/${scan.uid}/links`, { body: { what: 'heatmap' } }), 404, 'not_found', /has no heatmap \(not made yet\)/);
  isError(await admin.send('POST', `/scans/${scan.uid}/links`, { body: { what: 'original', ttlSeconds: '60' } }), 400, 'invalid_input', /body\.ttlSeconds/);
  isError(await api.as('auditor').send('POST', `/scans/${scan.uid}/links`, { body: { what: 'original' } }), 403, 'forbidden', /auditor/);
  const fromSocket = await api.local.createLink(scan.uid, 'original', 30);
  assert.deepEqual(await viewer.openLink(fromSocket.url), corpusBytes(TOOTH), 'the local administrator makes links too');
});
