// Audit chain throughput: append (one transaction per event, as a lone API read does,
// and 100 per transaction, as a busy ingest does) and verify, against plain INSERTs of
// the same rows without the chain on the same encrypted database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadOrCreateSigningKey } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { openStore } from '../../src/store/store.js';
import { dbOf } from '../helpers/db.js';

const dir = mkdtempSync(join(tmpdir(), 'cusp-bench-audit-'));
const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
const signingKey = loadOrCreateSigningKey(join(dir, 'signing.key'));
const checkpointFile = join(dir, 'checkpoints.jsonl');
const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile, checkpointEvery: 1000, checkpointMinutes: 10 });

const event = (i: number) => ({ actor: 'principal:12', action: 'scan.read', object: `scan:3f1c2a9e-${i}`, source: '192.0.2.10', details: { route: '/api/v1/scans/:id' } });
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

dbOf(store).exec('CREATE TABLE plain_events (seq INTEGER PRIMARY KEY, time TEXT, actor TEXT, action TEXT, object TEXT, outcome TEXT, source TEXT, details TEXT)');
const plain = dbOf(store).prepare('INSERT INTO plain_events (time, actor, action, object, outcome, source, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
const plainInsert = (i: number) => {
  const e = event(i);
  plain.run(new Date().toISOString(), e.actor, e.action, e.object, 'success', e.source, JSON.stringify(e.details));
};

const SINGLE = 2000;
const BATCHED = 100_000;
const plainSingle = time(() => { for (let i = 0; i < SINGLE; i++) plainInsert(i); });
const chainSingle = time(() => { for (let i = 0; i < SINGLE; i++) audit.append(event(i)); });
const plainBatched = time(() => {
  for (let b = 0; b < BATCHED / 100; b++) store.transaction(() => { for (let i = 0; i < 100; i++) plainInsert(i); });
});
const chainBatched = time(() => {
  for (let b = 0; b < BATCHED / 100; b++) {
    store.transaction(() => { for (let i = 0; i < 100; i++) audit.append(event(i)); });
    audit.maybeCheckpoint();
  }
});
audit.checkpoint();
let result: ReturnType<typeof verifyAudit> | undefined;
const verifyMs = time(() => { result = verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile }); });
const plainScanMs = time(() => { for (const row of dbOf(store).prepare('SELECT * FROM plain_events').iterate()) void row; });
if (!result?.ok) throw new Error(`verify failed: ${result?.problems[0]?.message}`);
const total = SINGLE + BATCHED;

console.log(`audit chain on SQLCipher 4, WAL, synchronous=FULL; ${total} events, ${result.checkpoints} checkpoints`);
console.log('operation                           events/s   reference (plain rows) events/s   ratio');
const row = (name: string, ours: number, ref: number) =>
  console.log(`${name.padEnd(36)}${String(ours).padEnd(11)}${String(ref).padEnd(34)}${(ours / ref).toFixed(2)}`);
row('append, 1 per transaction', rate(SINGLE, chainSingle), rate(SINGLE, plainSingle));
row('append, 100 per transaction', rate(BATCHED, chainBatched), rate(BATCHED, plainBatched));
row('verify (hash + links + signatures)', rate(total, verifyMs), rate(total, plainScanMs));
store.close();
rmSync(dir, { recursive: true, force: true });
