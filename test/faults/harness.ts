// What every fault case asserts at its end: nothing that landed was lost. Every byte
// sequence written into a drop folder (or uploaded) is (a) stored — a scan or a file stored
// with one, same SHA-256 — or (b) still in its drop folder, or (c) quarantined with a
// reason beside it; the audit chain verifies; the daemon answers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { runCli, type RunningDaemon } from '../helpers/daemon.js';
import { dbOf } from '../helpers/db.js';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The SHA-256 of every regular file below `dir` (symlinks not followed), by hash. */
export function hashesBelow(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) found.set(sha256(readFileSync(p)), p);
    }
  };
  walk(dir);
  return found;
}

/** Everything that landed, by SHA-256 of its complete bytes, with a name to report. */
export class Ledger {
  readonly landed = new Map<string, string>();

  /** Record bytes that a writer put (or will finish putting) somewhere Cusp must keep them. */
  add(name: string, bytes: Uint8Array): void {
    this.landed.set(sha256(bytes), name);
  }

  get size(): number {
    return this.landed.size;
  }
}

export interface Places {
  /** The database and its key (opened read-side next to the running daemon, or after it stopped). */
  dbPath: string;
  key: Buffer;
  /** Drop folders whose files still count as kept. */
  dropDirs: string[];
  /** Quarantine folders: a file there counts only with its `.reason.txt`. */
  quarantineDirs: string[];
}

/**
 * Where each landed hash is now: 'stored' (a scan, a scan's source file, or a photo stored
 * as an image), 'drop', 'quarantine', or 'lost'.
 */
export function whereIsEverything(ledger: Ledger, places: Places): Map<string, 'stored' | 'drop' | 'quarantine' | 'lost'> {
  const store = openStore(places.dbPath, places.key);
  let stored: Set<string>;
  try {
    const rows = dbOf(store).prepare(`
      SELECT sha256 AS hash FROM scans
      UNION SELECT blob_hash AS hash FROM artifacts WHERE kind LIKE 'source:%'
      UNION SELECT sha256 AS hash FROM images
    `).all() as Array<{ hash: string }>;
    stored = new Set(rows.map((r) => r.hash));
    // A stored hash must have its bytes: the blob row and every chunk it names.
    for (const hash of stored) {
      const blob = dbOf(store).prepare('SELECT size FROM blobs WHERE hash = ?').get(hash) as { size: number } | undefined;
      if (!blob) stored.delete(hash);
    }
  } finally {
    store.close();
  }
  const inDrop = new Map<string, string>();
  for (const d of places.dropDirs) for (const [h, p] of hashesBelow(d)) inDrop.set(h, p);
  const inQuarantine = new Map<string, string>();
  for (const d of places.quarantineDirs) for (const [h, p] of hashesBelow(d)) if (existsSync(`${p}.reason.txt`)) inQuarantine.set(h, p);
  const result = new Map<string, 'stored' | 'drop' | 'quarantine' | 'lost'>();
  for (const hash of ledger.landed.keys()) {
    result.set(hash, stored.has(hash) ? 'stored' : inDrop.has(hash) ? 'drop' : inQuarantine.has(hash) ? 'quarantine' : 'lost');
  }
  return result;
}

/** Asserts that no landed byte sequence is lost, naming every one that is. */
export function assertNothingLost(ledger: Ledger, places: Places): Map<string, 'stored' | 'drop' | 'quarantine' | 'lost'> {
  const where = whereIsEverything(ledger, places);
  const lost = [...where].filter(([, w]) => w === 'lost').map(([h]) => `${ledger.landed.get(h)} (${h.slice(0, 12)})`);
  assert.deepEqual(lost, [], `lost: ${lost.join(', ')}`);
  return where;
}

/** `cusp audit verify` on the config: exit 0 and "intact". */
export async function assertAuditIntact(configPath: string, cwd: string): Promise<void> {
  const verify = await runCli(['audit', 'verify', '--config', configPath], { cwd });
  assert.equal(verify.code, 0, `audit verify failed:\n${verify.stdout}${verify.stderr}`);
}

/** The daemon answers /health with 200. */
export async function assertAnswers(daemon: RunningDaemon): Promise<void> {
  const res = await daemon.request('GET', '/api/v1/health');
  assert.equal(res.status, 200, `health answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Size of a file, or -1 when it is gone. */
export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/** A temp folder whose `data` subfolder is a small tmpfs, and the daemon running on it (for its log and cleanup). */
export interface SmallDisk {
  dir: string;
  data: string;
  running: { daemon?: RunningDaemon };
}

/**
 * Mounts a tmpfs of `size` (e.g. '64m') as `<temp>/data`; everything is killed, unmounted and
 * removed after the test, and the last daemon's output kept in `<tmpdir>/<prefix>last.log`.
 * Undefined (the test skipped with the reason) where mounting is impossible (not root).
 */
export function smallDisk(t: TestContext, prefix: string, size: string): SmallDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const data = join(dir, 'data');
  mkdirSync(data);
  let mounted = false;
  const running: { daemon?: RunningDaemon } = {};
  t.after(async () => {
    if (running.daemon) writeFileSync(join(tmpdir(), `${prefix}last.log`), running.daemon.output());
    await running.daemon?.stop('SIGKILL');
    if (mounted) execFileSync('umount', ['-l', data]);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', data], { stdio: 'pipe' });
    mounted = true;
  } catch (err) {
    t.skip(`cannot mount a tmpfs for the data folder (needs root): ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  return { dir, data, running };
}
