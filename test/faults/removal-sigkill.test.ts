// kill -9 at many points while 90 scans (and the sidecars of their case folders) go in: at
// the end the drop folder is empty, every byte sequence that landed is stored exactly once
// (no scan stored twice, no arrival counted twice), the audit chain verifies, the daemon
// answers. A kill can land while a file is read, staged, committed, renamed to its hidden
// removal name, re-checked or unlinked — each must be recoverable on restart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { startDaemon, writeConfig, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, whereIsEverything } from './harness.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const PORT = 19210;
// 80 loose scans and 5 case folders of two: enough that the last kill still comes while scans
// are going in. With 50, a run on a machine that ingests these small files quickly had all of
// them stored before the last of the nine kills (2, 6, 13, 16, 32, 39, 40, 47, 50 at the kills).
const LOOSE = 80;
const CASES = 5;
const SCANS = LOOSE + 2 * CASES;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A corpus binary STL with its 80-byte header rewritten: the same mesh, bytes of its own. */
function variant(relative: string, tag: string): Buffer {
  const bytes = Buffer.from(corpusBytes(relative));
  bytes.fill(0x20, 0, 80);
  bytes.write(`cusp kill test ${tag}`, 0, 'latin1');
  return bytes;
}

function scansStored(dbPath: string, key: Buffer): number {
  const store = openStore(dbPath, key);
  try {
    return (dbOf(store).prepare('SELECT count(*) AS n FROM scans').get() as { n: number }).n;
  } finally {
    store.close();
  }
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('SIGKILL again and again while 90 scans go in: nothing lost, nothing stored twice, audit intact', { skip, timeout: 600_000 }, async (t) => {
  const dir = tempDir(t, 'cusp-kill-');
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const configPath = writeConfig(dir, PORT, `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: 0.3\n    rescanMinutes: 0.05\n`);
  let daemon: RunningDaemon | undefined;
  t.after(() => daemon?.stop('SIGKILL'));
  daemon = await startDaemon(dir, { configPath, port: PORT });

  // Loose scans and case folders (upper, lower, a shared manifest): SCANS scans, CASES sidecars.
  const ledger = new Ledger();
  const sources = ['dental/openfulljaw_P26_mandible_tooth24_incisor.stl', 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'];
  const put = (path: string, bytes: Buffer, name: string) => {
    writeFileSync(path, bytes);
    ledger.add(name, bytes);
  };
  for (let i = 0; i < LOOSE; i++) put(join(inbox, `scan-${i}_upper.stl`), variant(sources[i % 2], `loose ${i}`), `scan-${i}`);
  for (let c = 0; c < CASES; c++) {
    const caseDir = join(inbox, `case-${c}`);
    mkdirSync(caseDir);
    put(join(caseDir, `case-${c}.xml`), Buffer.from(`<order case="${c}"/>`), `case-${c}.xml`);
    put(join(caseDir, `case-${c}-upperjaw.stl`), variant(sources[0], `case ${c} upper`), `case-${c} upper`);
    put(join(caseDir, `case-${c}-lowerjaw.stl`), variant(sources[1], `case ${c} lower`), `case-${c} lower`);
  }
  assert.equal(ledger.size, SCANS + CASES);

  // Kill at varied points of the ingest: each run stores one to three scans, then a kill
  // follows after 0 ms to 0.4 s — into the removal of the file just stored, the read or
  // staging of the next, the commit of another.
  const delays = [0, 30, 120, 5, 400, 60, 15, 250, 90];
  const storedAtKill: number[] = [];
  for (const [k, delay] of delays.entries()) {
    const current = daemon;
    await until('the restarted daemon to store scans', () => (current.output().match(/stored scan /g)?.length ?? 0) >= (k % 3) + 1, 120_000);
    await sleep(delay);
    await daemon.stop('SIGKILL');
    storedAtKill.push(scansStored(join(dir, 'data', 'cusp.db'), key));
    daemon = await startDaemon(dir, { configPath, port: PORT });
  }
  t.diagnostic(`scans stored at each of the ${storedAtKill.length} kills: ${storedAtKill.join(', ')}`);
  assert.ok(storedAtKill[0] > 0 && storedAtKill[storedAtKill.length - 1] < SCANS, 'every kill came while scans were going in');
  const running = daemon;

  await until('the drop folder to be empty', () => readdirSync(inbox).length === 0, 300_000).catch((err: Error) => {
    throw new Error(`${err.message}; left: ${filesBelow(inbox).join(', ')}\n${running.output().split('\n').filter((l) => /warn|error/.test(l)).slice(-20).join('\n')}`);
  });
  await assertAnswers(daemon);
  await daemon.stop('SIGTERM');
  daemon = undefined;

  const places = { dbPath: join(dir, 'data', 'cusp.db'), key, dropDirs: [inbox], quarantineDirs: [join(dir, 'data', 'quarantine')] };
  assertNothingLost(ledger, places);
  const where = whereIsEverything(ledger, places);
  assert.deepEqual([...where.values()].filter((w) => w !== 'stored'), [], 'the drop folder is empty: everything is stored');
  const store = openStore(places.dbPath, key);
  try {
    const twice = dbOf(store).prepare('SELECT sha256, count(*) AS n FROM scans GROUP BY sha256 HAVING n > 1').all();
    assert.deepEqual(twice, [], 'no bytes stored as two scans');
    assert.equal((dbOf(store).prepare('SELECT count(*) AS n FROM scans').get() as { n: number }).n, SCANS);
    // A crash between commit and removal leaves the very same file: it is recognised, not a second arrival.
    assert.equal((dbOf(store).prepare('SELECT count(*) AS n FROM scan_arrivals').get() as { n: number }).n, SCANS, 'one arrival per file');
    assert.equal((dbOf(store).prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'scan.ingest'").get() as { n: number }).n, SCANS);
  } finally {
    store.close();
  }
  await assertAuditIntact(configPath, dir);
});
