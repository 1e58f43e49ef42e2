/**
 * exocad's `.dentalProject` (XML), which TRIOS, Medit and other scanners write beside a
 * case's meshes: the patient's name and id, the case's date and id. Read tolerantly by tag
 * name — the files vary by scanner and version, and a broken one must never stop ingest.
 */
import { parseDate } from './dates.js';
import { cleanName } from './patient-names.js';
import type { PatientHint } from './types.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  const cdata = text.match(/^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/);
  if (cdata) return cdata[1];
  return text.replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The text of the first element with one of these names that has non-empty text. */
function tag(xml: string, names: string[]): string | undefined {
  for (const name of names) {
    const re = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>`, 'i');
    const m = xml.match(re);
    const value = m ? cleanName(decode(m[1])) : '';
    if (value !== '' && !value.includes('<')) return value;
  }
  return undefined;
}

/**
 * Patient and case facts from a `.dentalProject` text: PatientName (+ PatientFirstName, or
 * 'Last, First' in one), PatientId (→ externalId {system: 'dental-project'}), a birth date,
 * the case's DateTime and its project/order name. Returns {} for junk; never throws.
 */
export function parseDentalProject(xml: string): PatientHint & { caseId?: string; capturedAt?: string } {
  if (typeof xml !== 'string' || !xml.includes('<')) return {};
  const out: PatientHint & { caseId?: string; capturedAt?: string } = {};
  const last = tag(xml, ['PatientLastName', 'PatientSurname', 'PatientName']);
  const first = tag(xml, ['PatientFirstName', 'PatientForename']);
  if (last && !first && last.includes(',')) {
    const [l, ...rest] = last.split(',');
    if (cleanName(l)) out.lastName = cleanName(l);
    if (cleanName(rest.join(','))) out.firstName = cleanName(rest.join(','));
  } else {
    if (last) out.lastName = last;
    if (first) out.firstName = first;
  }
  const birth = tag(xml, ['PatientBirthday', 'PatientBirthDate', 'PatientDateOfBirth', 'DateOfBirth', 'BirthDate']);
  const birthDate = birth ? parseDate(birth) : undefined;
  if (birthDate) out.birthDate = birthDate;
  const patientId = tag(xml, ['PatientId', 'PatientID', 'PatientNumber']);
  if (patientId) out.externalId = { system: 'dental-project', value: patientId };
  const when = tag(xml, ['DateTime', 'ScanDate', 'CreationDate']);
  const capturedAt = when ? parseDate(when) : undefined;
  if (capturedAt) out.capturedAt = capturedAt;
  const caseId = tag(xml, ['ProjectName', 'OrderNumber', 'OrderId', 'OrderID', 'CaseId']);
  if (caseId) out.caseId = caseId;
  return out;
}
