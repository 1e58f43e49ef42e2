// kill -9 again and again while photos go in — 24 lone photos and 3 iTero export folders
// (two scans and five gallery photos each): at the end the drop folder is empty, every byte
// sequence that landed is stored, every photo is an image exactly once (the export photos
// on the visit of their scans, even when a kill came between the scan and its images), the
// audit chain verifies and the daemon answers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { freePort, startDaemon, writeConfig, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { jpeg, toothPhoto } from '../images/photos.js';
import { gridStl } from './grid-stl.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, whereIsEverything } from './harness.js';
import { dbOf } from '../helpers/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const VIEWS = ['front', 'left', 'right', 'upper', 'lower'];

function imagesStored(dbPath: string, key: Buffer): number {
  const store = openStore(dbPath, key);
  try {
    return store.images.counts().total;
  } finally {
    store.close();
  }
}

test('SIGKILL again and again while photos and exports with photos go in: nothing lost, each photo an image once, audit intact', { timeout: 600_000 }, async (t) => {
  const dir = tempDir(t, 'cusp-kill-photos-');
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  // A port free now, not a fixed one: in the full fault suite a fixed port can still be held.
  const PORT = await freePort();
  const configPath = writeConfig(dir, PORT, `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    rule: itero\n    stabilitySeconds: 0.3\n    rescanMinutes: 0.05\n`);
  let daemon: RunningDaemon | undefined;
  t.after(() => daemon?.stop('SIGKILL'));
  daemon = await startDaemon(dir, { configPath, port: PORT });

  const ledger = new Ledger();
  const put = (path: string, bytes: Uint8Array, name: string) => {
    writeFileSync(path, bytes);
    ledger.add(name, Buffer.from(bytes));
  };
  const dropPhotos = (from: number, to: number) => {
    for (let i = from; i < to; i++) put(join(inbox, `photo-${i}_${VIEWS[i % 5]}.jpg`), jpeg(toothPhoto(1600, 1200, 100 + i)), `photo-${i}`);
  };
  const dropExport = (c: number) => {
    const order = `7000${c}`;
    const staging = join(dir, `staging-${c}`);
    const caseDir = join(staging, `OrthoCAD_Export_${order}`);
    mkdirSync(caseDir, { recursive: true });
    // The practice software's sidecar names the patient (an export folder's name never does).
    put(join(caseDir, 'cusp.json'), Buffer.from(JSON.stringify({ capturedAt: `2026-12-0${c + 1}`, patientId: `K-${order}`, lastName: 'Kill', firstName: `Case${c}` })), `case ${c} cusp.json`);
    VIEWS.forEach((v, i) => put(join(caseDir, `gallery_#${order}_penta_${v}_m.jpg`), jpeg(toothPhoto(640, 480, 200 + c * 10 + i)), `case ${c} ${v}`));
    put(join(caseDir, `${order}_shell_occlusion_u.stl`), gridStl(20, c * 2 + 1), `case ${c} upper`);
    put(join(caseDir, `${order}_shell_occlusion_l.stl`), gridStl(20, c * 2 + 2), `case ${c} lower`);
    // Made beside the drop folder and moved in whole, as export tools do.
    renameSync(caseDir, join(inbox, `OrthoCAD_Export_${order}`));
  };

  // Photos and exports go in wave by wave, one wave before each kill, so every kill comes
  // while something is going in, however fast the machine takes them.
  const delays = [0, 40, 150, 5, 300, 70];
  const atKill: Array<{ images: number; left: number }> = [];
  for (const [k, delay] of delays.entries()) {
    dropPhotos(k * 4, k * 4 + 4);
    if (k % 2 === 1) dropExport((k - 1) / 2);
    const current = daemon;
    const left = () => readdirSync(inbox).length;
    await until('the daemon to store something', () => left() === 0 || /stored (image|scan) /.test(current.output()), 120_000);
    await sleep(delay);
    const leftAtKill = left();
    await daemon.stop('SIGKILL');
    atKill.push({ images: imagesStored(join(dir, 'data', 'cusp.db'), key), left: leftAtKill });
    daemon = await startDaemon(dir, { configPath, port: PORT });
  }
  assert.equal(ledger.size, 24 + 3 * 8);
  t.diagnostic(`at each of the ${atKill.length} kills, images stored / entries left in the drop folder: ${atKill.map((a) => `${a.images}/${a.left}`).join(', ')}`);
  assert.ok(atKill.filter((a) => a.left > 0).length >= 3, 'at least three kills came while photos were still in the drop folder');
  const running = daemon;
  await until('the drop folder to be empty', () => readdirSync(inbox).length === 0, 300_000).catch((err: Error) => {
    throw new Error(`${err.message}; left: ${readdirSync(inbox, { recursive: true }).join(', ')}\n${running.output().split('\n').filter((l) => /warn|error/.test(l)).slice(-20).join('\n')}`);
  });
  await assertAnswers(daemon);
  await daemon.stop('SIGTERM');
  // Started once more: photos of a scan a kill cut off from its images are made now.
  daemon = await startDaemon(dir, { configPath, port: PORT });
  await assertAnswers(daemon);
  await daemon.stop('SIGTERM');
  daemon = undefined;

  const places = { dbPath: join(dir, 'data', 'cusp.db'), key, dropDirs: [inbox], quarantineDirs: [join(dir, 'data', 'quarantine')] };
  assertNothingLost(ledger, places);
  assert.deepEqual([...whereIsEverything(ledger, places).values()].filter((w) => w !== 'stored'), [], 'everything is stored');
  const store = openStore(places.dbPath, key);
  try {
    assert.deepEqual(dbOf(store).prepare('SELECT sha256, count(*) AS n FROM images GROUP BY sha256 HAVING n > 1').all(), [], 'no photo is two images');
    assert.equal(store.images.counts().total, 24 + 15, 'every photo is an image');
    const exportPhotos = dbOf(store).prepare("SELECT i.visit_id AS visit, s.visit_id AS scanVisit FROM images i JOIN scans s ON s.id = i.scan_id WHERE i.original_name LIKE '%gallery_%'").all() as Array<{ visit: number; scanVisit: number }>;
    assert.equal(exportPhotos.length, 15, 'each export photo linked to its scan');
    assert.ok(exportPhotos.every((p) => p.visit !== null && p.visit === p.scanVisit), 'on the visit of its scans');
  } finally {
    store.close();
  }
  await assertAuditIntact(configPath, dir);
});
