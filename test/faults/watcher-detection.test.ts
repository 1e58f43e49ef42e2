// Fault cases for detection (issue 15, points 1–4), against the real daemon (dist/): slow
// writers that pause longer than the stability wait while holding the file open, symbolic
// links out of the drop folder, a FIFO, a name that is not UTF-8, and big drops one after
// another with the periodic rescan pushed out of reach. Each ends with the shared check:
// nothing that landed is lost, the audit chain verifies, the daemon answers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeMesh } from '../../src/mesh/write/index.js';
import { openStore } from '../../src/store/store.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, sha256 } from './harness.js';
import { dbOf } from '../helpers/db.js';

interface Setup {
  daemon: RunningDaemon;
  dir: string;
  inbox: string;
  key: Buffer;
  dbPath: string;
  /** SQL against the daemon's database, opened read-side next to it. */
  query<T>(sql: string, ...args: unknown[]): T[];
  end(ledger: Ledger): Promise<void>;
}

async function setup(t: TestContext, folder: string): Promise<Setup> {
  const dir = tempDir(t);
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const key = randomBytes(32);
  writeFileSync(join(dir, 'cusp.key'), key.toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${join(dir, 'cusp.key')}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    after: delete\n${folder}`,
  });
  t.after(async () => {
    if (daemon.child.exitCode === null) await daemon.stop();
  });
  const dbPath = join(dir, 'data', 'cusp.db');
  const query = <T>(sql: string, ...args: unknown[]): T[] => {
    const store = openStore(dbPath, key);
    try {
      return dbOf(store).prepare(sql).all(...args) as T[];
    } finally {
      store.close();
    }
  };
  const end = async (ledger: Ledger) => {
    await assertAnswers(daemon);
    await daemon.stop();
    assertNothingLost(ledger, { dbPath, key, dropDirs: [inbox], quarantineDirs: [join(inbox, 'quarantine'), join(dir, 'data', 'quarantine')] });
    await assertAuditIntact(daemon.configPath, dir);
  };
  return { daemon, dir, inbox, key, dbPath, query, end };
}

async function until(what: string, cond: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const storedHashes = (s: Setup) => new Set(s.query<{ sha256: string }>('SELECT sha256 FROM scans').map((r) => r.sha256));

describe('watcher faults', () => {
  test('slow writers pausing longer than the stability wait, file held open: OBJ, ASCII PLY and STL each stored whole, never cut short', async (t) => {
    const s = await setup(t, '    stabilitySeconds: 1\n    rescanMinutes: 60\n');
    const ledger = new Ledger();
    const mesh = generateToothMesh(20_000, 7);
    const files: Array<[string, Uint8Array]> = [
      ['slow_upper.obj', writeMesh(mesh, 'obj')],
      ['slow_lower.ply', writeMesh(generateToothMesh(20_000, 8), 'ply', { ascii: true })],
      ['slow_bite.stl', writeMesh(generateToothMesh(20_000, 9), 'stl', { ascii: true })],
    ];
    // All three written at once, 10 pieces each, 1.6 s apart (longer than the 1 s wait).
    const fds = files.map(([name, bytes]) => {
      ledger.add(name, bytes);
      return { fd: openSync(join(s.inbox, name), 'w'), bytes };
    });
    for (let piece = 0; piece < 10; piece++) {
      for (const f of fds) {
        const step = Math.ceil(f.bytes.length / 10);
        writeSync(f.fd, f.bytes.subarray(piece * step, Math.min(f.bytes.length, (piece + 1) * step)));
      }
      await sleep(1600);
      assert.equal(storedHashes(s).size, 0, `something was stored while its writer still held it (piece ${piece + 1} of 10)`);
      for (const [name] of files) assert.ok(existsSync(join(s.inbox, name)), `${name} was removed while still being written`);
    }
    for (const f of fds) closeSync(f.fd);
    await until('all three stored', () => storedHashes(s).size === 3);
    const stored = storedHashes(s);
    for (const [name, bytes] of files) assert.ok(stored.has(sha256(bytes)), `${name} was not stored whole`);
    await s.end(ledger);
  });

  test('symbolic links to a folder and to a file outside the drop folder: outside untouched, nothing stored from them, a file.skipped change without names', async (t) => {
    const s = await setup(t, '    stabilitySeconds: 0.5\n');
    const outside = join(s.dir, 'outside');
    mkdirSync(join(outside, 'case'), { recursive: true });
    const a = writeMesh(generateToothMesh(5_000, 21), 'stl');
    const b = writeMesh(generateToothMesh(5_000, 22), 'stl');
    writeFileSync(join(outside, 'case', 'Doe_Jane_upper.stl'), a);
    writeFileSync(join(outside, 'Doe_Jane_lower.stl'), b);
    symlinkSync(join(outside, 'case'), join(s.inbox, 'linked-case'));
    symlinkSync(join(outside, 'Doe_Jane_lower.stl'), join(s.inbox, 'linked_lower.stl'));
    const real = writeMesh(generateToothMesh(5_000, 23), 'stl');
    writeFileSync(join(s.inbox, 'real_upper.stl'), real);
    const ledger = new Ledger();
    ledger.add('real_upper.stl', real);
    await until('the real file stored', () => storedHashes(s).has(sha256(real)));
    await until('two file.skipped changes', () => s.query('SELECT seq FROM changes WHERE type = ?', 'file.skipped').length === 2);
    const changes = s.query<{ object_id: string; data: string }>("SELECT object_id, data FROM changes WHERE type = 'file.skipped'");
    assert.deepEqual(changes.map((c) => [c.object_id, JSON.parse(c.data)]), [['inbox', { kind: 'symlink' }], ['inbox', { kind: 'symlink' }]]);
    assert.doesNotMatch(JSON.stringify(changes), /Doe|Jane|linked/);
    const stored = storedHashes(s);
    assert.ok(!stored.has(sha256(a)) && !stored.has(sha256(b)), 'a file from outside the drop folder was stored');
    assert.deepEqual(readFileSync(join(outside, 'case', 'Doe_Jane_upper.stl')), Buffer.from(a));
    assert.deepEqual(readFileSync(join(outside, 'Doe_Jane_lower.stl')), Buffer.from(b));
    assert.match(s.daemon.output(), /a symbolic link in folder \\?"inbox\\?" is skipped/);
    assert.doesNotMatch(s.daemon.output(), /Doe_Jane/);
    await s.end(ledger);
  });

  test('a FIFO in the drop folder: skipped with a log line, the daemon fine, the next scan stored', async (t) => {
    const s = await setup(t, '    stabilitySeconds: 0.5\n');
    execFileSync('mkfifo', [join(s.inbox, 'pipe_upper.stl')]);
    await until('the FIFO logged', () => /a FIFO \(named pipe\) in folder/.test(s.daemon.output()));
    const next = writeMesh(generateToothMesh(5_000, 31), 'stl');
    writeFileSync(join(s.inbox, 'next_upper.stl'), next);
    const ledger = new Ledger();
    ledger.add('next_upper.stl', next);
    await until('the next scan stored', () => storedHashes(s).has(sha256(next)));
    assert.equal(s.query("SELECT seq FROM changes WHERE type = 'file.skipped'").length, 1);
    await s.end(ledger);
  });

  test('a file name that is not valid UTF-8: taken under its percent-escaped name, stored whole', async (t) => {
    const s = await setup(t, '    stabilitySeconds: 0.5\n');
    const bytes = writeMesh(generateToothMesh(5_000, 41), 'stl');
    writeFileSync(Buffer.concat([Buffer.from(`${s.inbox}/M`), Buffer.from([0xfc]), Buffer.from('ller_upper.stl')]), bytes);
    const ledger = new Ledger();
    ledger.add('Latin-1 name', bytes);
    await until('stored', () => storedHashes(s).has(sha256(bytes)));
    assert.deepEqual(s.query<{ original_name: string }>('SELECT original_name FROM scans').map((r) => r.original_name), ['M%FCller_upper.stl']);
    assert.match(s.daemon.output(), /not valid UTF-8: renamed to its percent-escaped bytes/);
    await s.end(ledger);
  });

  test('five big drops one after another are each taken by events, not by the rescan (rescanMinutes: 60)', async (t) => {
    const s = await setup(t, '    stabilitySeconds: 1\n    rescanMinutes: 60\n');
    const src = join(s.dir, 'src');
    mkdirSync(src);
    const ledger = new Ledger();
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const bytes = writeMesh(generateToothMesh(300_000, 50 + i), 'stl');
      const name = `big${i}_upper.stl`;
      writeFileSync(join(src, name), bytes);
      ledger.add(name, bytes);
      execFileSync('cp', [join(src, name), s.inbox]);
      // Generous: the first rescan would come after an hour; this waits at most three minutes.
      await until(`drop ${i + 1} stored`, () => storedHashes(s).has(sha256(bytes)), 180_000);
      order.push(name);
    }
    const names = s.query<{ original_name: string }>('SELECT original_name FROM scans ORDER BY id').map((r) => r.original_name);
    assert.deepEqual(names, order);
    assert.doesNotMatch(s.daemon.output(), /rescan of folder/, 'a rescan ran: the drops were not taken by events');
    await s.end(ledger);
  });
});
