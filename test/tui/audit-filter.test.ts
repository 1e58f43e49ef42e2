import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAuditFilter, parseAuditFilter } from '../../tui/audit-filter.js';

test('a filter line parses into its keys and prints back the same', () => {
  const f = parseAuditFilter('  action=scan.*   outcome=denied from=2026-11-01 ');
  assert.deepEqual(f, { action: 'scan.*', outcome: 'denied', from: '2026-11-01' });
  assert.equal(formatAuditFilter(f as never), 'action=scan.* outcome=denied from=2026-11-01');
  assert.deepEqual(parseAuditFilter(''), {});
});

test('unknown keys and words without = are errors that list the keys', () => {
  assert.match((parseAuditFilter('who=me') as { error: string }).error, /unknown filter who \(keys: action, actor/);
  assert.match((parseAuditFilter('scan.read') as { error: string }).error, /not key=value/);
});
