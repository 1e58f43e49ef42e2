// `cusp audit verify --against`: every kind of outside copy is read (syslog checkpoint
// messages as a collector stores them, `cusp audit export` lines in both formats,
// checkpoints.jsonl, a /health answer, a /metrics scrape), and the first event the trail
// here does not match is named with what differs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { checkAgainst, readOutsideCopy } from '../../src/audit/against.js';
import { AuditLog, type Checkpoint } from '../../src/audit/audit-log.js';
import { toFhirAuditEvent, toSyslogLine } from '../../src/audit/export.js';
import { createSigningKey } from '../../src/audit/signing.js';
import { checkpointMessage, octetCounted } from '../../src/audit/syslog.js';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../helpers/temp.js';

function log(t: TestContext) {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  t.after(() => store.close());
  const signingKey = createSigningKey(join(dir, 'signing.key'));
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile: join(dir, 'checkpoints.jsonl'), checkpointEvery: 5, checkpointMinutes: 60 });
  for (let i = 1; i <= 12; i++) audit.append({ actor: 'principal:1', action: 'scan.read', object: `scan:${i}` });
  const trusted = { publicKey: signingKey.publicKey, keyId: signingKey.keyId };
  return { store, audit, signingKey, trusted };
}

const source = { instanceId: 'i-1', hostname: 'cusp-host', version: 'test' };

test('every kind of outside copy is read as seq → hash', (t) => {
  const { audit } = log(t);
  const cps = audit.events(0, 100).filter((e) => e.seq % 5 === 0);
  const cp: Checkpoint = audit.lastCheckpoint()!;
  const syslogLine = checkpointMessage(cp, 'cusp-host', 'i-1');
  assert.equal(octetCounted(syslogLine).toString('utf8'), `${Buffer.byteLength(syslogLine)} ${syslogLine}`, 'RFC 5425 octet counting');
  const copy = [
    `Dec  6 08:00:00 host ${syslogLine}`,
    toSyslogLine(audit.events(2, 1)[0], source),
    JSON.stringify(toFhirAuditEvent(audit.events(3, 1)[0], source)),
    JSON.stringify(cp),
    `cusp_audit_head_info{seq="12",hash="${audit.head()!.hash}"} 1`,
    'Dec  6 08:00:01 host cusp: audit checkpoint seq=5 hash=' + cps[0].hash,
    'an unrelated line',
  ].join('\n');
  const records = readOutsideCopy(copy);
  assert.deepEqual(records.map((r) => [r.seq, r.where]), [[cp.seq, 'line 1'], [3, 'line 2'], [4, 'line 3'], [cp.seq, 'line 4'], [12, 'line 5'], [5, 'line 6']]);
  assert.equal(records[0].signature, cp.signature, 'the signature survives the syslog escaping');
  const health = readOutsideCopy(JSON.stringify({ status: 'ready', audit: { headSeq: 12, headHash: audit.head()!.hash, checkpoint: { seq: cp.seq, hash: cp.hash, time: cp.time, keyId: cp.keyId } } }));
  assert.deepEqual(health.map((r) => r.seq), [12, cp.seq]);
});

test('a copy that matches is all matched; a changed event is named with both hashes; a forged outside line is named as altered', (t) => {
  const { store, audit, trusted } = log(t);
  const cp = audit.lastCheckpoint()!;
  const good = readOutsideCopy([checkpointMessage(cp, 'h', undefined), toSyslogLine(audit.events(6, 1)[0], source)].join('\n'));
  const ok = checkAgainst(store.auditEvents, 'collector.log', good, trusted);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.matched, 2);

  const otherHash = 'e'.repeat(64);
  const changed = checkAgainst(store.auditEvents, 'collector.log', [{ seq: 7, hash: otherHash, where: 'line 9' }], trusted);
  assert.equal(changed.problems[0].seq, 7);
  assert.match(changed.problems[0].message, /^event 7 differs from collector\.log \(line 9\): the copy has hash eeeeeeeeeeeeeeee…, the log here [0-9a-f]{16}… — the log was rewritten up to event 7$/);

  const forged = checkAgainst(store.auditEvents, 'collector.log', [{ ...cp, hash: otherHash, where: 'line 2' }], trusted);
  assert.match(forged.problems[0].message, /checkpoint at event 10 does not verify with key .* that line of the outside copy was altered/);
});
