// `cusp key rotate` is crash-safe at every instant. The CLI (online and offline) or the
// daemon (online) is SIGKILLed at varied points around the rekey — from the moment the new
// key file appears, every few milliseconds through the safety copy, the rekey, its commit
// and the key-file swap — and each time the daemon starts afterwards on the key file on
// disk, every scan stored before reads back with the same SHA-256, the audit chain
// verifies, and no key was deleted (the old and the new key are each still in the data
// folder, as the key file or set aside).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { readKeyFile } from '../../src/store/key.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { CLI, freePort, runCli, startDaemon, writeConfig, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger } from './harness.js';

const SCANS = ['openfulljaw_P26_mandible_tooth24_incisor.stl', 'openfulljaw_P26_maxilla_tooth08_incisor.stl', 'openfulljaw_P26_mandible_tooth31_molar.stl'];

interface Installation {
  dir: string;
  data: string;
  keyFile: string;
  configPath: string;
  port: number;
  ledger: Ledger;
}

async function installation(t: TestContext): Promise<Installation> {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const keyFile = join(data, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const port = await freePort();
  const configPath = writeConfig(dir, port);
  const ledger = new Ledger();
  const daemon = await startDaemon(dir, { configPath, port });
  for (const name of SCANS) {
    const bytes = corpusBytes(`dental/${name}`);
    ledger.add(name, bytes);
    writeFileSync(join(data, 'inbox', name), bytes);
  }
  await until('the scans stored', () => readdirSync(join(data, 'inbox')).filter((n) => n.endsWith('.stl')).length === 0);
  assert.equal(await daemon.stop(), 0);
  return { dir, data, keyFile, configPath, port, ledger };
}

function rotateCli(inst: Installation): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, 'key', 'rotate', '--config', inst.configPath], { cwd: inst.dir, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

/**
 * Resolve once `<keyFile>.new` holds a whole key (the rotation's first step) or the CLI has
 * exited; returns that key (undefined when it never appeared).
 */
async function pendingKeyWritten(inst: Installation, exited: Promise<number | null>): Promise<Buffer | undefined> {
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    try {
      return readKeyFile(`${inst.keyFile}.new`);
    } catch {
      // not there yet, or not yet written whole
    }
    if (done) return undefined;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Every key in the data folder (the key file, and keys set aside): hex strings. */
function keysInData(inst: Installation): Set<string> {
  const keys = new Set<string>();
  for (const name of readdirSync(inst.data).filter((n) => n.startsWith('cusp.key'))) {
    try {
      keys.add(readKeyFile(join(inst.data, name)).toString('hex'));
    } catch {
      // not a whole key (a file cut short before any use)
    }
  }
  return keys;
}

/**
 * No step deleted a key that may still be needed: when the rotation was kept back (the old key
 * is the key file), the new key (when written) is still in the data folder, set aside; when it
 * went through, the new key is the key file and the old one was replaced by design (the
 * rotation's point). A database moved aside as broken needs both keys kept.
 */
function noKeyDeleted(inst: Installation, before: Buffer, pending: Buffer | undefined, brokenBefore: number): void {
  const keys = keysInData(inst);
  const current = readKeyFile(inst.keyFile);
  const broken = brokenFiles(inst) > brokenBefore;
  if (current.equals(before) || broken) {
    assert.ok(keys.has(before.toString('hex')), 'the old key is still in the data folder');
    if (pending) assert.ok(keys.has(pending.toString('hex')), 'the new key is still in the data folder, set aside');
  } else if (pending) {
    assert.deepEqual(current, pending, 'the rotation went through with the key it wrote');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The end check of every case: the daemon starts on the key on disk; nothing lost; audit intact. */
async function startsAndKeepsEverything(inst: Installation): Promise<void> {
  const daemon: RunningDaemon = await startDaemon(inst.dir, { configPath: inst.configPath, port: inst.port });
  await assertAnswers(daemon);
  assert.equal(await daemon.stop(), 0, daemon.output());
  const where = assertNothingLost(inst.ledger, { dbPath: join(inst.data, 'cusp.db'), key: readKeyFile(inst.keyFile), dropDirs: [], quarantineDirs: [] });
  assert.deepEqual([...where.values()], SCANS.map(() => 'stored'));
  await assertAuditIntact(inst.configPath, inst.dir);
  assert.equal(existsSync(`${inst.keyFile}.new`), false, 'the pending key was settled (finished or set aside)');
  assert.equal(existsSync(join(inst.data, 'cusp.db.pre-rekey')), false, 'the safety copy was settled');
}

/** Databases moved aside by a restore from the safety copy, so far. */
function brokenFiles(inst: Installation): number {
  return readdirSync(inst.data).filter((n) => /^cusp\.db\.broken-/.test(n)).length;
}

/** What each kill did to the key (for the record: the kill points must straddle the rekey). */
function keyChanged(inst: Installation, before: Buffer): boolean {
  return !readKeyFile(inst.keyFile).equals(before);
}

/**
 * For the record (the cause): what each key makes of the newest file moved aside, on a
 * scratch copy of it and its journal (opening plays the journal back, which writes).
 */
function brokenVerdict(inst: Installation, keys: Buffer[]): string {
  const name = readdirSync(inst.data).filter((n) => /^cusp\.db\.broken-[^.]*$/.test(n)).sort().at(-1)!;
  return keys.map((key) => {
    const scratch = join(mkdtempSync(join(tmpdir(), 'cusp-rekey-scratch-')), 'cusp.db');
    copyFileSync(join(inst.data, name), scratch);
    const journal = join(inst.data, name.replace('cusp.db.', 'cusp.db-journal.'));
    if (existsSync(journal)) copyFileSync(journal, `${scratch}-journal`);
    try {
      const db = openDatabase(scratch, key);
      try {
        return String(db.pragma('quick_check', { simple: true })).slice(0, 30);
      } finally {
        db.close();
      }
    } catch (err) {
      return (err as { code?: string }).code ?? 'error';
    } finally {
      rmSync(dirname(scratch), { recursive: true, force: true });
    }
  }).join('/');
}

/** 'rotated', 'kept', or 'restored' (the safety copy was put back; with what the old/new key made of the file). */
function outcome(inst: Installation, before: Buffer, pending: Buffer | undefined, brokenBefore: number): string {
  if (brokenFiles(inst) > brokenBefore) return `restored(${brokenVerdict(inst, pending ? [before, pending] : [before])})`;
  return keyChanged(inst, before) ? 'rotated' : 'kept';
}

// From the new key file's appearance: the copy and the rekey of this database take some tens
// of milliseconds, so most points fall in them; the last ones after the swap.
const POINTS = [0, 2, 5, 8, 12, 16, 20, 25, 30, 40, 50, 65, 80, 100, 140, 200, 400, 900];

// A CLI killed mid-request leaves its rotation running in the daemon (or its request on the
// way). Every other kill, a second `cusp key rotate` follows at once beside the running daemon:
// it waits for that rotation, the daemon judges the pending key it left, and it goes through.
test('online: the CLI killed at varied points around the daemon\'s rekey — the daemon keeps serving, and starts again with every scan', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const inst = await installation(t);
  const seen: string[] = [];
  for (const [i, delay] of POINTS.entries()) {
    const before = readKeyFile(inst.keyFile);
    const brokenBefore = brokenFiles(inst);
    const daemon = await startDaemon(inst.dir, { configPath: inst.configPath, port: inst.port });
    t.after(() => daemon.stop('SIGKILL'));
    const cli = rotateCli(inst);
    const pending = await pendingKeyWritten(inst, cli.exited);
    await sleep(delay);
    cli.child.kill('SIGKILL');
    await cli.exited;
    await assertAnswers(daemon);
    if (i % 2 === 1) {
      // The next rotation settles what the killed one left, beside the running daemon: the
      // daemon judges the pending key after the killed CLI's rotation (if it still runs there).
      const again = await runCli(['key', 'rotate', '--config', inst.configPath], { cwd: inst.dir });
      assert.equal(again.code, 0, again.stderr);
    }
    assert.equal(await daemon.stop(), 0, daemon.output());
    await startsAndKeepsEverything(inst);
    if (i % 2 === 0) noKeyDeleted(inst, before, pending, brokenBefore);
    seen.push(`${delay}ms:${outcome(inst, before, pending, brokenBefore)}`);
  }
  t.diagnostic(`key after each kill: ${seen.join(' ')}`);
});

// Before the safety copy (pre-rekey), a SIGKILL in the rekey sometimes left a database that
// neither cusp.key nor cusp.key.new opened (the library rekeys in place): src/store/rekey.ts.
test('online: the daemon killed at varied points around its rekey — it starts again on the key file on disk with every scan', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const inst = await installation(t);
  const seen: string[] = [];
  for (const delay of POINTS) {
    const before = readKeyFile(inst.keyFile);
    const brokenBefore = brokenFiles(inst);
    const daemon = await startDaemon(inst.dir, { configPath: inst.configPath, port: inst.port });
    t.after(() => daemon.stop('SIGKILL'));
    const cli = rotateCli(inst);
    const pending = await pendingKeyWritten(inst, cli.exited);
    await sleep(delay);
    daemon.child.kill('SIGKILL');
    const code = await cli.exited;
    await daemon.exited;
    await startsAndKeepsEverything(inst);
    noKeyDeleted(inst, before, pending, brokenBefore);
    seen.push(`${delay}ms:cli=${code}:${outcome(inst, before, pending, brokenBefore)}`);
  }
  t.diagnostic(`after each kill: ${seen.join(' ')}`);
});

test('offline: the CLI killed at varied points around its rekey — the daemon starts afterwards with every scan', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const inst = await installation(t);
  const seen: string[] = [];
  for (const delay of POINTS) {
    const before = readKeyFile(inst.keyFile);
    const brokenBefore = brokenFiles(inst);
    const cli = rotateCli(inst);
    const pending = await pendingKeyWritten(inst, cli.exited);
    await sleep(delay);
    cli.child.kill('SIGKILL');
    await cli.exited;
    await startsAndKeepsEverything(inst);
    noKeyDeleted(inst, before, pending, brokenBefore);
    seen.push(`${delay}ms:${outcome(inst, before, pending, brokenBefore)}`);
  }
  t.diagnostic(`key after each kill: ${seen.join(' ')}`);
  // And a rotation left to finish rotates: the old key no longer opens the database.
  const before = readKeyFile(inst.keyFile);
  const done = await runCli(['key', 'rotate', '--config', inst.configPath], { cwd: inst.dir });
  assert.equal(done.code, 0, done.stderr);
  assert.equal(keyChanged(inst, before), true);
  await startsAndKeepsEverything(inst);
});
