// parseDentalProject: patient and case facts from exocad's XML, and nothing (never a throw) from junk.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDentalProject } from '../../src/rules/index.js';
import { DENTAL_PROJECT } from './dental-project-sample.js';

describe('parseDentalProject', () => {
  test('reads name, first name, birth date, patient id and date of a TRIOS/exocad project', () => {
    assert.deepEqual(parseDentalProject(DENTAL_PROJECT), {
      lastName: 'Müller-Lüdenscheidt',
      firstName: 'Hans Jürgen',
      birthDate: '1968-04-02',
      externalId: { system: 'dental-project', value: '4711' },
      capturedAt: '2026-11-20',
    });
  });

  test("splits 'Last, First' in PatientName, decodes entities and CDATA, reads the project name", () => {
    const xml = `<DentalProject><Treatment><DateTime>20.11.2026 09:41</DateTime>
      <Patient><PatientName>O&apos;Brien, Se&#225;n</PatientName><PatientId><![CDATA[ K-0815 ]]></PatientId></Patient>
      <ProjectName>Br&#xFC;cke 14-16</ProjectName></Treatment></DentalProject>`;
    assert.deepEqual(parseDentalProject(xml), {
      lastName: "O'Brien",
      firstName: 'Seán',
      externalId: { system: 'dental-project', value: 'K-0815' },
      caseId: 'Brücke 14-16',
    });
  });

  test('an impossible birth date or scan date is left out', () => {
    const xml = '<P><PatientName>Weber</PatientName><PatientBirthday>1980-02-30</PatientBirthday><DateTime>2026-13-01T00:00:00</DateTime></P>';
    assert.deepEqual(parseDentalProject(xml), { lastName: 'Weber' });
  });

  test('PracticeName and other *Name tags are not taken for the patient', () => {
    assert.deepEqual(parseDentalProject('<X><PracticeName>Dr. Weber</PracticeName><MaterialName>Zirkon</MaterialName></X>'), {});
  });

  test('junk gives {} and never throws', () => {
    const junk = ['', 'not xml at all', '<a><b>', '<PatientName>unclosed', '<PatientName><PatientName></PatientName>', '\u0000\uffff<<<>>>&#xFFFFFFF;'];
    const bytes = new Uint8Array(4096);
    let seed = 7;
    for (let i = 0; i < bytes.length; i++) bytes[i] = seed = (seed * 1103515245 + 12345) & 0xff;
    junk.push(new TextDecoder().decode(bytes), '<PatientName>' + 'x'.repeat(200_000));
    for (const text of junk) assert.deepEqual(parseDentalProject(text), {}, JSON.stringify(text.slice(0, 40)));
    assert.deepEqual(parseDentalProject(undefined as unknown as string), {});
  });
});
