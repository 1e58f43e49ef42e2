// What a clinic sees: the real daemon watching an iTero share; an export folder and an
// export zip with gallery photos are copied in; the drop folder empties, and through the
// API each visit holds its scans and its five measured photos, served without GPS.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import exifr from 'exifr';
import { zipSync } from 'fflate';
import { gridStl } from '../faults/grid-stl.js';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { jpeg, png, toothPhoto, withExif } from '../images/photos.js';

const VIEWS = ['front', 'left', 'right', 'upper', 'lower'];

function exportFiles(order: string, seed: number): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {
    [`${order}_shell_occlusion_u.stl`]: gridStl(12, seed),
    [`${order}_shell_occlusion_l.stl`]: gridStl(12, seed + 1),
    [`itero_export_#${order}_v30.xml`]: Buffer.from(`<iTeroExport Version="3.0"><RxInfo><OrderID>${order}</OrderID></RxInfo></iTeroExport>`),
    // The patient comes from the practice software's sidecar: an export folder's name and an
    // order id never name a person.
    'cusp.json': Buffer.from(JSON.stringify({ capturedAt: '2026-12-01', patientId: `K-${order}`, lastName: 'Meier', firstName: `Order${order}` })),
    'logo.png': png(toothPhoto(40, 20, seed)),
  };
  VIEWS.forEach((v, i) => {
    files[`gallery_#${order}_penta_${v}_m.jpg`] = withExif(jpeg(toothPhoto(800, 600, seed * 10 + i)), { dateTimeOriginal: '2026:12:01 09:15:00', gps: { latitude: 52.52, longitude: 13.4 } });
  });
  return files;
}

type Image = { uid: string; kind: string; status: string; hadLocation: boolean; quality: { verdict: string } | null };

async function visitImages(daemon: RunningDaemon, token: string, order: string): Promise<Image[]> {
  const scans = (await daemon.request('GET', '/api/v1/scans', { token })).body as { scans: Array<{ patient: string | null; source: { originalName: string } }> };
  const scan = scans.scans.find((s) => s.source.originalName.includes(`${order}_shell_occlusion_u`));
  assert.ok(scan?.patient, `the scan of order ${order} has a patient`);
  const visits = (await daemon.request('GET', `/api/v1/patients/${scan.patient}/visits`, { token })).body as { visits: Array<{ id: number; scans: number }> };
  assert.equal(visits.visits.length, 1);
  assert.equal(visits.visits[0].scans, 2);
  return ((await daemon.request('GET', `/api/v1/visits/${visits.visits[0].id}/images`, { token })).body as { images: Image[] }).images;
}

test('an iTero export folder and zip dropped into a watched share: photos on the visit of their scans, measured, drop folder empty', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'itero-share');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: itero\n    rule: itero\n    stabilitySeconds: 0.5\n    rescanMinutes: 0.1\n`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  const token = (await runCli(['token', 'create', '--name', 'pms', '--role', 'clinician', '--config', daemon.configPath], { cwd: dir })).stdout.trim();

  // The folder is assembled beside the share and moved in at once, as a copy tool finishes.
  const staging = join(dir, 'OrthoCAD_Export_11111');
  mkdirSync(staging);
  for (const [name, bytes] of Object.entries(exportFiles('11111', 3))) writeFileSync(join(staging, name), bytes);
  renameSync(staging, join(inbox, 'OrthoCAD_Export_11111'));
  const zipFiles = exportFiles('22222', 7);
  writeFileSync(join(inbox, 'OrthoCAD_Export_22222.zip'), zipSync({ ...Object.fromEntries(Object.entries(zipFiles).map(([n, b]) => [n === 'cusp.json' ? n : `OrthoCAD_Export_22222/${n}`, b])) }));

  await until('the drop folder is empty', () => readdirSync(inbox).length === 0, 120_000);
  for (const order of ['11111', '22222']) {
    const images = await until(`the photos of order ${order} measured`, async () => {
      const list = await visitImages(daemon, token, order);
      return list.length === 5 && list.every((i) => i.status === 'measured') && list;
    }, 120_000);
    assert.deepEqual(images.map((i) => i.kind).sort(), ['frontal', 'left', 'lower-occlusal', 'right', 'upper-occlusal']);
    assert.ok(images.every((i) => i.hadLocation && i.quality?.verdict === 'ok'), JSON.stringify(images));
    const file = await daemon.request('GET', `/api/v1/images/${images[0].uid}/file`, { token });
    assert.equal(file.status, 200);
    const exif = await exifr.parse(file.body as Buffer, { gps: true }).catch(() => undefined) as Record<string, unknown> | undefined;
    assert.equal(exif?.latitude, undefined, 'served without GPS');
  }
  const verify = await runCli(['audit', 'verify', '--config', daemon.configPath], { cwd: dir });
  assert.equal(verify.code, 0, verify.stderr);
});
