// Dentsply Sirona Primescan / Connect export names: UpperJaw.stl, LowerJaw/Data.obj, BuccalBite.stl.
import { describe } from 'node:test';
import type { ScanIdentity } from '../../src/rules/index.js';
import { checkRows, id, type Row } from './table.js';

const prime = (fields: Partial<ScanIdentity>) => id({ ...fields, scanner: 'primescan', rule: 'primescan' });
const SESSION = 'Session 2026-11-20';

const ROWS: Row[] = [
  { path: `${SESSION}/UpperJaw.stl`, identity: prime({ jaw: 'upper', capturedAt: '2026-11-20', caseId: SESSION }) },
  { path: `${SESSION}/LowerJaw.stl`, identity: prime({ jaw: 'lower', capturedAt: '2026-11-20', caseId: SESSION }) },
  { path: `${SESSION}/BuccalBite.stl`, identity: prime({ jaw: 'bite', capturedAt: '2026-11-20', caseId: SESSION }) },
  { path: 'Export/UpperJaw/Data.obj', identity: prime({ jaw: 'upper', caseId: 'Export' }), note: 'newer per-jaw folder with coloured OBJ' },
  { path: 'Export/LowerJaw/Data.obj', identity: prime({ jaw: 'lower', caseId: 'Export' }) },
  { path: 'case87990_UpperJaw.stl', identity: prime({ jaw: 'upper', caseId: 'case87990' }), note: 'case prefix' },
  {
    path: 'Fischer_Paul_2026-11-20/Oberkiefer.stl',
    identity: prime({ patient: { lastName: 'Fischer', firstName: 'Paul' }, jaw: 'upper', capturedAt: '2026-11-20', caseId: 'Fischer_Paul_2026-11-20' }),
    note: 'German export in a named session folder',
  },
  { path: 'Unterkiefer.ply', identity: prime({ jaw: 'lower' }), note: 'flat, German' },
  { path: 'LOWERJAW.STL', identity: prime({ jaw: 'lower' }), note: 'upper-case name' },
  { path: 'Praxis/Lower Jaw (1).stl', identity: prime({ jaw: 'lower', caseId: 'Praxis' }), note: 'space and copy suffix' },
  { path: 'Praxis/Buccal Registration Left.stl', identity: prime({ jaw: 'bite', caseId: 'Praxis' }) },
  {
    path: 'Keller, Eva_20261120/UpperJaw/Data.obj',
    identity: prime({ patient: { lastName: 'Keller', firstName: 'Eva' }, jaw: 'upper', capturedAt: '2026-11-20', caseId: 'Keller, Eva_20261120' }),
  },
  { path: 'Export/Data.obj', identity: id({ rule: 'none' }), note: 'Data.obj outside a jaw folder: unassigned' },
];

describe('primescan preset', () => checkRows('primescan', ROWS));
describe('generic finds Primescan names', () => checkRows('generic', ROWS));
