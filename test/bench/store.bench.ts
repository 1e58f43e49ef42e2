// Store throughput: scan-sized blobs written and read through the BlobStore, encrypted
// (SQLCipher 4) against plain SQLite on the same machine, for several chunk sizes and
// cipher page sizes; the reference is writing/reading the same bytes as plain files.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { BlobStore } from '../../src/store/blobs.js';
import { applyKey } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';

const BLOB_SIZE = 1_425_484; // a real tooth STL from the corpus
const BLOBS = 48; // ~65 MiB
const MiB = 1024 * 1024;

const blobs = Array.from({ length: BLOBS }, () => randomBytes(BLOB_SIZE));
const totalMiB = (BLOB_SIZE * BLOBS) / MiB;
const dir = mkdtempSync(join(tmpdir(), 'cusp-bench-store-'));

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function fileReference(): { write: number; read: number } {
  const write = time(() => {
    blobs.forEach((b, i) => writeFileSync(join(dir, `f${i}`), b, { flush: true }));
  });
  const read = time(() => {
    blobs.forEach((_, i) => readFileSync(join(dir, `f${i}`)));
  });
  return { write, read };
}

interface Case { name: string; encrypted: boolean; pageSize: number; chunk: number; journal: 'WAL' | 'DELETE' }

function run(c: Case): { write: number; read: number } {
  const path = join(dir, `${c.name}.db`);
  const db = new Database(path);
  if (c.encrypted) {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    if (c.pageSize !== 4096) db.pragma(`legacy_page_size=${c.pageSize}`);
    applyKey(db, randomBytes(32));
  } else {
    db.pragma(`page_size=${c.pageSize}`);
  }
  db.pragma(`journal_mode=${c.journal}`);
  db.pragma('synchronous=FULL');
  db.pragma('secure_delete=ON');
  migrate(db);
  const store = new BlobStore(db, c.chunk);
  const hashes: string[] = [];
  // One transaction per blob, as ingest does (blob + scan row + audit event per file).
  const write = time(() => {
    for (const b of blobs) hashes.push(store.put(b).hash);
  });
  const read = time(() => {
    for (const h of hashes) store.get(h);
  });
  db.close();
  return { write, read };
}

const ref = fileReference();
const rows: string[][] = [];
const mibs = (ms: number) => (totalMiB / (ms / 1000)).toFixed(0);
rows.push(['plain files (reference)', '-', '-', '-', mibs(ref.write), mibs(ref.read), '1.00', '1.00']);
const cases: Case[] = [];
for (const chunk of [64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
  cases.push({ name: `enc-4k-${chunk}`, encrypted: true, pageSize: 4096, chunk, journal: 'WAL' });
}
for (const pageSize of [8192, 16384, 65536]) {
  cases.push({ name: `enc-${pageSize}`, encrypted: true, pageSize, chunk: 256 * 1024, journal: 'WAL' });
}
cases.push({ name: 'enc-delete', encrypted: true, pageSize: 4096, chunk: 256 * 1024, journal: 'DELETE' });
cases.push({ name: 'plain-4k', encrypted: false, pageSize: 4096, chunk: 256 * 1024, journal: 'WAL' });
cases.push({ name: 'plain-64k', encrypted: false, pageSize: 65536, chunk: 256 * 1024, journal: 'WAL' });
for (const c of cases) {
  const r = run(c);
  rows.push([c.encrypted ? 'SQLCipher 4' : 'plain SQLite', String(c.pageSize), `${c.chunk / 1024} KiB`, c.journal, mibs(r.write), mibs(r.read),
    (ref.write / r.write).toFixed(2), (ref.read / r.read).toFixed(2)]);
}
rmSync(dir, { recursive: true, force: true });

const header = ['store', 'page', 'chunk', 'journal', 'write MiB/s', 'read MiB/s', 'write ×files', 'read ×files'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join('  ');
console.log(`blob store: ${BLOBS} blobs of ${(BLOB_SIZE / 1e6).toFixed(2)} MB (${totalMiB.toFixed(0)} MiB), one transaction each, synchronous=FULL`);
console.log(line(header));
for (const r of rows) console.log(line(r));
