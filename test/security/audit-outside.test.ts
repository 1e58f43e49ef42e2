// Issue 18, point 1, at the level of the real daemon and the real `cusp` commands: each
// rewrite of the audit trail by someone with the database key is named by `cusp audit
// verify` (with --against a copy kept outside the server where the files on it cannot
// show it), a lost signing key stops the daemon instead of being replaced silently, and
// every signed checkpoint reaches a real syslog collector (Debian's rsyslog) over TLS.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventHash, GENESIS_HASH } from '../../src/audit/event.js';
import { loadSigningKey, signCheckpoint } from '../../src/audit/signing.js';
import { ENTRY } from '../../src/backup/manifest.js';
import { unseal } from '../../src/backup/sealed.js';
import { extractEntry, listTar } from '../../src/backup/tar.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { collector, rsyslogMissing } from '../helpers/rsyslog.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

interface Site { dir: string; data: string; keyFile: string; key: Buffer; checkpoints: string; signingKey: string; db: string }

function site(dir: string): Site {
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const data = join(dir, 'data');
  return { dir, data, keyFile, key, checkpoints: join(data, 'audit', 'checkpoints.jsonl'), signingKey: join(data, 'audit', 'signing.key'), db: join(data, 'cusp.db') };
}

const config = (s: Site, extra = '') => `store:\n  keyFile: ${s.keyFile}\naudit:\n  checkpointEvery: 3\n${extra}`;

/** Audited requests: bad tokens (each a different credential, so none is locked out). */
async function activity(d: RunningDaemon, n: number): Promise<void> {
  for (let i = 0; i < n; i++) assert.equal((await d.request('GET', '/api/v1/scans', { token: `cusp_bad${i}${randomBytes(4).toString('hex')}_x` })).status, 401);
}

const cli = (s: Site, ...args: string[]) => runCli([...args, '--config', join(s.dir, 'cusp.yaml')], { cwd: s.dir });
const checkpointSeqs = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq);

/** What someone with the database key can do: open it and lift the append-only triggers. */
function asAttacker(s: Site, fn: (db: Db) => void): void {
  const db = openDatabase(s.db, s.key);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;');
    fn(db);
  } finally {
    db.close();
  }
}

/** A daemon run that leaves a few signed checkpoints, and a copy of them kept elsewhere. */
async function runWithCopy(s: Site, port: number, events = 8): Promise<string> {
  const d = await startDaemon(s.dir, { port, extraConfig: config(s) });
  try {
    await activity(d, events);
  } finally {
    assert.equal(await d.stop(), 0);
  }
  const copy = join(s.dir, 'monitoring-copy.jsonl');
  copyFileSync(s.checkpoints, copy);
  return copy;
}

test('(c) the tail cut off with every later checkpoint, in the database and checkpoints.jsonl: verify alone sees nothing, --against the outside copy names the first missing event', async (t) => {
  const s = site(tempDir(t));
  const copy = await runWithCopy(s, 47160);
  const seqs = checkpointSeqs(s.checkpoints);
  assert.ok(seqs.length >= 3, `checkpoints: ${seqs.join(', ')}`);
  const keep = seqs[0];
  asAttacker(s, (db) => {
    db.prepare('DELETE FROM audit_events WHERE seq > ?').run(keep);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(keep);
  });
  writeFileSync(s.checkpoints, readFileSync(s.checkpoints, 'utf8').split('\n').filter((l) => l && (JSON.parse(l) as { seq: number }).seq <= keep).map((l) => `${l}\n`).join(''));

  // (Against the copy first: each verify is recorded in the trail, as the next event.)
  const against = await cli(s, 'audit', 'verify', '--against', copy);
  assert.equal(against.code, 1, against.stdout + against.stderr);
  assert.match(against.stdout, new RegExp(`first bad event: ${keep + 1}\\b`));
  assert.match(against.stdout, new RegExp(`event ${keep + 1} is missing: .*monitoring-copy\\.jsonl \\(line 2\\) records event ${seqs[1]}.*were cut off`));
  const alone = await cli(s, 'audit', 'verify');
  assert.equal(alone.code, 0, 'the files on the server were all rewritten consistently: this is the hole the outside copy closes');
  assert.match(alone.stdout, /audit chain OK/);
});

test('(b) a backup under the database key does not carry the signing key; a trail rewritten and re-signed with a new key is named by --against the outside copy', async (t) => {
  const s = site(tempDir(t));
  const copy = await runWithCopy(s, 47161);
  const backupFile = join(s.dir, 'b.cuspbak');
  const made = await cli(s, 'backup', backupFile);
  assert.equal(made.code, 0, made.stderr);
  // Everything in the backup the database key opens: no Ed25519 private key among it.
  const entries = listTar(backupFile);
  assert.ok(!entries.some((e) => e.name === ENTRY.signingKey), 'no sealed signing key');
  const work = tempDir(t);
  for (const e of entries.slice(1)) {
    const out = join(work, e.name.replaceAll('/', '_'));
    await extractEntry(backupFile, e, out);
    const bytes = readFileSync(out);
    assert.equal(bytes.indexOf('PRIVATE KEY'), -1, `${e.name} holds no private key in plain form`);
    let opened: Buffer | undefined;
    try { opened = unseal(s.key, e.name, bytes.toString('utf8')); } catch { opened = undefined; }
    assert.ok(opened === undefined || opened.indexOf('PRIVATE KEY') === -1 || e.name === ENTRY.caKey, `${e.name} unseals to no signing key`);
  }

  // The attacker rewrites event 2, recomputes the whole chain, makes his own signing key,
  // re-signs every checkpoint and replaces the key file, the public key in the database
  // and checkpoints.jsonl: everything on the server agrees again.
  const { privateKey } = generateKeyPairSync('ed25519');
  unlinkSync(s.signingKey);
  writeFileSync(s.signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const forged = loadSigningKey(s.signingKey);
  const lines: string[] = [];
  asAttacker(s, (db) => {
    db.prepare("UPDATE audit_events SET actor = 'principal:99' WHERE seq = 2").run();
    let prev = GENESIS_HASH;
    const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Array<Record<string, unknown>>;
    const update = db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
    const hashes = new Map<number, string>();
    for (const r of rows) {
      const hash = eventHash(prev, { seq: r.seq as number, time: r.time as string, actor: r.actor as string, action: r.action as string, object: r.object as string | null, outcome: r.outcome as 'success', source: r.source as string | null, details: JSON.parse(r.details as string) as Record<string, unknown> });
      update.run(prev, hash, r.seq);
      hashes.set(r.seq as number, hash);
      prev = hash;
    }
    const cps = db.prepare('SELECT seq, time FROM audit_checkpoints ORDER BY seq').all() as Array<{ seq: number; time: string }>;
    db.prepare('DELETE FROM audit_checkpoints').run();
    const insert = db.prepare('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (?, ?, ?, ?, ?)');
    for (const c of cps) {
      const hash = hashes.get(c.seq)!;
      const signature = signCheckpoint(forged, c.seq, hash, c.time);
      insert.run(c.seq, hash, c.time, forged.keyId, signature);
      lines.push(JSON.stringify({ seq: c.seq, hash, time: c.time, keyId: forged.keyId, signature }));
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_public_key'").run(forged.publicPem);
  });
  writeFileSync(s.checkpoints, lines.map((l) => `${l}\n`).join(''));

  const alone = await cli(s, 'audit', 'verify');
  assert.equal(alone.code, 0, 'a consistent forgery with a replaced key passes the check on the server alone');
  const against = await cli(s, 'audit', 'verify', '--against', copy);
  assert.equal(against.code, 1);
  const first = checkpointSeqs(copy)[0];
  assert.match(against.stdout, new RegExp(`first bad event: ${first}\\b`));
  assert.match(against.stdout, new RegExp(`checkpoint at event ${first} was signed by key \\w+, which is neither this server's signing key ${forged.keyId}`));
  assert.match(against.stdout, new RegExp(`event ${first} differs from .*monitoring-copy\\.jsonl \\(line 1\\)`));
});

test('(a) an event removed from the unsigned tail of the running daemon: health turns degraded, the next checkpoint is not signed over it, verify names it', async (t) => {
  const s = site(tempDir(t));
  const d = await startDaemon(s.dir, { port: 47162, extraConfig: config(s) });
  t.after(() => d.stop('SIGKILL'));
  await activity(d, 4);
  const before = (await d.request('GET', '/api/v1/health')).body as { status: string; audit: { headSeq: number; headHash: string } };
  assert.equal(before.status, 'ready');
  const removed = before.audit.headSeq;
  const signed = checkpointSeqs(s.checkpoints);
  assert.ok(signed.at(-1)! < removed, `event ${removed} is in the unsigned tail (checkpoints: ${signed.join(', ')})`);
  asAttacker(s, (db) => db.prepare('DELETE FROM audit_events WHERE seq = ?').run(removed));
  await activity(d, 3);
  const health = (await d.request('GET', '/api/v1/health')).body as { status: string; problems?: string[] };
  assert.equal(health.status, 'degraded');
  assert.match(health.problems?.join('\n') ?? '', new RegExp(`audit event ${removed}, appended by this daemon, is gone from the table`));
  assert.equal(await d.stop(), 0);
  assert.match(d.output(), /the audit trail was changed under the running daemon|appended by this daemon/);
  const verify = await cli(s, 'audit', 'verify');
  assert.equal(verify.code, 1);
  assert.match(verify.stdout, new RegExp(`first bad event: ${removed}\\b`));
  assert.match(verify.stdout, new RegExp(`event ${removed} is missing \\(removed from the log\\)`));
});

test('a missing signing key stops the daemon with what to do; cusp audit new-signing-key starts a new one on the record, and the old checkpoints still verify', async (t) => {
  const s = site(tempDir(t));
  await runWithCopy(s, 47163, 4);
  const oldKeyId = loadSigningKey(s.signingKey).keyId;
  unlinkSync(s.signingKey);
  await assert.rejects(startDaemon(s.dir, { port: 47164, extraConfig: config(s) }), (err: Error) => {
    assert.match(err.message, /exited with 1/);
    assert.match(err.message, new RegExp(`audit signing key .*signing\\.key is missing, but this installation's audit trail was signed with it \\(key id ${oldKeyId}\\)`));
    assert.match(err.message, /restore the key file from where you keep it/);
    assert.match(err.message, /cusp audit new-signing-key --reason TEXT/);
    return true;
  });
  assert.equal(existsSync(s.signingKey), false, 'no key was made silently');

  const noReason = await cli(s, 'audit', 'new-signing-key');
  assert.notEqual(noReason.code, 0);
  assert.match(noReason.stderr, /--reason/);
  const made = await cli(s, 'audit', 'new-signing-key', '--reason', 'old server died, key had no copy');
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stderr, new RegExp(`the old key ${oldKeyId} is retired`));
  const again = await cli(s, 'audit', 'new-signing-key', '--reason', 'again');
  assert.equal(again.code, 1, 'a key that is there is never replaced');

  const d = await startDaemon(s.dir, { port: 47165, extraConfig: config(s) });
  await activity(d, 3);
  // The running daemon's /health as the outside copy (its head and newest checkpoint).
  const live = await cli(s, 'audit', 'verify', '--against', 'https://127.0.0.1:47165/api/v1/health', '--ca', join(s.data, 'tls', 'ca.crt'));
  assert.equal(live.code, 0, live.stdout + live.stderr);
  assert.match(live.stdout, /matches https:\/\/127\.0\.0\.1:47165\/api\/v1\/health: 2 of 2 records/);
  assert.equal(await d.stop(), 0);
  const verify = await cli(s, 'audit', 'verify');
  assert.equal(verify.code, 0, verify.stdout);
  const db = openDatabase(s.db, s.key, { readonly: true });
  t.after(() => db.close());
  const event = db.prepare("SELECT details FROM audit_events WHERE action = 'audit.signing_key.new'").get() as { details: string };
  assert.deepEqual(JSON.parse(event.details), { oldKeyId, newKeyId: loadSigningKey(s.signingKey).keyId, reason: 'old server died, key had no copy' });
});

test('every signed checkpoint reaches a real syslog collector (rsyslog, RFC 5425 over TLS) and /metrics; verify --against the file it wrote', { skip: rsyslogMissing ?? false }, async (t) => {
  const dir = tempDir(t);
  const s = site(dir);
  const port = 47151;
  const rsyslog = collector(t, tempDir(t), port);
  rsyslog.start();
  const { out } = rsyslog;

  // A token for /metrics, made offline before (a command's own checkpoints are not forwarded).
  await (await startDaemon(dir, { port: 47153, extraConfig: config(s) })).stop();
  const token = (await cli(s, 'token', 'create', '--name', 'prometheus', '--role', 'admin')).stdout.trim();
  assert.ok(token.length > 20, 'a token was made');
  const d = await startDaemon(dir, { port: 47152, extraConfig: config(s, `  syslog:\n    host: 127.0.0.1\n    port: ${port}\n    caFile: ${rsyslog.caFile}\n    hostname: clinic-cusp\n    reconnectMinSeconds: 0.2\n    reconnectMaxSeconds: 1\n`) });
  t.after(() => d.stop('SIGKILL'));
  await activity(d, 7);
  const signed = await until('two checkpoints signed', () => existsSync(s.checkpoints) && checkpointSeqs(s.checkpoints).length >= 2 && checkpointSeqs(s.checkpoints));
  await until(`rsyslog to write checkpoint ${signed.at(-1)}`, () => existsSync(out) && readFileSync(out, 'utf8').includes(`seq="${signed.at(-1)}"`));
  const health = (await d.request('GET', '/api/v1/health')).body as { status: string; audit: { headSeq: number; headHash: string; checkpoint: { seq: number; hash: string }; syslog: { state: string } } };
  assert.equal(health.status, 'ready');
  assert.equal(health.audit.syslog.state, 'connected');
  assert.ok(health.audit.headSeq >= signed.at(-1)!);
  assert.match(health.audit.headHash, /^[0-9a-f]{64}$/);
  const metrics = (await d.request('GET', '/api/v1/metrics', { token })).body as string;
  assert.match(metrics, /cusp_audit_checkpoint_seq \d+/);
  assert.match(metrics, /cusp_audit_head_info\{seq="\d+",hash="[0-9a-f]{64}"\} 1/);
  assert.match(metrics, /cusp_audit_syslog_connected 1/);
  assert.equal(await d.stop(), 0);
  const last = checkpointSeqs(s.checkpoints).at(-1)!;
  await until('the stop\'s checkpoint at the collector', () => readFileSync(out, 'utf8').includes(`seq="${last}"`));

  // Each line is an RFC 5424 message as sent: header, the checkpoint's SD element.
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  const fileLines = readFileSync(s.checkpoints, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string; signature: string });
  for (const cp of fileLines) {
    const line = lines.find((l) => l.includes(`seq="${cp.seq}"`));
    assert.ok(line, `checkpoint ${cp.seq} reached the collector`);
    assert.match(line, /^<85>1 \S+ clinic-cusp cusp - checkpoint \[cusp-checkpoint@32473 /);
    assert.ok(line.includes(`hash="${cp.hash}"`) && line.includes(`signature="${cp.signature}"`));
  }
  const ok = await cli(s, 'audit', 'verify', '--against', out);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, new RegExp(`matches ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d+) of \\1 records`));

  // (c) once more, now against what the collector holds.
  const keep = fileLines[0].seq;
  asAttacker(s, (db) => {
    db.prepare('DELETE FROM audit_events WHERE seq > ?').run(keep);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(keep);
  });
  writeFileSync(s.checkpoints, `${JSON.stringify(fileLines[0])}\n`);
  const cut = await cli(s, 'audit', 'verify', '--against', out);
  assert.equal(cut.code, 1);
  assert.match(cut.stdout, new RegExp(`first bad event: ${keep + 1}\\b`));
});
