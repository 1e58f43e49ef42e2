// Rules written by clinic IT: {field} patterns and re: regular expressions, and the errors for broken ones.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCuspError } from '../../src/errors.js';
import { compileRule } from '../../src/rules/index.js';
import { checkRows, id } from './table.js';

describe('{field} patterns', () => {
  const SPEC = '{lastName}_{firstName}_{date}_{jaw}';
  checkRows(SPEC, [
    { path: 'Smith_John_2026-11-20_upper.stl', identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'upper', capturedAt: '2026-11-20', rule: SPEC }) },
    { path: 'Meier_Anna_20.11.2026_Oberkiefer.ply', identity: id({ patient: { lastName: 'Meier', firstName: 'Anna' }, jaw: 'upper', capturedAt: '2026-11-20', rule: SPEC }) },
    {
      path: 'Meier_Anna_20261120_left.stl',
      identity: id({ patient: { lastName: 'Meier', firstName: 'Anna' }, capturedAt: '2026-11-20', rule: SPEC }),
      warnings: ['file name: the jaw field holds no known jaw word — jaw taken from other words'],
    },
    { path: 'Smith_John_upper.stl', identity: id({ jaw: 'upper', rule: 'none' }), note: 'no match: unassigned, jaw from words' },
    { path: 'van_der_Berg_Jan_2026-11-20_UK.stl', identity: id({ jaw: 'lower', rule: 'none' }), note: 'ambiguous split: unassigned, not guessed' },
  ]);

  checkRows('{patientId}-{jaw}', [
    { path: '4711-OK.stl', identity: id({ patient: { externalId: { system: 'pms', value: '4711' } }, jaw: 'upper', rule: '{patientId}-{jaw}' }) },
  ]);
  checkRows('{caseId}/{jaw}', [
    { path: 'inbox/A-17/lower.stl', identity: id({ jaw: 'lower', rule: '{caseId}/{jaw}', caseId: 'A-17' }), note: 'pattern over folders' },
  ]);
  checkRows('*_{orderId}_{jaw}', [
    {
      path: 'scan_99812_u.stl',
      identity: id({ patient: { orderId: { system: 'order', value: '99812' } }, jaw: 'upper', rule: '*_{orderId}_{jaw}', caseId: '99812' }),
    },
  ]);
  const BIRTH = '{lastName}, {firstName} ({birthDate}) {jaw}.stl';
  checkRows(BIRTH, [
    {
      path: 'Smith, John (03.02.1980) Unterkiefer.stl',
      identity: id({ patient: { lastName: 'Smith', firstName: 'John', birthDate: '1980-02-03' }, jaw: 'lower', rule: BIRTH }),
      note: 'extension in the pattern',
    },
    {
      path: 'Smith, John (31.02.1980) Unterkiefer.stl',
      identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'lower', rule: BIRTH }),
      warnings: ['file name: the birth date is not a calendar date — ignored'],
    },
  ]);
});

describe('re: rules', () => {
  const ORDER = String.raw`re:^(?<orderId>\d+)_.*_(?<jaw>[ul])\.stl$`;
  checkRows(ORDER, [
    { path: 'x/555123_shell_occlusion_l.stl', identity: id({ patient: { orderId: { system: 'order', value: '555123' } }, jaw: 'lower', rule: ORDER, caseId: '555123' }) },
  ]);
  const PATH = String.raw`re:^PAT(?<patientId>\d+)/(?<date>\d{8})_(?<jaw>\w+)`;
  checkRows(PATH, [
    {
      path: 'PAT0815/20261120_maxilla.ply',
      identity: id({ patient: { externalId: { system: 'pms', value: '0815' } }, jaw: 'upper', capturedAt: '2026-11-20', rule: PATH }),
      note: 'matched on the whole path',
    },
  ]);
  const NAMES = String.raw`re:^(?<lastName>[^_]+)_(?<firstName>[^_]+)_(?<any>.*)$`;
  checkRows(NAMES, [
    { path: 'Weber_Lena_UK_final.stl', identity: id({ patient: { lastName: 'Weber', firstName: 'Lena' }, jaw: 'lower', rule: NAMES }), note: 'jaw from words' },
  ]);
});

describe('broken rule specs', () => {
  const CASES: Array<[string, RegExp]> = [
    ['trois', /'trois' is not a known preset \(generic, auto, trios, medit, itero, primescan\)/],
    ['constructor', /'constructor' is not a known preset/],
    ['', /rule is empty/],
    ['{lastName}_{fristName}', /unknown field \{fristName\}: the fields are lastName, firstName, birthDate, date, jaw, patientId, orderId, caseId, any/],
    ['{lastName}_{lastName}', /uses \{lastName\} twice/],
    ['{lastName_{jaw}', /unknown field|unmatched/],
    ['{lastName}_jaw}', /unmatched '\}'/],
    ['*.stl', /names no field/],
    ['re:(?<lastName>[a-z', /is not a valid regular expression/],
    [String.raw`re:^\d+_u$`, /has no named groups/],
    ['re:(?<name>.*)', /unknown group \(\?<name>\)/],
  ];
  for (const [spec, message] of CASES) {
    test(`'${spec}' is refused`, () => {
      assert.throws(
        () => compileRule(spec),
        (err: unknown) => isCuspError(err) && err.code === 'config_invalid' && message.test(err.message),
      );
    });
  }
});
