// identifyScan: the patient-subfolder layout, sidecar precedence, and what stays unassigned.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compileRule, identifyScan } from '../../src/rules/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { DENTAL_PROJECT } from './dental-project-sample.js';
import { checkRows, id } from './table.js';

const SUB = 'patient-subfolder' as const;
const WHOLE = "patient folder: the patient name has no 'Last_First' or 'Last, First' form — kept whole as the last name";

describe('patient-subfolder layout', () => {
  checkRows('generic', [
    { path: 'Smith_John/upper.stl', layout: SUB, identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'upper', rule: 'patient-subfolder' }) },
    { path: 'Smith, John/2026-11-20/lower.stl', layout: SUB, identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'lower', rule: 'patient-subfolder' }) },
    {
      path: 'Meier_Anna_2026-12-02/Scan 1.stl',
      layout: SUB,
      identity: id({ patient: { lastName: 'Meier', firstName: 'Anna' }, capturedAt: '2026-12-02', rule: 'patient-subfolder' }),
      note: 'a date in a folder name is the visit, never a birth date',
    },
    {
      path: 'Meier_Anna_2026-12-02/UpperJaw/Data.obj',
      layout: SUB,
      identity: id({ patient: { lastName: 'Meier', firstName: 'Anna' }, jaw: 'upper', capturedAt: '2026-12-02', scanner: 'primescan', rule: 'primescan' }),
      note: 'a Primescan session as the patient folder',
    },
    { path: 'Smith, John (*03.02.1980)/Bite.stl', layout: SUB, identity: id({ patient: { lastName: 'Smith', firstName: 'John', birthDate: '1980-02-03' }, jaw: 'bite', rule: 'patient-subfolder' }), note: 'a labelled birth date' },
    { path: 'Smith_John_DOB 1980-02-03/Bite.stl', layout: SUB, identity: id({ patient: { lastName: 'Smith', firstName: 'John', birthDate: '1980-02-03' }, jaw: 'bite', rule: 'patient-subfolder' }), note: 'DOB label' },
    {
      path: 'OrthoCAD_Export_98765.zip/98765_shell_occlusion_u.stl',
      layout: SUB,
      identity: id({ patient: { orderId: { system: 'itero-order', value: '98765' } }, jaw: 'upper', scanner: 'itero', rule: 'itero', caseId: '98765' }),
      note: "an archive's own name is never a patient folder",
    },
    {
      path: '4711/UpperJaw.stl',
      layout: SUB,
      identity: id({ patient: { externalId: { system: 'pms', value: '4711' } }, jaw: 'upper', scanner: 'primescan', rule: 'primescan' }),
      note: 'practice-software id; the file still matched Primescan',
    },
    {
      path: 'Smith_John/Smith_John_2026-11-20_upper.stl',
      layout: SUB,
      identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'upper', capturedAt: '2026-11-20', rule: 'generic' }),
      note: 'folder and name agree',
    },
    {
      path: 'Meier_Anna/Smith_John_2026-11-20_upper.stl',
      layout: SUB,
      identity: id({ patient: { lastName: 'Meier', firstName: 'Anna' }, jaw: 'upper', capturedAt: '2026-11-20', rule: 'generic' }),
      warnings: ['the file name names a different patient than the patient folder — sent to identity review'],
      note: 'folder wins over the file name',
    },
    { path: 'John Smith/upper.stl', layout: SUB, identity: id({ patient: { lastName: 'John Smith' }, jaw: 'upper', rule: 'patient-subfolder' }), warnings: [WHOLE] },
    {
      path: 'Smith_John_1980-02-30/x.stl',
      layout: SUB,
      identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, rule: 'patient-subfolder' }),
      warnings: ['patient folder: the date is not a calendar date — ignored'],
    },
    {
      path: 'upper.stl',
      layout: SUB,
      identity: id({ jaw: 'upper', rule: 'none' }),
      warnings: ['patient-subfolder layout: the scan is not inside a patient folder — left unassigned'],
    },
    {
      path: '2026/upper.stl',
      layout: SUB,
      identity: id({ patient: { externalId: { system: 'pms', value: '2026' } }, jaw: 'upper', rule: 'patient-subfolder' }),
      note: 'digits are taken as a practice-software id',
    },
    {
      path: '___/upper.stl',
      layout: SUB,
      identity: id({ jaw: 'upper', rule: 'none' }),
      warnings: ['patient folder: the name is neither a patient name nor a practice-software id — left unassigned'],
    },
    {
      path: 'Dupont_Marie/OrthoCAD_Export_156502001/156502001_shell_occlusion_l.stl',
      layout: SUB,
      identity: id({
        patient: { lastName: 'Dupont', firstName: 'Marie', orderId: { system: 'itero-order', value: '156502001' } },
        jaw: 'lower',
        scanner: 'itero',
        rule: 'itero',
        caseId: '156502001',
      }),
    },
  ]);
});

describe('sidecar', () => {
  const FILE = 'Smith_John_2026-11-20_upper.stl';
  checkRows('generic', [
    {
      path: FILE,
      sidecar: { pmsId: 4711 },
      identity: id({ patient: { lastName: 'Smith', firstName: 'John', externalId: { system: 'pms', value: '4711' } }, jaw: 'upper', capturedAt: '2026-11-20', rule: 'generic' }),
      note: 'the PMS id joins the name from the file',
    },
    {
      path: FILE,
      sidecar: { patientId: 'A-88', lastName: ' Smith ', firstName: 'John  Paul', birthDate: '1980-02-03', jaw: 'UK', capturedAt: '2026-11-21T08:30:00+01:00', practice: 'ignored' },
      identity: id({
        patient: { lastName: 'Smith', firstName: 'John Paul', birthDate: '1980-02-03', externalId: { system: 'pms', value: 'A-88' } },
        jaw: 'lower',
        capturedAt: '2026-11-21',
        rule: 'generic',
      }),
      warnings: ["the sources give different capture dates — the sidecar's is used"],
      note: 'explicit values win, the file name agrees (fewer words), unknown keys ignored',
    },
    {
      path: 'scan.stl',
      sidecar: { externalId: { system: 'charly', value: 99 }, pmsId: '1', jaw: 'bite' },
      identity: id({ patient: { externalId: { system: 'charly', value: '99' } }, jaw: 'bite', rule: 'sidecar' }),
      note: 'sidecar alone identifies',
    },
    {
      path: FILE,
      sidecar: { patientId: -3, birthDate: '1980-13-01', jaw: 'left', capturedAt: 'yesterday', lastName: '' },
      identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'upper', capturedAt: '2026-11-20', rule: 'generic' }),
      warnings: [
        'sidecar: patientId is not valid (Invalid input) — ignored',
        'sidecar: lastName is not valid (Too small: expected string to have >=1 characters) — ignored',
        'sidecar: birthDate is not a calendar date (YYYY-MM-DD) — ignored',
        'sidecar: jaw is not a known jaw word (upper, lower, bite, other, …) — ignored',
        'sidecar: capturedAt is not a calendar date (YYYY-MM-DD) — ignored',
      ],
      note: 'bad values reported and dropped, the rest still used',
    },
    { path: FILE, sidecar: ['4711'], identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'upper', capturedAt: '2026-11-20', rule: 'generic' }), warnings: ['sidecar: not a JSON object — ignored'] },
    { path: 'scan.stl', sidecar: 'Smith', identity: id({ rule: 'none' }), warnings: ['sidecar: not a JSON object — ignored'] },
    {
      path: 'scan.stl',
      sidecar: { patientId: '4711', pmsId: '4712' },
      identity: id({ patient: { externalId: { system: 'pms', value: '4712' } }, rule: 'sidecar' }),
      warnings: ['sidecar: pmsId and patientId differ — using pmsId'],
    },
    {
      path: '2026-11-20_00003-001/2026-11-20_00003-001-upperjaw.stl',
      sidecar: { lastName: 'Meier', firstName: 'Anna', capturedAt: '2026-11-22' },
      project: DENTAL_PROJECT,
      identity: id({
        patient: { lastName: 'Müller-Lüdenscheidt', firstName: 'Hans Jürgen', birthDate: '1968-04-02', externalId: { system: 'dental-project', value: '4711' } },
        jaw: 'upper', capturedAt: '2026-11-20', scanner: 'trios', rule: 'trios', caseId: '2026-11-20_00003-001',
      }),
      warnings: ['the sidecar names a different patient than the project file — sent to identity review', "the sources give different capture dates — the project file's is used"],
      note: '.dentalProject over the sidecar; naming another patient is a conflict',
    },
    {
      path: 'Smith_John/scan.stl',
      layout: SUB,
      sidecar: { jaw: 'other' },
      identity: id({ patient: { lastName: 'Smith', firstName: 'John' }, jaw: 'other', rule: 'patient-subfolder' }),
    },
  ]);
});

describe('warnings never quote patient data', () => {
  test('names and birth dates stay out of every warning', () => {
    const rule = compileRule('generic');
    const { warnings } = identifyScan({
      relativePath: 'Zebrowski_Quentin_1977-02-30/Zebrowski Quentin_2026-11-20_upper.stl',
      rule,
      layout: SUB,
      sidecar: { lastName: 'Xanthopoulos', birthDate: '1977-13-13' },
    });
    assert.ok(warnings.length >= 3, warnings.join('\n'));
    for (const w of warnings) assert.doesNotMatch(w, /Zebrowski|Quentin|Xanthopoulos|1977/);
  });
});

describe('real file names from the corpus', { skip: !hasCorpus() && 'corpus not present' }, () => {
  test('Open-Full-Jaw tooth files: maxilla → upper, mandible → lower, nobody assigned', () => {
    const manifest = JSON.parse(readFileSync(corpusPath('MANIFEST.json'), 'utf8')) as { files: Array<{ file: string }> };
    const teeth = manifest.files.map((f) => f.file).filter((f) => f.startsWith('dental/openfulljaw_'));
    assert.ok(teeth.length >= 4);
    const rule = compileRule('generic');
    for (const file of teeth) {
      const { identity, warnings } = identifyScan({ relativePath: file, rule, layout: 'flat' });
      const jaw = file.includes('_maxilla_') ? 'upper' : 'lower';
      assert.deepEqual({ identity, warnings }, { identity: id({ jaw, rule: 'none' }), warnings: [] }, file);
    }
  });
});
