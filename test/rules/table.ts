// Table-driven identification checks: every row states the full identity and warnings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRule, identifyScan, type IdentifyInput, type ScanIdentity } from '../../src/rules/index.js';

export interface Row {
  path: string;
  identity: ScanIdentity;
  warnings?: string[];
  layout?: IdentifyInput['layout'];
  sidecar?: unknown;
  project?: string;
  /** Shown in the test name when the path alone does not say what the row is about. */
  note?: string;
}

/** One test per row: identifyScan with the rule `spec` gives exactly the row's identity and warnings. */
export function checkRows(spec: string, rows: Row[]): void {
  const rule = compileRule(spec);
  for (const row of rows) {
    test(`${spec}: ${row.path}${row.note ? ` (${row.note})` : ''}`, () => {
      const got = identifyScan({ relativePath: row.path, rule, layout: row.layout ?? 'flat', sidecar: row.sidecar, project: row.project });
      assert.deepEqual({ identity: got.identity, warnings: got.warnings }, { identity: row.identity, warnings: row.warnings ?? [] });
    });
  }
}

/** An identity with the usual defaults, for compact rows. */
export function id(fields: Partial<ScanIdentity> & Pick<ScanIdentity, 'rule'>): ScanIdentity {
  return { patient: null, jaw: 'other', capturedAt: null, scanner: null, ...fields };
}
