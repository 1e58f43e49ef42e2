// Fault: pages of a stored scan's chunks are damaged in the encrypted database file while
// the daemon is stopped (a failing disk, a bad copy). Before: health said "database ok",
// the scan's download answered an empty reply, nothing was logged. Now: the integrity
// check finds it and health turns degraded with the reason, metrics say so, the damaged
// scan's download answers `storage_corrupt` (JSON, 500) and the log has an error line
// naming the scan, and every other scan still downloads with its SHA-256.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { gridStl } from './grid-stl.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, sha256 } from './harness.js';

/** GET a path and keep the body as bytes (downloads are binary). */
function get(daemon: RunningDaemon, path: string, token: string): Promise<{ status: number; bytes: Buffer; type: string }> {
  const ca = readFileSync(join(daemon.dir, 'data', 'tls', 'ca.crt'), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: daemon.port, path, ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), type: String(res.headers['content-type']) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface ScanRow { uid: string; sha256: string; source: { originalName: string } }

/**
 * The database pages holding one chunk of a blob: dbstat lists each row's overflow pages
 * under its cell's path, and cells are in rowid order, as the chunks were written.
 */
function pagesOfChunk(dbPath: string, key: Buffer, blobHash: string, seq: number): number[] {
  const db = openDatabase(dbPath, key, { readonly: true });
  try {
    const { chunk_hash: chunk } = db.prepare('SELECT chunk_hash FROM blob_chunks WHERE blob_hash = ? AND seq = ?').get(blobHash, seq) as { chunk_hash: string };
    const rowids = (db.prepare('SELECT rowid AS id, hash FROM chunks ORDER BY rowid').all() as Array<{ id: number; hash: string }>);
    const index = rowids.findIndex((r) => r.hash === chunk);
    const overflow = db.prepare("SELECT pageno, path FROM dbstat WHERE name = 'chunks' AND pagetype = 'overflow' ORDER BY path").all() as Array<{ pageno: number; path: string }>;
    const cells = [...new Set(overflow.map((p) => p.path.slice(0, p.path.indexOf('+'))))];
    assert.equal(cells.length, rowids.length, 'every chunk overflows onto pages of its own');
    return overflow.filter((p) => p.path.startsWith(`${cells[index]}+`)).map((p) => p.pageno);
  } finally {
    db.close();
  }
}

test('damaged pages of a scan: found, said in health, metrics and the log; its download answers storage_corrupt; the others download intact', { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t);
  const key = randomBytes(32);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  // The integrity check runs at once at every start here (the default: 10 minutes after).
  const extraConfig = `store:\n  keyFile: ${keyFile}\n  integrityCheckDelayMinutes: 0\n  minFreeMegabytes: 0\nfolders:\n  - path: ${inbox}\n    name: trios-share\n    stabilitySeconds: 0.5\n    rescanMinutes: 0.1\n`;
  let daemon = await startDaemon(dir, { extraConfig });
  t.after(() => daemon.stop('SIGKILL'));
  const token = (await runCli(['token', 'create', '--name', 'it', '--role', 'admin', '--config', daemon.configPath], { cwd: dir })).stdout.trim();
  assert.match(token, /\S{20,}/);

  const ledger = new Ledger();
  const names = ['Muster_Max_2026-11-20_upper.stl', 'Muster_Max_2026-11-20_lower.stl', 'Probe_Anna_2026-11-21_upper.stl'];
  names.forEach((name, i) => {
    const bytes = gridStl(i === 2 ? 300 : 120, i + 1); // the last one: 9 MB, 35 chunks
    ledger.add(name, bytes);
    writeFileSync(join(inbox, name), bytes);
  });
  const scans = await until('the three scans to be stored', async () => {
    const res = await daemon.request('GET', '/api/v1/scans?limit=10', { token });
    const items = (res.body as { scans?: ScanRow[] }).scans ?? [];
    return items.length === 3 && readdirSync(inbox).length === 0 ? items : undefined;
  }, 120_000);
  const health = await daemon.request('GET', '/api/v1/health');
  assert.equal((health.body as { status: string }).status, 'ready', 'healthy before the damage');
  const victim = scans.find((s) => s.source.originalName === names[2])!;
  const others = scans.filter((s) => s !== victim);
  assert.equal(await daemon.stop(), 0);

  // Damage two pages in the middle of one of the big scan's chunks (the file is encrypted:
  // the page HMAC fails, SQLite cannot read the page).
  const dbPath = join(dir, 'data', 'cusp.db');
  const pages = pagesOfChunk(dbPath, key, victim.sha256, 17);
  assert.ok(pages.length > 30, `a chunk spans many pages (${pages.length})`);
  const fd = openSync(dbPath, 'r+');
  for (const page of pages.slice(20, 22)) writeSync(fd, randomBytes(64), 0, 64, (page - 1) * 4096 + 1500);
  closeSync(fd);

  daemon = await startDaemon(dir, { configPath: daemon.configPath, port: daemon.port });
  const degraded = await until('health to say the database is corrupt', async () => {
    const res = await daemon.request('GET', '/api/v1/health');
    const body = res.body as { status: string; checks: Record<string, string>; problems?: string[] };
    return body.status === 'degraded' ? { res, body } : undefined;
  }, 60_000);
  assert.equal(degraded.res.status, 200, 'degraded still answers 200: the daemon serves, and systemd must not restart it in a loop');
  assert.equal(degraded.body.checks.database, 'corrupt');
  assert.match(degraded.body.problems!.join('\n'), /database corrupt: .*restore the database from a backup/);

  const metrics = await daemon.request('GET', '/api/v1/metrics', { token });
  assert.match(String(metrics.body), /^cusp_database_integrity_ok 0$/m);
  assert.match(String(metrics.body), /^cusp_database_integrity_checked_timestamp_seconds [1-9]\d+$/m);

  const bad = await get(daemon, `/api/v1/scans/${victim.uid}/original`, token);
  assert.equal(bad.status, 500, 'not an empty 200');
  const error = JSON.parse(bad.bytes.toString('utf8')) as { error: { code: string; message: string } };
  assert.equal(error.error.code, 'storage_corrupt');
  assert.match(error.error.message, new RegExp(`scan ${victim.uid} .*corrupt.*restore the database from a backup`));
  await until('the error line in the log', () => daemon.output().split('\n').some((l) => l.includes('"level":"error"') && l.includes(victim.uid) && l.includes('storage_corrupt')), 10_000);
  assert.ok(!daemon.output().includes('Probe_Anna'), 'no patient name in the log');
  assert.equal(((await daemon.request('GET', '/api/v1/health')).body as { problems: string[] }).problems.some((p) => p.includes(victim.uid)), true, 'health names the damaged scan');

  for (const scan of others) {
    const ok = await get(daemon, `/api/v1/scans/${scan.uid}/original`, token);
    assert.equal(ok.status, 200);
    assert.equal(sha256(ok.bytes), scan.sha256, 'an intact scan downloads byte for byte');
  }
  await assertAnswers(daemon);
  assert.equal(await daemon.stop(), 0);
  // Every landed file is stored (the damaged one too: its rows are there; its bytes are for a backup to restore).
  const where = assertNothingLost(ledger, { dbPath, key, dropDirs: [inbox], quarantineDirs: [join(dir, 'data', 'quarantine')] });
  assert.deepEqual([...where.values()], ['stored', 'stored', 'stored']);
  await assertAuditIntact(daemon.configPath, dir);
});
