// The audit trail as other systems read it: FHIR R4 AuditEvent (NDJSON) and RFC 5424
// syslog lines — mapped from real events of a real chain, and written by `cusp audit export`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { auditExport } from '../../daemon/commands/audit-export.js';
import { configFor, openAuditFor, openStoreFor } from '../../daemon/context.js';
import { actionCode, auditExportLines, CHAIN_EXTENSION, eventType, toFhirAuditEvent, toSyslogLine } from '../../src/audit/export.js';
import { stack } from '../helpers/stack.js';
import { tempDir } from '../helpers/temp.js';

const SOURCE = { instanceId: '5b0e6f3c-8d1a-4c77-9f2e-0c4d2a1b9e88', hostname: 'praxis-server', version: '1.2.3' };

/** RFC 5424: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG. */
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) ((?:\[[^\s\]=]+(?: [^\s=\]]+="(?:[^"\\\]]|\\["\\\]])*")*\])+) \uFEFF(.*)$/u;

function chain(t: Parameters<typeof stack>[0]) {
  const s = stack(t);
  s.audit.append({ actor: 'system', action: 'scan.ingest', object: 'scan:0b8e3c1e-7c55-4a65-9d9c-1f0a5e9b2d11', details: { patient: 'p_abcdefghijklmnop', size: 1234 } });
  s.audit.append({ actor: 'principal:3', action: 'scan.read', object: 'scan:0b8e3c1e-7c55-4a65-9d9c-1f0a5e9b2d11', source: '192.0.2.10' });
  s.audit.append({ actor: 'anonymous', action: 'auth.fail', outcome: 'denied', source: '192.0.2.66', details: { reason: 'unknown, revoked or expired token' } });
  s.audit.append({ actor: 'principal:4', action: 'security.alert', object: 'folder:in"box]\\x', source: '192.0.2.11', details: { alert: 'break-glass token used', route: '/api/v1/patients/"x"]\\' } });
  s.audit.append({ actor: 'local-admin', action: 'patient.erase', object: 'patient:p_abcdefghijklmnop', source: 'local', details: { scans: 2 } });
  return { s, events: s.audit.events(0, 100) };
}

test('each event becomes a FHIR R4 AuditEvent with DICOM type, action, outcome, agent, entity, observer and its chain link', (t) => {
  const { events } = chain(t);
  const [ingest, read, fail, alert, erase] = events.map((e) => toFhirAuditEvent(e, SOURCE) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const [i, r] of [ingest, read, fail, alert, erase].entries()) {
    assert.equal(r.resourceType, 'AuditEvent');
    assert.match(r.id, /^[A-Za-z0-9\-.]{1,64}$/, 'a valid FHIR id');
    assert.equal(r.recorded, events[i].time);
    assert.equal(typeof r.agent[0].requestor, 'boolean');
    assert.deepEqual(r.source.observer.identifier, { system: 'urn:cusp:instance', value: SOURCE.instanceId });
    const link = r.extension.find((x: { url: string }) => x.url === CHAIN_EXTENSION).extension;
    assert.deepEqual(link.map((x: { url: string }) => x.url), ['seq', 'hash', 'prevHash']);
    assert.equal(link[1].valueString, events[i].hash);
  }
  assert.deepEqual([ingest.type.code, ingest.action, ingest.outcome], ['110107', 'C', '0']);
  assert.deepEqual(ingest.subtype[0], { system: 'urn:cusp:audit-action', code: 'scan.ingest', display: 'scan.ingest' });
  assert.deepEqual(ingest.entity[0].what.identifier.value, 'scan:0b8e3c1e-7c55-4a65-9d9c-1f0a5e9b2d11');
  assert.deepEqual(JSON.parse(ingest.entity[0].detail[0].valueString), { patient: 'p_abcdefghijklmnop', size: 1234 });
  assert.deepEqual([read.type.code, read.action], ['110110', 'R']);
  assert.deepEqual(read.agent[0].network, { address: '192.0.2.10', type: '2' });
  assert.deepEqual(read.agent[0].who.identifier.value, 'principal:3');
  assert.deepEqual([fail.type.code, fail.outcome, fail.outcomeDesc], ['110114', '4', 'access denied']);
  assert.equal(alert.type.code, '110113');
  assert.deepEqual([erase.type.code, erase.action, erase.entity[0].role.code, erase.entity[0].type.code], ['110110', 'D', '1', '1']);
  assert.deepEqual(erase.agent[0].network, { address: 'praxis-server', type: '1' }, 'the admin socket is this machine');
  assert.equal(eventType('daemon.start').code, '110100');
  assert.equal(eventType('patient.export').code, '110106');
  assert.equal(eventType('audit.query').code, '110112');
  assert.equal(actionCode('patient.legal_hold'), 'U');
  assert.equal(actionCode('daemon.start'), 'E');
});

test('each event becomes one RFC 5424 line: authpriv, notice for success, warning for refusals, alert for security alerts; values escaped', (t) => {
  const { events } = chain(t);
  const lines = events.map((e) => toSyslogLine(e, SOURCE));
  const parsed = lines.map((l) => {
    const m = RFC5424.exec(l);
    assert.ok(m, `not RFC 5424: ${l}`);
    return m;
  });
  assert.deepEqual(parsed.map((m) => Number(m[1])), [85, 85, 84, 81, 85], 'facility 10 (authpriv) × 8 + severity');
  assert.deepEqual(parsed.map((m) => m[6]), ['scan.ingest', 'scan.read', 'auth.fail', 'security.alert', 'patient.erase']);
  assert.ok(parsed.every((m) => m[3] === 'praxis-server' && m[4] === 'cusp'));
  assert.match(lines[1], /\[cusp-audit@32473 seq="2" action="scan\.read" actor="principal:3" object="scan:0b8e3c1e-7c55-4a65-9d9c-1f0a5e9b2d11" outcome="success" source="192\.0\.2\.10" type="110110" hash="[0-9a-f]{64}"/);
  assert.match(lines[0], /\[origin software="cusp" swVersion="1\.2\.3"\]/);
  assert.deepEqual(JSON.parse(parsed[3][8]), events[3].details, 'the message is the details as JSON');
  assert.ok(lines[3].includes('object="folder:in\\"box\\]\\\\x"'), `quote, bracket and backslash escaped in SD values: ${lines[3]}`);
  assert.ok(lines.every((l) => !l.includes('\n')));
});

test('the export streams every event after `since`, one line each, in order', (t) => {
  const { s, events } = chain(t);
  for (let i = 0; i < 2100; i++) s.audit.append({ actor: 'principal:3', action: 'scan.list', details: { count: i } });
  const fhir = [...auditExportLines(s.audit, 'fhir', SOURCE)];
  assert.equal(fhir.length, events.length + 2100, 'pages of 1000 are all read');
  assert.ok(fhir.every((l) => l.endsWith('\n') && l.indexOf('\n') === l.length - 1));
  const seqs = fhir.map((l) => JSON.parse(l).extension[0].extension[0].valueInteger as number);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_v, i) => i + 1));
  const tail = [...auditExportLines(s.audit, 'syslog', SOURCE, 2000)];
  assert.equal(tail.length, events.length + 2100 - 2000);
  assert.match(tail[0], /seq="2001"/);
});

test('cusp audit export --format fhir --out FILE writes the trail (0600), refuses an existing file, and records the export', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const configPath = join(dir, 'cusp.yaml');
  writeFileSync(configPath, `dataDir: ${join(dir, 'data')}\nstore:\n  keyFile: ${keyFile}\n`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  const err: Buffer[] = [];
  stderr.on('data', (c: Buffer) => err.push(c));
  const io = { stdout, stderr, env: {} };
  const loaded = configFor(configPath, io);
  const { store } = openStoreFor(loaded, {});
  const { audit } = openAuditFor(store, loaded.config);
  audit.append({ actor: 'system', action: 'daemon.start' });
  audit.append({ actor: 'principal:1', action: 'scan.read', object: 'scan:0b8e3c1e-7c55-4a65-9d9c-1f0a5e9b2d11', source: '192.0.2.10' });
  const instanceId = store.meta.get('instance_id');
  store.close();

  const file = join(dir, 'audit.ndjson');
  assert.equal(await auditExport.run(['--format', 'fhir', '--out', file, '--config', configPath], io), 0);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { subtype: Array<{ code: string }>; source: { observer: { identifier: { value: string } } } });
  assert.deepEqual(lines.map((l) => l.subtype[0].code), ['daemon.start', 'scan.read']);
  assert.equal(lines[0].source.observer.identifier.value, instanceId, 'the observer is this installation');
  assert.match(Buffer.concat(err).toString(), /exported 2 audit event\(s\) as fhir/);
  await assert.rejects(auditExport.run(['--format', 'fhir', '--out', file, '--config', configPath], io), /exists already/);
  await assert.rejects(auditExport.run(['--format', 'xml', '--config', configPath], io), /unknown format 'xml' — --format takes fhir or syslog/);

  assert.equal(await auditExport.run(['--format', 'syslog', '--since', '2', '--config', configPath], io), 0);
  const syslog = Buffer.concat(out).toString().trim().split('\n');
  assert.equal(syslog.length, 1, 'after event 2 there is only the record of the first export');
  assert.match(syslog[0], /^<85>1 .* cusp - audit\.export \[origin/);
});
