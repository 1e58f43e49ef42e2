// The checkpoint forwarder against a real collector (rsyslog over TLS): while the collector
// is away, checkpoints wait in a bounded queue (the oldest dropped and counted) and sending
// never blocks; when it comes back, the forwarder reconnects by itself and the queue drains.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog, type Checkpoint } from '../../src/audit/audit-log.js';
import { createSigningKey } from '../../src/audit/signing.js';
import { openStore } from '../../src/store/store.js';
import { SyslogForwarder } from '../../src/audit/syslog.js';
import { collector, rsyslogMissing } from '../helpers/rsyslog.js';
import { captureLogging } from '../helpers/logging.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const checkpoint = (seq: number): Checkpoint => ({ seq, hash: seq.toString(16).padStart(64, '0'), time: new Date(Date.UTC(2026, 11, 6, 8, 0, seq)).toISOString(), keyId: '0123456789abcdef', signature: `sig${seq}+/=` });

test('collector away: a bounded queue and no blocking; back: reconnects with backoff and delivers what waited, in order', { skip: rsyslogMissing ?? false }, async (t) => {
  const rsyslog = collector(t, tempDir(t), 47170);
  const captured = captureLogging();
  const logger = captured.logging.logger('audit');
  const lines = () => [captured.text()];
  const forwarder = new SyslogForwarder({ host: '127.0.0.1', port: 47170, caFile: rsyslog.caFile, hostname: 'clinic', queueSize: 3, reconnectMinSeconds: 0.1, reconnectMaxSeconds: 0.4 }, { log: logger, instanceId: 'i-1' });
  t.after(() => forwarder.close(0));
  forwarder.start();
  for (let seq = 1; seq <= 5; seq++) forwarder.send(checkpoint(seq));
  const away = forwarder.status();
  assert.notEqual(away.state, 'connected');
  assert.equal(away.queued, 3);
  assert.equal(away.dropped, 2);
  await until('a failed connection attempt', () => forwarder.status().lastError);
  assert.match(lines().join('\n'), /syslog collector 127\.0\.0\.1:47170: .*checkpoints wait in the queue/);
  assert.match(lines().join('\n'), /the oldest are dropped from the queue/);

  rsyslog.start();
  await until('the waiting checkpoints at the collector', () => rsyslog.lines().length >= 3 && rsyslog.lines());
  const got = rsyslog.lines().map((l) => /seq="(\d+)"/.exec(l)?.[1]);
  assert.deepEqual(got, ['3', '4', '5'], 'the newest three, in order; 1 and 2 were dropped');
  assert.equal(forwarder.status().state, 'connected');
  forwarder.send(checkpoint(6));
  await until('checkpoint 6', () => rsyslog.lines().length === 4);
  assert.match(rsyslog.lines()[3], /^<85>1 2026-12-06T08:00:06\.000Z clinic cusp - checkpoint \[cusp-checkpoint@32473 seq="6" hash="0{63}6" time="2026-12-06T08:00:06\.000Z" keyId="0123456789abcdef" signature="sig6\+\/=" instance="i-1"\] audit checkpoint seq=6/);
  await until('the queue to empty', () => forwarder.status().queued === 0);
  assert.deepEqual({ ...forwarder.status(), lastSentAt: undefined, lastError: undefined }, { target: '127.0.0.1:47170', state: 'connected', queued: 0, sent: 4, dropped: 2, lastSentAt: undefined, lastError: undefined });
});

test('a collector that never answers does not hold up the sender: of 10,000 checkpoints the newest 100 wait, the rest are counted as dropped', async (t) => {
  const logger = captureLogging().logging.logger('audit');
  // Port 47171: nothing listens there.
  const forwarder = new SyslogForwarder({ host: '127.0.0.1', port: 47171, queueSize: 100, reconnectMinSeconds: 0.1, reconnectMaxSeconds: 0.2 }, { log: logger });
  t.after(() => forwarder.close(0));
  forwarder.start();
  for (let seq = 1; seq <= 10_000; seq++) forwarder.send(checkpoint(seq));
  assert.equal(forwarder.status().queued, 100);
  assert.equal(forwarder.status().dropped, 9_900);
});

test('an unreadable collector CA is a clear error at start, naming the key', () => {
  const logger = captureLogging().logging.logger('audit');
  assert.throws(() => new SyslogForwarder({ host: 'collector.lan', port: 6514, caFile: '/nonexistent/ca.crt', queueSize: 10, reconnectMinSeconds: 1, reconnectMaxSeconds: 2 }, { log: logger }),
    /audit\.syslog\.caFile \/nonexistent\/ca\.crt cannot be read \(ENOENT\)/);
});

test('checkpoints another process signed are forwarded by the daemon\'s timer, once, and only when its key verifies them', (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const signingKey = createSigningKey(join(dir, 'signing.key'));
  const options = { signingKey, checkpointFile: join(dir, 'checkpoints.jsonl'), checkpointEvery: 3, checkpointMinutes: 60 };
  const daemon = new AuditLog(store.auditEvents, options);
  const sent: number[] = [];
  daemon.forwardTo({ send: (c) => sent.push(c.seq), status: () => ({ target: 'x', state: 'connected', queued: 0, sent: 0, dropped: 0 }) });
  daemon.append({ actor: 'system', action: 'daemon.start' });
  const command = new AuditLog(store.auditEvents, options);
  for (let i = 0; i < 3; i++) command.append({ actor: 'cli', action: 'token.create' });
  assert.equal(command.lastCheckpoint()?.seq, 3, 'the command signed event 3');
  assert.deepEqual(sent, []);
  daemon.forwardStored();
  daemon.forwardStored();
  assert.deepEqual(sent, [3]);
  for (let i = 0; i < 3; i++) daemon.append({ actor: 'system', action: 'x' });
  assert.deepEqual(sent, [3, 6], 'its own checkpoints go at once');
  daemon.forwardStored();
  assert.deepEqual(sent, [3, 6]);
  dbOf(store).prepare('INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES (9, ?, ?, ?, ?)').run('f'.repeat(64), new Date().toISOString(), signingKey.keyId, 'Zm9yZ2Vk');
  daemon.forwardStored();
  assert.deepEqual(sent, [3, 6], 'a row that does not verify is not sent as the server\'s checkpoint');
});
