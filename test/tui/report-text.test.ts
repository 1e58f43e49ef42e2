import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisLines, figureLines, validationLines } from '../../tui/report-text.js';

test('a report with findings reads as a sentence per finding and short lines of figures', () => {
  const lines = validationLines({
    verdict: 'warn', triangles: 123456, vertices: 61000, area: 1234.5, volume: null,
    bbox: { min: [0, 0, 0], max: [45.25, 38.1, 22] }, components: { count: 3 }, holes: { count: 2 }, watertight: false,
    units: { guess: 'mm', reason: 'fits' },
    issues: [{ code: 'interior_holes', severity: 'warn', message: 'The scan has 2 holes inside its border.' }, { code: 'debris', severity: 'warn', message: '2 small loose pieces.' }],
  });
  assert.deepEqual(lines.map((l) => l.text), [
    'Usable, with 2 things to check:',
    '! The scan has 2 holes inside its border.',
    '! 2 small loose pieces.',
    '123,456 triangles · 61,000 vertices',
    'size 45.3 × 38.1 × 22 mm · area 1,235 mm²',
    '3 pieces · 2 holes · open surface',
  ]);
  assert.equal(lines[1].tone, 'warn');
  assert.ok(lines.every((l) => l.text.length <= 54), 'each line fits beside the preview at 80 columns');
});

test('no report, a good report and an unknown unit', () => {
  assert.deepEqual(validationLines(undefined), [{ text: 'not validated yet' }]);
  const ok = validationLines({ verdict: 'ok', issues: [], bbox: { min: [0, 0, 0], max: [1, 2, 3] }, units: { guess: 'unknown' } });
  assert.equal(ok[0].text, 'Good: no problems found.');
  assert.equal(ok[1].text, 'size 1 × 2 × 3 units');
});

test('other reports become name: value lines of their figures', () => {
  assert.deepEqual(figureLines({ rmsMm: 0.04213, within: { p95Mm: 0.12, ok: true }, regions: [1, 2], note: 'x'.repeat(100), areaMm2: 1234.56 }).map((l) => l.text), [
    'rmsMm: 0.0421', 'within.p95Mm: 0.12', 'within.ok: yes', 'areaMm2: 1,234.6',
  ]);
});

test('analyses read as sentences: wall thickness, the bite, the comparison with its warnings', () => {
  const text = (kind: string, body: unknown) => analysisLines(kind, body).map((l) => l.text);
  assert.deepEqual(text('thickness', { stats: { limitMm: 0.5, minMm: 0.31, meanMm: 1.84, p5Mm: 0.62, thinAreaMm2: 12.4 } }), [
    'Wall thickness:', '  thinnest 0.31 mm · mean 1.84 mm', '  12 mm² thinner than 0.5 mm',
  ]);
  assert.deepEqual(text('occlusion', { contactMm: 0.1, upper: { stats: { contactAreaMm2: 21.2, maxPenetrationMm: 0 } }, lower: { stats: { contactAreaMm2: 19.8, maxPenetrationMm: 0.08 } } }), [
    'Bite with the opposing jaw (contact within 0.1 mm):', '  contact area upper 21 mm² · lower 20 mm²', '  the jaws overlap by up to 0.08 mm',
  ]);
  const cmp = analysisLines('comparison', { overlap: 0.93, stats: { p95: 0.121, mean: 0.012, max: 0.43 }, regions: [{}, {}], warnings: ['only 60% of the new scan overlaps the old one'] });
  assert.deepEqual(cmp.map((l) => l.text), [
    'Compared with the previous scan:', '  95% within 0.121 mm · largest 0.43 mm', '  overlap 93% · 2 regions moved', '  ! only 60% of the new scan overlaps the old one',
  ]);
  assert.equal(cmp[3].tone, 'warn');
  assert.deepEqual(text('wear', { index: 2 }), ['Wear:', '  index: 2']);
  const widest = { stats: { limitMm: 0.55, minMm: 0.315, meanMm: 12.45, thinAreaMm2: 12345, p95: 10.125, max: 99.75 }, contactMm: 0.15, overlap: 1, regions: Array(12).fill({}) };
  for (const kind of ['thickness', 'occlusion', 'comparison']) {
    for (const l of [...analysisLines(kind, {}), ...analysisLines(kind, widest)]) assert.ok(l.text.length <= 54, `fits beside the preview: ${l.text}`);
  }
});
