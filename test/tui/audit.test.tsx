// The audit screen against a real daemon: verify the chain, filter events, page, export
// the trail as FHIR AuditEvent NDJSON to a file.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertFits, consoleDaemon, Connection, KEYS, renderConsole } from './console-helpers.js';

test('audit: verify reports an intact chain, a filter narrows the events, export writes FHIR AuditEvents', async (t) => {
  const { socketPath, dir } = await consoleDaemon(t);
  const app = renderConsole(t, Connection.socket(socketPath), { initialScreen: 'audit' });
  let frame = await app.waitFor(/›#1\s+\S+ \S+\s+system\s+daemon\.start/);
  assert.match(frame, /Chain not verified in this session — press v/);
  assertFits(frame);

  await app.press('v');
  frame = await app.waitFor(/Chain ✓ intact · \d+ events · head #\d+ · \d+ checkpoints/);
  await app.waitFor(/✓ chain intact: \d+ events/);

  await app.press('f');
  await app.press(...Array(20).fill(KEYS.backspace));
  await app.type('action=daemon.* outcome=success');
  await app.press(KEYS.enter);
  frame = await app.waitFor(/Filter action=daemon\.\* outcome=success · page 1 · 1 events/);
  assert.match(frame, /daemon\.start/);
  assert.doesNotMatch(frame, /scan\.list|audit\.verify/);
  assertFits(frame);

  await app.press('f');
  await app.type(' who=me');
  await app.press(KEYS.enter);
  await app.waitFor(/✗ unknown filter who/);

  const file = join(dir, 'trail.ndjson');
  await app.press('e');
  await app.waitFor('Export to (.log: syslog, else FHIR): cusp-audit-');
  await app.press(...Array(40).fill(KEYS.backspace));
  await app.type(file);
  await app.press(KEYS.enter);
  frame = await app.waitFor(/✓ exported [\d.]+ KiB \(fhir\) to/);
  assertFits(frame);
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { resourceType: string });
  assert.ok(lines.length >= 3);
  assert.ok(lines.every((l) => l.resourceType === 'AuditEvent'));
  assert.equal(statSync(file).mode & 0o777, 0o600);

  await app.press('e');
  await app.press(...Array(40).fill(KEYS.backspace));
  await app.type(file);
  await app.press(KEYS.enter);
  await app.waitFor(/✗ export to .*EEXIST/);
});
