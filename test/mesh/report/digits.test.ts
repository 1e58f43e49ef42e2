// The report's counts print as `toLocaleString('en-US')` would, without loading ICU.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupDigits } from '../../../src/mesh/report/digits.js';

test('groupDigits writes what toLocaleString en-US writes, for integers of every length and sign', () => {
  const values = [0, 1, -1, 12, 999, 1000, -1000, 12_345, 999_999, 1_000_000, 1_234_567, -98_765_432, Number.MAX_SAFE_INTEGER];
  for (const n of values) assert.equal(groupDigits(n), n.toLocaleString('en-US'), String(n));
});

test('groupDigits leaves fractions to toLocaleString', () => {
  assert.equal(groupDigits(1234.5), (1234.5).toLocaleString('en-US'));
});
