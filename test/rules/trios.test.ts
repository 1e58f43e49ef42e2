// 3Shape TRIOS / exocad-style case exports, with and without the .dentalProject sidecar.
import { describe } from 'node:test';
import { DENTAL_PROJECT } from './dental-project-sample.js';
import { checkRows, id, type Row } from './table.js';

const CASE = '2026-11-20_00003-001';
const trios = (jaw: 'upper' | 'lower' | 'bite' | 'other', caseId: string, capturedAt: string | null = null) =>
  id({ jaw, capturedAt, scanner: 'trios', rule: 'trios', caseId });


const projectPatient = {
  lastName: 'Müller-Lüdenscheidt',
  firstName: 'Hans Jürgen',
  birthDate: '1968-04-02',
  externalId: { system: 'dental-project', value: '4711' },
};

const ROWS: Row[] = [
  { path: `${CASE}/${CASE}-upperjaw.stl`, identity: trios('upper', CASE, '2026-11-20') },
  { path: `${CASE}/${CASE}-lowerjaw.ply`, identity: trios('lower', CASE, '2026-11-20') },
  { path: `${CASE}/${CASE}-bite0.stl`, identity: trios('bite', CASE, '2026-11-20') },
  { path: `${CASE}/${CASE}-bite1.stl`, identity: trios('bite', CASE, '2026-11-20') },
  { path: `${CASE}/${CASE}-upperjaw-situ.stl`, identity: trios('upper', CASE, '2026-11-20'), note: 'pre-op situation scan' },
  { path: `${CASE}/${CASE}-UpperJaw.STL`, identity: trios('upper', CASE, '2026-11-20'), note: 'odd case' },
  { path: 'K4711_Weber/K4711_Weber_UpperJawScan.stl', identity: trios('upper', 'K4711_Weber') },
  { path: 'K4711_Weber/K4711_Weber_LowerJawScan.stl', identity: trios('lower', 'K4711_Weber') },
  { path: 'Auftrag 2026-0815/PreparationScan.stl', identity: trios('other', 'Auftrag 2026-0815'), note: 'role, not jaw' },
  { path: 'Auftrag 2026-0815/AntagonistScan.stl', identity: trios('other', 'Auftrag 2026-0815') },
  { path: 'Auftrag 2026-0815/Raw Antagonist scan.ply', identity: trios('other', 'Auftrag 2026-0815') },
  { path: 'T-1234_lowerjaw_orig_trios_export.stl', identity: trios('lower', 'T-1234'), note: 'high-resolution export suffix' },
  {
    path: `${CASE}/${CASE}-lowerjaw.stl`,
    project: DENTAL_PROJECT,
    identity: id({ patient: projectPatient, jaw: 'lower', capturedAt: '2026-11-20', scanner: 'trios', rule: 'trios', caseId: CASE }),
    note: 'with .dentalProject',
  },
  {
    path: `${CASE}/${CASE}-bite0.stl`,
    project: DENTAL_PROJECT.replace('2026-11-20T09:41:12.345+01:00', '2026-11-21T08:00:00Z').replace('<Teeth>', '<ProjectName>Krone 16</ProjectName><Teeth>'),
    identity: id({ patient: projectPatient, jaw: 'bite', capturedAt: '2026-11-21', scanner: 'trios', rule: 'trios', caseId: 'Krone 16' }),
    warnings: ["the sources give different capture dates — the project file's is used"],
    note: 'the project date and name win over the folder',
  },
  {
    path: 'Smith_John_2026-11-20/Smith_John_2026-11-20-upperjaw.stl',
    identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'upper', capturedAt: '2026-11-20', rule: 'generic' }),
    note: 'generic reads the name before TRIOS',
  },
  { path: 'notes/readme.stl', identity: id({ rule: 'none' }), note: 'no TRIOS word: unassigned' },
];

describe('trios preset', () => checkRows('trios', ROWS.slice(0, 14).concat(ROWS[15])));
describe('generic finds TRIOS names', () => checkRows('generic', ROWS));
