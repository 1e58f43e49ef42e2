// The iTero export's own sources: the XML manifest (fast-xml-parser) and the Rx page
// (node-html-parser), read from texts built here from the facts of issue 16.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileRule, identifyScan, parseIteroManifest, parseRxHtml } from '../../src/rules/index.js';
import { iteroFiles } from '../fixtures/exports/build.js';

const FILES = iteroFiles({ order: '98765', xmlPatient: 'Anna, Meier', rxPatient: 'Meier, Anna', chart: 'K-4711', scanningDate: '12/01/2026', exportTime: '12/03/2026 16:20:11', seed: 1 });
const XML = FILES['itero_export_#98765_v30.xml'] as string;
const RX = FILES['Rx_98765.html'] as string;

describe('iTero manifest', () => {
  test('order, patient as written, export day, and each file with its jaw', () => {
    const m = parseIteroManifest(XML)!;
    assert.equal(m.orderId, '98765');
    assert.equal(m.caseType, 'Invisalign + iRecord');
    assert.equal(m.patient, 'Anna, Meier');
    assert.equal(m.exportedAt, '2026-12-03');
    assert.deepEqual(m.objects.map((o) => [o.type, o.jaw ?? null, o.fileName]), [
      ['Surface', 'upper', '98765_shell_occlusion_u.stl'], ['Surface', 'lower', '98765_shell_occlusion_l.stl'], ['Image', null, 'gallery_#98765.jpg'],
    ]);
  });
  test('attributes instead of elements, other letter case, entities', () => {
    const m = parseIteroManifest('<ITEROEXPORT version="3.0"><rxinfo orderid="1234567" patient="M&#252;ller, J&amp;rgen"/></ITEROEXPORT>');
    assert.equal(m?.orderId, '1234567');
    assert.equal(m?.patient, 'Müller, J&rgen');
  });
  test('junk and other XML give nothing, never a throw', () => {
    for (const text of ['', 'not xml', '<iTeroExport><RxInfo><OrderID>1', '<DentalProject/>', '<iTeroExport>'.repeat(5000), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><iTeroExport><RxInfo><Patient>&a;&a;</Patient></RxInfo></iTeroExport>']) {
      const got = parseIteroManifest(text);
      assert.ok(got === undefined || typeof got === 'object');
    }
    assert.equal(parseIteroManifest('<DentalProject/>'), undefined);
  });
});

describe('iTero Rx page', () => {
  test('labelled cells: order, last and first name, chart number, scanning date (US order)', () => {
    assert.deepEqual(parseRxHtml(RX), { orderId: '98765', lastName: 'Meier', firstName: 'Anna', chart: 'K-4711', scannedAt: '2026-12-01' });
  });
  test('a label and its value in two cells; a labelled birth date', () => {
    const html = '<table><tr><td>Patient:</td><td>Dupont, Marie</td></tr><tr><td>Date of Birth:</td><td>02/03/1980</td></tr><tr><td>Scanning Date</td><td>11/20/2026</td></tr></table>';
    assert.deepEqual(parseRxHtml(html), { lastName: 'Dupont', firstName: 'Marie', birthDate: '1980-02-03', scannedAt: '2026-11-20' });
  });
  test('a page without labelled cells gives nothing', () => {
    assert.equal(parseRxHtml('<html><body><p>Hello</p></body></html>'), undefined);
    assert.equal(parseRxHtml('plain text'), undefined);
  });
});

describe('identity from an iTero export', () => {
  const rule = compileRule('itero');
  test('the Rx page labels the name the manifest gives in another order: it wins, with a warning; the scanning date is the capture date', () => {
    const { identity, evidence, warnings } = identifyScan({ relativePath: 'OrthoCAD_Export_98765/98765_shell_occlusion_u.stl', rule, layout: 'flat', manifest: XML, rx: RX, mtimeMs: Date.UTC(2026, 11, 4) });
    assert.deepEqual(identity, {
      patient: { lastName: 'Meier', firstName: 'Anna', externalId: { system: 'chart', value: 'K-4711' }, orderId: { system: 'itero-order', value: '98765' } },
      jaw: 'upper', capturedAt: '2026-12-01', scanner: 'itero', rule: 'itero', caseId: '98765',
    });
    assert.deepEqual(evidence.conflicts, []);
    assert.deepEqual(Object.fromEntries(Object.entries(evidence.fields).map(([k, f]) => [k, f!.source])), {
      lastName: 'rx', firstName: 'rx', externalId: 'rx', orderId: 'manifest', capturedAt: 'rx', jaw: 'manifest', caseId: 'manifest', scanner: 'manifest',
    });
    assert.deepEqual(warnings, ["the iTero manifest and the Rx page give the name in another order — the Rx page's labelled last and first name are used"]);
  });
  test('manifest and Rx naming different people: a conflict for identity review', () => {
    const rx = RX.replace('Patient: Meier, Anna', 'Patient: Vogel, Ida');
    const { evidence } = identifyScan({ relativePath: 'OrthoCAD_Export_98765/98765_shell_occlusion_l.stl', rule, layout: 'flat', manifest: XML, rx });
    assert.deepEqual(evidence.conflicts, [{ field: 'name', values: [{ source: 'manifest', value: 'Anna, Meier' }, { source: 'rx', value: 'Vogel, Ida' }] }]);
  });
  test('without a manifest: the order from the names, no person, the file time as capture date', () => {
    const { identity, evidence } = identifyScan({ relativePath: 'OrthoCAD_Export_98765.zip/98765_shell_occlusion_l.stl', rule, layout: 'patient-subfolder', mtimeMs: new Date(2026, 11, 4, 12).getTime() });
    assert.deepEqual(identity.patient, { orderId: { system: 'itero-order', value: '98765' } });
    assert.equal(identity.capturedAt, '2026-12-04');
    assert.deepEqual(evidence.fields.capturedAt, { value: '2026-12-04', source: 'mtime' });
  });
});
