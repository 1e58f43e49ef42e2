// Photos through the API on the real stack (SQLCipher store, Koa over HTTPS, the image job
// in a real worker thread): upload, measured in the worker, served without GPS, thumbnail,
// quality verdicts, roles, GDPR export and erasure, legal hold, deletion.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import exifr from 'exifr';
import { unzipSync } from 'fflate';
import { decode as decodeJpeg } from 'jpeg-js';
import { gridStl } from '../faults/grid-stl.js';
import { apiStack } from '../helpers/api.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { blur, jpeg, png, toothPhoto, withExif } from './photos.js';
import { dbOf } from '../helpers/db.js';

type ImageDto = {
  uid: string; patient: string | null; visit: number | null; kind: string; kindSource: string; status: string; capturedAt: string | null;
  capturedAtSource: string | null; camera: { make: string | null; model: string | null }; hadLocation: boolean; width: number | null;
  height: number | null; sha256: string; size: number; thumbnail: boolean; quality: { verdict: string; figures: Record<string, number> } | null;
  source: { folder: string | null; originalName: string };
};

const GPS_FACTS = {
  dateTimeOriginal: '2026:11:20 10:31:02', offset: '+01:00', make: 'Canon', model: 'EOS R6',
  gps: { latitude: 47.3769, longitude: 8.5417 }, artist: 'Anna Meier',
};

async function upload(api: Awaited<ReturnType<typeof apiStack>>, bytes: Uint8Array, name: string, query: Record<string, string> = {}, type = 'image/jpeg') {
  const qs = new URLSearchParams({ name, ...query }).toString();
  return api.as('clinician').send('POST', `/images?${qs}`, { raw: { bytes, contentType: type } });
}

async function measured(api: Awaited<ReturnType<typeof apiStack>>, uid: string): Promise<ImageDto> {
  return until(`image ${uid} measured`, async () => {
    const res = await api.as('clinician').send('GET', `/images/${uid}`);
    const body = res.body as ImageDto;
    return body.status !== 'received' && body;
  });
}

test('an uploaded photo is stored byte for byte, measured in a worker, and served without GPS, camera or names', async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const patient = (await api.as('clinician').send('POST', '/patients', { body: { lastName: 'Meier', firstName: 'Anna' } })).body as { id: string };
  const original = withExif(jpeg(toothPhoto(1200, 900, 11)), GPS_FACTS);
  const res = await upload(api, original, 'Meier_Anna_frontal.jpg', { patient: patient.id });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const { image } = res.body as { image: ImageDto };
  assert.equal(image.kind, 'frontal');
  assert.equal(image.kindSource, 'name');
  assert.equal(image.patient, patient.id);
  assert.ok(image.visit !== null, 'the upload made a visit of the patient');

  const done = await measured(api, image.uid);
  assert.equal(done.status, 'measured');
  assert.equal(done.capturedAt, '2026-11-20T10:31:02+01:00', 'EXIF capture time, with its offset');
  assert.equal(done.capturedAtSource, 'exif');
  assert.deepEqual(done.camera, { make: 'Canon', model: 'EOS R6' });
  assert.equal(done.hadLocation, true);
  assert.deepEqual([done.width, done.height], [1200, 900]);
  assert.equal(done.quality?.verdict, 'ok', JSON.stringify(done.quality));

  // Stored as it arrived (GPS and all), byte for byte.
  const stored = api.store.images.getByUid(image.uid)!;
  assert.deepEqual(new Uint8Array(api.store.blobs.get(stored.sha256)!), original);

  // Served without position, camera or names.
  const file = await api.as('clinician').send('GET', `/images/${image.uid}/file`);
  assert.equal(file.status, 200);
  assert.equal(file.headers['content-type'], 'image/jpeg');
  assert.doesNotMatch(String(file.headers['content-disposition']), /Meier/, 'the download is named by uid, not by the file name');
  const served = file.body as Buffer;
  const exif = await exifr.parse(served, { gps: true, tiff: true, exif: true }) as Record<string, unknown> | undefined;
  assert.equal(exif?.latitude, undefined, 'no GPS in the served copy');
  assert.equal(exif?.Make, undefined);
  assert.equal(served.includes(Buffer.from('Anna Meier')), false);
  assert.equal(decodeJpeg(served, { useTArray: true }).width, 1200, 'still the whole photo');

  const thumb = await api.as('clinician').send('GET', `/images/${image.uid}/thumbnail`);
  assert.equal(thumb.status, 200);
  const small = decodeJpeg(thumb.body as Buffer, { useTArray: true });
  assert.deepEqual([small.width, small.height], [320, 240], 'a thumbnail that decodes, longer side 320');
  assert.equal(await exifr.parse(thumb.body as Buffer, { gps: true }).catch(() => undefined), undefined, 'no metadata in the thumbnail');

  // The visit lists it; every read is audited with the patient's pseudonymous id.
  const listed = await api.as('integration').send('GET', `/visits/${image.visit}/images`);
  assert.deepEqual((listed.body as { images: ImageDto[] }).images.map((i) => i.uid), [image.uid]);
  const actions = dbOf(api.store).prepare("SELECT action, json_extract(details, '$.patient') AS patient FROM audit_events WHERE action LIKE 'image.%' ORDER BY seq").all() as Array<{ action: string; patient: string | null }>;
  for (const a of ['image.ingest', 'image.upload', 'image.measure', 'image.read', 'image.download', 'image.list']) assert.ok(actions.some((x) => x.action === a), `${a} is audited`);
  assert.ok(actions.filter((x) => x.action === 'image.download').every((x) => x.patient === patient.id));

  // The same bytes again: a duplicate, not a second image.
  const again = await upload(api, original, 'copy.jpg', { patient: patient.id });
  assert.equal(again.status, 200);
  assert.equal((again.body as { duplicate: boolean; image: ImageDto }).image.uid, image.uid);
  assert.equal(api.store.images.counts().total, 1);
  const counts = await api.as('clinician').send('GET', `/images/counts?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
  assert.deepEqual(counts.body, { total: 1, pending: 0, unreadable: 0, toCheck: 0, unassigned: 0 }, 'the console\'s counts');
  assert.equal(api.verify().ok, true);
  assert.doesNotMatch(api.captured.text(), /Meier|Anna/, 'no patient or file name in the log');
});

test('the quality check flags a blurred photo, a dark one and a small one with their figures; a PNG is measured too', async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const sharp = (await upload(api, jpeg(toothPhoto(1600, 1200, 21)), 'sharp_left.jpg')).body as { image: ImageDto };
  const blurred = (await upload(api, jpeg(blur(toothPhoto(1600, 1200, 21), 8)), 'blurred_left.jpg')).body as { image: ImageDto };
  const dark = (await upload(api, jpeg(toothPhoto(1024, 768, 22, 0.15)), 'dark.jpg')).body as { image: ImageDto };
  const small = (await upload(api, png(toothPhoto(400, 300, 23)), 'small_unten.png', {}, 'image/png')).body as { image: ImageDto };
  const results = await Promise.all([sharp, blurred, dark, small].map((r) => measured(api, r.image.uid)));
  assert.deepEqual(results.map((r) => r.quality?.verdict), ['ok', 'blurry', 'dark', 'low-resolution'], JSON.stringify(results.map((r) => r.quality?.figures)));
  assert.ok(results[1].quality!.figures.sharpness < results[0].quality!.figures.sharpness / 5);
  assert.equal(results[3].kind, 'lower-occlusal');
  assert.equal(results[3].capturedAtSource, 'upload', 'no EXIF: the upload\'s date');
  // A PNG is served as a PNG.
  const file = await api.as('clinician').send('GET', `/images/${small.image.uid}/file`);
  assert.equal(file.headers['content-type'], 'image/png');
});

test('bytes that are no photo are refused; a photo that does not decode stays stored and is marked unreadable', async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const notPhoto = await upload(api, Buffer.from('solid x\nendsolid x\n'), 'upper.jpg');
  assert.equal(notPhoto.status, 400);
  assert.match((notPhoto.body as { error: { message: string } }).error.message, /no JPEG, PNG or HEIC image/);
  const good = jpeg(toothPhoto(640, 480, 31));
  const truncated = Uint8Array.from([...good.subarray(0, 400)]);
  const res = await upload(api, truncated, 'cut.jpg');
  assert.equal(res.status, 201);
  const { image } = res.body as { image: ImageDto };
  const done = await measured(api, image.uid);
  assert.equal(done.status, 'unreadable');
  assert.deepEqual(new Uint8Array(api.store.blobs.get(done.sha256)!), truncated, 'its bytes stay stored');
  const thumb = await api.as('clinician').send('GET', `/images/${image.uid}/thumbnail`);
  assert.equal(thumb.status, 409);
});

test('an auditor gets no photo and no file name; only an administrator deletes, never under legal hold', async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const patient = (await api.as('clinician').send('POST', '/patients', { body: { lastName: 'Meier' } })).body as { id: string };
  const { image } = (await upload(api, jpeg(toothPhoto(640, 480, 41)), 'Meier_Anna_2026-11-20_right.jpg', { patient: patient.id })).body as { image: ImageDto };
  await measured(api, image.uid);
  for (const path of [`/images/${image.uid}`, `/images/${image.uid}/file`, `/images/${image.uid}/thumbnail`, `/visits/${image.visit}/images`]) {
    assert.equal((await api.as('auditor').send('GET', path)).status, 403, path);
  }
  const changes = await api.as('auditor').send('GET', '/changes?since=0');
  const audit = await api.as('auditor').send('GET', '/audit');
  const seen = JSON.stringify(changes.body) + JSON.stringify(audit.body);
  assert.match(seen, new RegExp(image.uid), 'the auditor sees that the image came and was read');
  assert.doesNotMatch(seen, /Meier_Anna|right\.jpg/, 'but never its file name');

  assert.equal((await api.as('clinician').send('DELETE', `/images/${image.uid}`)).status, 403);
  assert.equal((await api.as('admin').send('PUT', `/patients/${patient.id}/legal-hold`, { body: { hold: true, reason: 'matter 12' } })).status, 200);
  const held = await api.as('admin').send('DELETE', `/images/${image.uid}`);
  assert.equal(held.status, 409);
  assert.match((held.body as { error: { message: string } }).error.message, /legal hold/);
  await api.as('admin').send('PUT', `/patients/${patient.id}/legal-hold`, { body: { hold: false } });
  const stored = api.store.images.getByUid(image.uid)!;
  const deleted = await api.as('admin').send('DELETE', `/images/${image.uid}`);
  assert.equal(deleted.status, 200);
  assert.equal((deleted.body as { blobs: number }).blobs, 2, 'the original and the thumbnail');
  assert.equal(api.store.blobs.exists(stored.sha256), false);
  assert.equal(api.store.blobs.exists(stored.thumbnailHash!), false);
  assert.equal((await api.as('clinician').send('GET', `/images/${image.uid}`)).status, 404);
});

test('the GDPR export holds the patient\'s photos as they arrived; erasure removes them and their bytes', async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const patient = (await api.as('clinician').send('POST', '/patients', { body: { lastName: 'Meier', firstName: 'Anna' } })).body as { id: string };
  const original = withExif(jpeg(toothPhoto(800, 600, 51)), GPS_FACTS);
  const { image } = (await upload(api, original, 'frontal.jpg', { patient: patient.id })).body as { image: ImageDto };
  await measured(api, image.uid);
  const exported = await api.as('auditor').send('GET', `/patients/${patient.id}/export`);
  assert.equal(exported.status, 200);
  const files = unzipSync(new Uint8Array(exported.body as Buffer));
  assert.deepEqual(files[`images/${image.uid}/original/frontal.jpg`], original, 'the photo exactly as it arrived (it is the patient\'s own data)');
  assert.ok(files[`images/${image.uid}/thumbnail.jpg`]?.length > 0);
  const doc = JSON.parse(new TextDecoder().decode(files['patient.json'])) as { images: Array<{ uid: string; kind: string; quality: unknown }> };
  assert.deepEqual(doc.images.map((i) => [i.uid, i.kind]), [[image.uid, 'frontal']]);

  const stored = api.store.images.getByUid(image.uid)!;
  const erased = await api.as('admin').send('DELETE', `/patients/${patient.id}?confirm=${patient.id}`);
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal((erased.body as { images: number }).images, 1);
  assert.equal(api.store.images.getByUid(image.uid), undefined);
  assert.equal(api.store.blobs.exists(stored.sha256), false, 'the photo\'s bytes are gone');
  assert.equal(api.store.blobs.exists(stored.thumbnailHash!), false);
  const tombstone = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'patient.erase'").get() as { details: string };
  assert.match(tombstone.details, new RegExp(image.uid));
  assert.equal(api.verify().ok, true);
});

// HEIC photos need an encoder to be made in the test: libheif's heif-enc (Debian
// libheif-examples). Without it the case is skipped, saying so.
const heifEnc = spawnSync('heif-enc', ['--version']).error === undefined;

test('a HEIC photo is decoded in the worker and served as a JPEG copy', { skip: !heifEnc && 'heif-enc not installed (apt-get install libheif-examples)' }, async (t) => {
  const api = await apiStack(t);
  api.dispatcher.start();
  const dir = tempDir(t);
  writeFileSync(join(dir, 'in.jpg'), jpeg(toothPhoto(640, 480, 61)));
  const made = spawnSync('heif-enc', ['-q', '90', join(dir, 'in.jpg'), '-o', join(dir, 'upper.heic')]);
  assert.equal(made.status, 0, made.stderr?.toString());
  const heic = readFileSync(join(dir, 'upper.heic'));
  const res = await upload(api, heic, 'IMG_upper.heic', {}, 'image/heic');
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const { image } = res.body as { image: ImageDto & { mediaType: string } };
  assert.equal(image.mediaType, 'image/heic');
  assert.equal(image.kind, 'upper-occlusal');
  const done = await measured(api, image.uid);
  assert.equal(done.status, 'measured', JSON.stringify(done));
  assert.deepEqual([done.width, done.height], [640, 480]);
  assert.deepEqual(new Uint8Array(api.store.blobs.get(done.sha256)!), new Uint8Array(heic), 'the HEIC original is kept as it arrived');
  const file = await api.as('clinician').send('GET', `/images/${image.uid}/file`);
  assert.equal(file.headers['content-type'], 'image/jpeg');
  const copy = decodeJpeg(file.body as Buffer, { useTArray: true });
  assert.deepEqual([copy.width, copy.height], [640, 480]);
});

test('a photo that came with a scan is served without GPS through the scan\'s source files too', async (t) => {
  const api = await apiStack(t);
  const caseDir = join(api.inbox, 'case-1');
  mkdirSync(caseDir);
  writeFileSync(join(caseDir, 'case-1-upperjaw.stl'), gridStl(10, 9));
  const photo = withExif(jpeg(toothPhoto(640, 480, 81)), GPS_FACTS);
  writeFileSync(join(caseDir, 'frontal.jpg'), photo);
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(caseDir, 'case-1-upperjaw.stl'), relativePath: 'case-1/case-1-upperjaw.stl', firstSeenMs: Date.now() });
  const scan = (outcome as { scans: Array<{ uid: string; id: number }> }).scans[0];
  const image = api.store.images.findBySha256(api.store.artifacts.get(scan.id, 'source:frontal.jpg')!.blobHash);
  assert.ok(image, 'the photo is an image too');
  const res = await api.as('clinician').send('GET', `/scans/${scan.uid}/artifacts/source:frontal.jpg`);
  assert.equal(res.status, 200);
  const exif = await exifr.parse(res.body as Buffer, { gps: true, tiff: true }).catch(() => undefined) as Record<string, unknown> | undefined;
  assert.equal(exif?.latitude, undefined, 'no GPS');
  assert.equal(exif?.Make, undefined);
  assert.deepEqual(new Uint8Array(api.store.blobs.get(image.sha256)!), photo, 'stored as it arrived');
});
