// The default rule's common '{lastName}_{firstName}[_{birthDate}]_{date}_{jaw}' names, and names nothing matches.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PRESETS, compileRule } from '../../src/rules/index.js';
import type { ScanIdentity } from '../../src/rules/index.js';
import { checkRows, id, type Row } from './table.js';

const named = (lastName: string, firstName: string, capturedAt: string | null, jaw: ScanIdentity['jaw'], birthDate?: string) =>
  id({ patient: birthDate ? { lastName, firstName, birthDate } : { lastName, firstName }, jaw, capturedAt, rule: 'generic' });

const ROWS: Row[] = [
  { path: 'Smith_John_2026-11-20_upper.stl', identity: named('Smith', 'John', '2026-11-20', 'upper') },
  { path: 'Smith_John_1980-02-03_2026-11-20_lower.stl', identity: named('Smith', 'John', '2026-11-20', 'lower', '1980-02-03'), note: 'with birth date' },
  { path: 'Smith-John-20261120-UpperJaw.ply', identity: named('Smith', 'John', '2026-11-20', 'upper'), note: 'hyphens, compact date' },
  { path: 'Müller Hans 20.11.2026 Unterkiefer.stl', identity: named('Müller', 'Hans', '2026-11-20', 'lower'), note: 'spaces, German date and word' },
  { path: 'Smith.John.20.11.2026.OK.stl', identity: named('Smith', 'John', '2026-11-20', 'upper'), note: 'dots, OK = Oberkiefer' },
  { path: 'de la Cruz_María José_2026-11-20_UK.obj', identity: named('de la Cruz', 'María José', '2026-11-20', 'lower'), note: 'spaces inside names' },
  { path: 'Müller-Lüdenscheidt_Hans_2026-11-20_Antag_OK.stl', identity: named('Müller-Lüdenscheidt', 'Hans', '2026-11-20', 'upper'), note: 'antagonist with a jaw word' },
  { path: "O'Brien_Seán_2026-11-20_maxilla.stl", identity: named("O'Brien", 'Seán', '2026-11-20', 'upper') },
  { path: 'SMITH_JOHN_2026-11-20_MANDIBLE.STL', identity: named('SMITH', 'JOHN', '2026-11-20', 'lower'), note: 'names stored as given' },
  { path: 'Smith_John_2026-11-20_bite1.stl', identity: named('Smith', 'John', '2026-11-20', 'bite') },
  { path: 'Smith_John_2026-11-20_Antagonist.stl', identity: named('Smith', 'John', '2026-11-20', 'other'), note: 'antagonist alone' },
  { path: 'Smith_John_2026-11-20_scan.stl', identity: named('Smith', 'John', '2026-11-20', 'other'), note: 'no jaw word' },
  {
    path: 'Smith_John_2026-02-30_upper.stl',
    identity: named('Smith', 'John', null, 'upper'),
    warnings: ['file name: the date is not a calendar date — ignored'],
  },
  {
    path: 'Smith_John_2026-11-20_1980-02-03_upper.stl',
    identity: named('Smith', 'John', '1980-02-03', 'upper'),
    warnings: ['file name: the birth date lies after the scan date — birth date ignored'],
    note: 'dates swapped',
  },
  { path: 'scan_001.stl', identity: id({ rule: 'none' }), note: 'nothing: unassigned' },
  { path: 'export/lower arch.stl', identity: id({ jaw: 'lower', rule: 'none' }), note: 'unassigned, jaw from words' },
  { path: 'Oberkiefer/scan 3.stl', identity: id({ jaw: 'upper', rule: 'none' }), note: 'jaw word in the folder' },
  { path: 'Smith_John_upper.stl', identity: id({ jaw: 'upper', rule: 'none' }), note: 'no date: not a patient name rule' },
];

describe('generic rule', () => checkRows('generic', ROWS));
describe('auto is generic', () => checkRows('auto', ROWS.slice(0, 3)));

describe('presets', () => {
  test('every preset is compiled once and found by name in any case', () => {
    assert.deepEqual(Object.keys(PRESETS).sort(), ['auto', 'generic', 'itero', 'medit', 'primescan', 'trios']);
    for (const name of Object.keys(PRESETS)) {
      assert.equal(compileRule(name), PRESETS[name]);
      assert.equal(compileRule(` ${name.toUpperCase()} `), PRESETS[name]);
    }
  });
});
