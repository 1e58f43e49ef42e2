// Medit Link export names: '<patient>_<date>[_<time>]/' folders, Maxillary/Mandibular and friends.
import { describe } from 'node:test';
import type { ScanIdentity } from '../../src/rules/index.js';
import { checkRows, id, type Row } from './table.js';

const medit = (fields: Partial<ScanIdentity>) => id({ ...fields, scanner: 'medit', rule: 'medit' });
const WHOLE = "file name: the patient name has no 'Last_First' or 'Last, First' form — kept whole as the last name";

const ROWS: Row[] = [
  {
    path: 'Mustermann_Max_20231115_1030/Maxillary.stl',
    identity: medit({ patient: { lastName: 'Mustermann', firstName: 'Max' }, jaw: 'upper', capturedAt: '2023-11-15', caseId: 'Mustermann_Max_20231115_1030' }),
  },
  {
    path: 'Mustermann_Max_20231115_1030/Mandibular.stl',
    identity: medit({ patient: { lastName: 'Mustermann', firstName: 'Max' }, jaw: 'lower', capturedAt: '2023-11-15', caseId: 'Mustermann_Max_20231115_1030' }),
  },
  {
    path: 'Schmidt, Anna_2026-11-20_14-02-33/upper.stl',
    identity: medit({ patient: { lastName: 'Schmidt', firstName: 'Anna' }, jaw: 'upper', capturedAt: '2026-11-20', caseId: 'Schmidt, Anna_2026-11-20_14-02-33' }),
  },
  {
    path: 'John Smith_20261120/lower.ply',
    identity: medit({ patient: { lastName: 'John Smith' }, jaw: 'lower', capturedAt: '2026-11-20', caseId: 'John Smith_20261120' }),
    warnings: [WHOLE],
    note: 'order of a spaced name unknown: kept whole',
  },
  {
    path: 'Garcia_Lopez_20261120103000/Garcia_Lopez_Upper_Scan.stl',
    identity: medit({ patient: { lastName: 'Garcia', firstName: 'Lopez' }, jaw: 'upper', capturedAt: '2026-11-20', caseId: 'Garcia_Lopez_20261120103000' }),
    note: 'date with time glued on',
  },
  {
    path: 'Nguyen_Thi_20260102/Occlusion_1.stl',
    identity: medit({ patient: { lastName: 'Nguyen', firstName: 'Thi' }, jaw: 'bite', capturedAt: '2026-01-02', caseId: 'Nguyen_Thi_20260102' }),
  },
  { path: 'Export/Maxillary.stl', identity: medit({ jaw: 'upper' }), note: 'Medit file name without a dated folder' },
  {
    path: 'Mu\u0308ller_Ju\u0308rgen_20261120/Oberkiefer.stl',
    identity: medit({ patient: { lastName: 'Müller', firstName: 'Jürgen' }, jaw: 'upper', capturedAt: '2026-11-20', caseId: 'Mu\u0308ller_Ju\u0308rgen_20261120' }),
    note: 'macOS-decomposed umlauts, German jaw word',
  },
  { path: 'Case_20261120/MANDIBULAR-situ.stl', identity: medit({ jaw: 'lower', capturedAt: '2026-11-20', caseId: 'Case_20261120' }), note: 'single word names no one' },
  {
    path: 'Weber_Lena_20261331/upper.stl',
    identity: medit({ patient: { lastName: 'Weber', firstName: 'Lena' }, jaw: 'upper', caseId: 'Weber_Lena_20261331' }),
    warnings: ['file name: the date is not a calendar date — ignored'],
    note: 'month 13',
  },
  {
    path: 'Weber_Lena_20261120_0930/Weber_Lena_20261120_0930-lowerjaw.stl',
    identity: medit({ patient: { lastName: 'Weber', firstName: 'Lena' }, jaw: 'lower', capturedAt: '2026-11-20', caseId: 'Weber_Lena_20261120_0930' }),
    note: 'exocad-style file in a Medit folder',
  },
  { path: 'Weber_Lena_20261120_0930/Scan.stl', identity: medit({ patient: { lastName: 'Weber', firstName: 'Lena' }, capturedAt: '2026-11-20', caseId: 'Weber_Lena_20261120_0930' }), note: 'no jaw word' },
  { path: 'exports/lower.stl', identity: id({ jaw: 'lower', rule: 'none' }), note: 'not Medit: unassigned, jaw from words' },
];

describe('medit preset', () => checkRows('medit', ROWS));
// Under generic, `-lowerjaw` reads as TRIOS and `Oberkiefer.stl` as Primescan (their own names): same
// patient, jaw and date, another scanner label.
const SHARED_NAMES = /lowerjaw\.stl$|Oberkiefer\.stl$/;
describe('generic finds Medit names', () => checkRows('generic', ROWS.filter((r) => !SHARED_NAMES.test(r.path))));
