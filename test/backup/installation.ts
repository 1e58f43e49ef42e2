// A small real installation for backup tests: encrypted store, audit log with signed
// checkpoints, a local CA, one stored blob with a recognisable marker.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadOrCreateSigningKey } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import type { RestoreTargets } from '../../src/backup/restore.js';
import { openStore, type Store } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

/** Bytes that must never appear in plain form inside a backup file. */
export const MARKER = Buffer.from('PATIENT-MARKER-Mustermann-Erika-1961-04-12');

export interface Installation {
  dir: string;
  key: Buffer;
  files: RestoreTargets;
  store: Store;
  audit: AuditLog;
  /** Append `n` audit events and a checkpoint. */
  activity(n: number): void;
  blobHash: string;
  close(): void;
  verify(): ReturnType<typeof verifyAudit>;
}

/** Create an installation in a temp folder (or in `dir`). */
export function installation(t: TestContext, options: { key?: Buffer; dir?: string; events?: number } = {}): Installation {
  const dir = options.dir ?? tempDir(t);
  const key = options.key ?? randomBytes(32);
  const files: RestoreTargets = {
    dbPath: join(dir, 'cusp.db'),
    checkpointFile: join(dir, 'audit', 'checkpoints.jsonl'),
    signingKeyFile: join(dir, 'audit', 'signing.key'),
    caFile: join(dir, 'tls', 'ca.crt'),
    caKeyFile: join(dir, 'tls', 'ca.key'),
    certFile: join(dir, 'tls', 'server.crt'),
    tlsKeyFile: join(dir, 'tls', 'server.key'),
  };
  const store = openStore(files.dbPath, key);
  const signingKey = loadOrCreateSigningKey(files.signingKeyFile);
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile: files.checkpointFile, checkpointEvery: 10, checkpointMinutes: 60 });
  mkdirSync(join(dir, 'tls'), { recursive: true, mode: 0o700 });
  writeFileSync(files.caFile!, `-----BEGIN CERTIFICATE-----\nca of ${dir}\n-----END CERTIFICATE-----\n`, { mode: 0o644 });
  writeFileSync(files.caKeyFile!, `-----BEGIN PRIVATE KEY-----\n${randomBytes(24).toString('base64')}\n-----END PRIVATE KEY-----\n`, { mode: 0o600 });
  writeFileSync(files.certFile!, 'server cert', { mode: 0o644 });
  writeFileSync(files.tlsKeyFile!, 'server key', { mode: 0o600 });
  const blob = store.blobs.put(Buffer.concat([MARKER, randomBytes(20_000)]));
  let n = 0;
  const activity = (count: number): void => {
    for (let i = 0; i < count; i++) {
      n++;
      audit.append({ actor: 'principal:1', action: 'scan.read', object: `scan:${n}`, details: { n } });
    }
    audit.checkpoint();
  };
  activity(options.events ?? 25);
  let closed = false;
  const close = (): void => {
    if (!closed) store.close();
    closed = true;
  };
  t.after(close);
  return {
    dir, key, files, store, audit, activity, blobHash: blob.hash, close,
    verify: () => verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile: files.checkpointFile }),
  };
}
