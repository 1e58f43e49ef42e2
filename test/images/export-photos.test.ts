// Photos from scanner exports, through the real ingest service, store and image worker:
// an iTero-like export folder and zip land their gallery photos on the visit of their
// scans, the logo stays a source file, and the drop folder is empty afterwards. A lone
// photo takes its patient from its path, as a scan does; a non-photo is quarantined.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { erasePatient } from '../../src/gdpr/erase.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { gridStl } from '../faults/grid-stl.js';
import { stack } from '../helpers/stack.js';
import { until } from '../helpers/until.js';
import { jpeg, png, toothPhoto, withExif } from './photos.js';
import { dbOf } from '../helpers/db.js';

const ORDER = '98765';
const VIEWS = ['front', 'left', 'right', 'upper', 'lower'] as const;

/** The files of an iTero / OrthoCAD export, by path inside the export folder. */
function iteroExport(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    [`${ORDER}_shell_occlusion_u.stl`]: gridStl(12, 1),
    [`${ORDER}_shell_occlusion_l.stl`]: gridStl(12, 2),
    [`itero_export_#${ORDER}_v30.xml`]: Buffer.from(`<?xml version="1.0"?><iTeroExport Version="3.0"><RxInfo><OrderID>${ORDER}</OrderID><Patient>Meier, Anna</Patient><ExportTime>12/02/2026 14:10:00</ExportTime></RxInfo><ExportedObjects><Object ObjectType="Image" SubType="Gallery" FileName="gallery_#${ORDER}.jpg"/></ExportedObjects></iTeroExport>`),
    [`Rx_${ORDER}.html`]: Buffer.from(`<html><body><table><tr><td>Order ID: ${ORDER} AB12</td></tr><tr><td>Patient: Meier, Anna</td></tr><tr><td>Scanning Date: 12/01/2026</td></tr></table></body></html>`),
    // The capture date as a sidecar says it (the Rx's "Scanning Date" is the identity work's to read).
    'cusp.json': Buffer.from(JSON.stringify({ capturedAt: '2026-12-01' })),
    'iTero_logo.png': png(toothPhoto(40, 20, 99)),
  };
  VIEWS.forEach((view, i) => {
    files[`gallery_#${ORDER}_penta_${view}_m.jpg`] = withExif(jpeg(toothPhoto(800, 600, 60 + i)), { dateTimeOriginal: '2026:12:01 09:15:00', make: 'Align', model: 'iTero Element 5D', gps: { latitude: 52.52, longitude: 13.40 } });
  });
  return files;
}

function assertVisitPhotos(s: ReturnType<typeof stack>, files: Record<string, Uint8Array>) {
  const scans = dbOf(s.store).prepare('SELECT id, visit_id, patient_id FROM scans ORDER BY id').all() as Array<{ id: number; visit_id: number | null; patient_id: number | null }>;
  assert.equal(scans.length, 2, 'upper and lower');
  const visitId = scans[0].visit_id;
  assert.ok(visitId !== null, 'the scans have a visit');
  assert.equal(scans[1].visit_id, visitId);
  const images = s.store.images.forVisit(visitId!);
  assert.deepEqual(images.map((i) => i.kind).sort(), ['frontal', 'left', 'lower-occlusal', 'right', 'upper-occlusal']);
  for (const image of images) {
    assert.equal(image.patientId, scans[0].patient_id, 'the patient of the scans');
    assert.equal(image.scanId, scans[0].id, 'linked to the scan whose export held it');
    const name = image.originalName.slice(image.originalName.lastIndexOf('/') + 1);
    assert.deepEqual(new Uint8Array(s.store.blobs.get(image.sha256)!), new Uint8Array(files[name]), `${name} stored byte for byte`);
  }
  assert.equal(s.store.images.counts().total, 5, 'the logo is no photo of the patient: it stays a source file');
  return images;
}

async function allMeasured(s: ReturnType<typeof stack>) {
  s.dispatcher.start();
  await until('every image measured', () => s.store.images.counts().received === 0 && s.store.images.counts().total > 0);
}

test('an iTero export folder: its gallery photos become images of the scans\' visit and the drop folder ends empty', async (t) => {
  const s = stack(t, { rule: 'itero' });
  const dir = join(s.inbox, `OrthoCAD_Export_${ORDER}`);
  mkdirSync(dir);
  const files = iteroExport();
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const ingest = (name: string) => s.ingest.ingestFolderFile({ folder: s.folder, path: join(dir, name), relativePath: `OrthoCAD_Export_${ORDER}/${name}`, firstSeenMs: Date.now() });
  // A photo seen before the scans waits for them: they take it with them.
  const early = await ingest(`gallery_#${ORDER}_penta_front_m.jpg`);
  assert.equal(early.kind, 'incomplete');
  assert.equal((await ingest(`${ORDER}_shell_occlusion_u.stl`)).kind, 'stored');
  assert.equal((await ingest(`${ORDER}_shell_occlusion_l.stl`)).kind, 'stored');
  assert.equal((await ingest(`gallery_#${ORDER}_penta_front_m.jpg`)).kind, 'gone', 'the photo left with the last scan of its export');
  assertVisitPhotos(s, files);
  assert.deepEqual(readdirSync(s.inbox), [], 'the drop folder is empty');
  await allMeasured(s);
  const front = s.store.images.forVisit(s.store.scans.get(1)!.visitId!).find((i) => i.kind === 'frontal')!;
  assert.equal(front.status, 'measured');
  assert.equal(front.capturedAt, '2026-12-01T09:15:00');
  assert.equal(front.cameraModel, 'iTero Element 5D');
  assert.equal(front.hadLocation, true);
  assert.ok(front.thumbnailHash && s.store.blobs.exists(front.thumbnailHash));

  // Erasure: the photos' bytes are both images and the scans' source files; all of it goes.
  const images = s.store.images.forPatient(front.patientId!);
  const patient = s.store.patients.get(front.patientId!)!;
  const erased = await erasePatient({ store: s.store, audit: s.audit }, { pseudoId: patient.pseudoId, confirm: patient.pseudoId, actor: 'test' });
  assert.equal(erased.images, 5);
  for (const image of images) {
    assert.equal(s.store.blobs.exists(image.sha256), false, 'the photo\'s bytes are gone');
    assert.equal(s.store.blobs.exists(image.thumbnailHash!), false);
  }
  assert.deepEqual(dbOf(s.store).pragma('foreign_key_check'), []);
  assert.equal(s.verify().ok, true);
});

test('an iTero export zip: the photos inside land on the visit of its scans, the zip leaves the drop folder', async (t) => {
  const s = stack(t, { rule: 'itero' });
  const files = iteroExport();
  // cusp.json at the zip's root, where zip-candidates reads it (the capture date is not what this test is about).
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([n, b]) => [n === 'cusp.json' ? n : `OrthoCAD_Export_${ORDER}/${n}`, b])));
  const path = join(s.inbox, `OrthoCAD_Export_${ORDER} (4).zip`);
  writeFileSync(path, zip);
  const outcome = await s.ingest.ingestFolderFile({ folder: s.folder, path, relativePath: `OrthoCAD_Export_${ORDER} (4).zip`, firstSeenMs: Date.now() });
  assert.equal(outcome.kind, 'stored');
  assertVisitPhotos(s, files);
  assert.deepEqual(readdirSync(s.inbox), [], 'the drop folder is empty');
  await allMeasured(s);
  assert.equal(s.store.images.counts().unreadable, 0);
});

test('a lone photo takes its patient and visit from its path, as a scan does, and leaves once stored', async (t) => {
  const s = stack(t);
  const scanPath = join(s.inbox, 'Meier_Anna_2026-11-20_upper.stl');
  writeFileSync(scanPath, gridStl(10, 5));
  assert.equal((await s.ingest.ingestFolderFile({ folder: s.folder, path: scanPath, relativePath: 'Meier_Anna_2026-11-20_upper.stl', firstSeenMs: Date.now() })).kind, 'stored');
  const photo = jpeg(toothPhoto(640, 480, 71));
  const path = join(s.inbox, 'Meier_Anna_2026-11-20_links.jpg');
  writeFileSync(path, photo);
  const outcome = await s.ingest.ingestFolderFile({ folder: s.folder, path, relativePath: 'Meier_Anna_2026-11-20_links.jpg', firstSeenMs: Date.now() });
  assert.equal(outcome.kind, 'stored');
  assert.equal(existsSync(path), false);
  const scan = s.store.scans.get(1)!;
  const [image] = s.store.images.forVisit(scan.visitId!);
  assert.equal(image.kind, 'left');
  assert.equal(image.patientId, scan.patientId, 'the same patient as the scan of that day');
  assert.equal(image.capturedAtSource, 'name');
  assert.deepEqual(new Uint8Array(s.store.blobs.get(image.sha256)!), photo);
  // The same photo dropped again is a duplicate, removed since stored.
  writeFileSync(path, photo);
  assert.equal((await s.ingest.ingestFolderFile({ folder: s.folder, path, relativePath: 'Meier_Anna_2026-11-20_links.jpg', firstSeenMs: Date.now() })).kind, 'duplicate');
  assert.equal(existsSync(path), false);
  assert.equal(s.store.images.counts().total, 1);
});

test('a file with a photo name that is no photo goes to the quarantine with its reason', async (t) => {
  const s = stack(t);
  const path = join(s.inbox, 'frontal.jpg');
  writeFileSync(path, 'solid not a photo\nendsolid\n');
  const outcome = await s.ingest.ingestFolderFile({ folder: s.folder, path, relativePath: 'frontal.jpg', firstSeenMs: Date.now() });
  assert.equal(outcome.kind, 'quarantined');
  const to = (outcome as { to: string }).to;
  assert.match(readFileSync(`${to}.reason.txt`, 'utf8'), /no JPEG, PNG or HEIC image/);
  assert.equal(readFileSync(to, 'utf8'), 'solid not a photo\nendsolid\n');
  assert.equal(s.store.images.counts().total, 0);
});

test('photos of scans stored by a run that stopped before making them images are made images at the next start', async (t) => {
  const s = stack(t, { rule: 'itero' });
  // An ingest without the photo service: the scans and their photos' bytes are stored, no images made.
  const bare = new IngestService({ store: s.store, audit: s.audit, bus: s.bus, log: s.captured.logging.logger('ingest'), probe: (input) => s.dispatcher.runOnce('probe', { ...input, options: {} }, 60_000) });
  const dir = join(s.inbox, `OrthoCAD_Export_${ORDER}`);
  mkdirSync(dir);
  const files = iteroExport();
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  for (const jaw of ['u', 'l']) {
    const name = `${ORDER}_shell_occlusion_${jaw}.stl`;
    assert.equal((await bare.ingestFolderFile({ folder: s.folder, path: join(dir, name), relativePath: `OrthoCAD_Export_${ORDER}/${name}`, firstSeenMs: Date.now() })).kind, 'stored');
  }
  assert.equal(s.store.images.counts().total, 0);
  assert.equal(s.photos.adoptMissed(), 5);
  assertVisitPhotos(s, files);
  assert.equal(s.photos.adoptMissed(), 0, 'once only');
});
