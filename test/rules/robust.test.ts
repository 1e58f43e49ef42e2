// identifyScan on arbitrary paths, sidecars and project texts: never throws, always a well-formed identity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PRESETS, compileRule, identifyScan } from '../../src/rules/index.js';

const JAWS = ['upper', 'lower', 'bite', 'other'];
const SCANNERS = [null, 'trios', 'medit', 'itero', 'primescan'];
const RULES = [...Object.values(PRESETS), compileRule('{lastName}_{firstName}_{date}_{jaw}'), compileRule(String.raw`re:^(?<orderId>\d+)_.*_(?<jaw>[ul])`)];

/** Path pieces that look like real exports, mixed with noise, so the rules' branches are reached. */
const piece = fc.oneof(
  fc.constantFrom('Smith', 'John', 'Müller', 'OK', 'UK', 'upperjaw', 'UpperJaw', 'Data', 'OrthoCAD_Export_12345', '12345', 'shell', 'occlusion', 'u', 'l', '2026-11-20', '20261120', '20.11.2026', '2026-02-30', 'bite0', 'Antag', ',', ' ', '(1)', '..', ''),
  fc.string({ maxLength: 12 }),
);
const segment = fc.tuple(fc.array(piece, { maxLength: 6 }), fc.constantFrom('_', '-', ' ', '.', '')).map(([parts, sep]) => parts.join(sep));
const path = fc.tuple(fc.array(segment, { maxLength: 3 }), segment, fc.constantFrom('.stl', '.ply', '.obj', '.STL', '', '.zip')).map(([dirs, base, ext]) => [...dirs, base + ext].join('/'));

test('any path, sidecar and project text gives a well-formed identity and never throws', () => {
  fc.assert(
    fc.property(path, fc.option(fc.jsonValue(), { nil: undefined }), fc.option(fc.string({ maxLength: 200 }), { nil: undefined }), fc.nat(RULES.length - 1), fc.boolean(), (relativePath, sidecar, project, r, sub) => {
      const { identity, warnings } = identifyScan({ relativePath, rule: RULES[r], layout: sub ? 'patient-subfolder' : 'flat', sidecar, project });
      assert.ok(JAWS.includes(identity.jaw));
      assert.ok(SCANNERS.includes(identity.scanner));
      assert.ok(identity.capturedAt === null || /^\d{4}-\d{2}-\d{2}$/.test(identity.capturedAt));
      assert.ok(typeof identity.rule === 'string' && identity.rule !== '');
      if (identity.patient) assert.ok(identity.patient.lastName || identity.patient.firstName || identity.patient.externalId || identity.patient.orderId);
      if (identity.patient?.birthDate) assert.match(identity.patient.birthDate, /^\d{4}-\d{2}-\d{2}$/);
      assert.ok(warnings.every((w) => typeof w === 'string'));
    }),
    { seed: 20261120, numRuns: 3000 },
  );
});
