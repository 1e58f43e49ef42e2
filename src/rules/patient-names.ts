/**
 * Patient names and ids in folder names: 'Smith_John', 'Smith, John', 'Smith_John_1980-02-03',
 * a practice-software id like '4711', and Medit-style 'Smith_John_20261120_…' export folders.
 * Names are kept as written (trimmed, whitespace collapsed, Unicode NFC so a macOS-decomposed
 * 'Müller' equals a typed one); warnings never quote them.
 */
import { DATE_SOURCE, parseDate } from './dates.js';
import type { PatientHint } from './types.js';

/** Trims, collapses runs of whitespace and composes Unicode (NFC). */
export function cleanName(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** A folder name that is a practice-software id rather than a name: '4711', 'P-4711', 'PAT_00123'. */
const PMS_ID = /^(?:\d+|[A-Za-z]{1,4}[-_]?\d{2,})$/;
const HAS_LETTER = /\p{L}/u;

/**
 * Splits a whole name into last and first name: 'Smith, John' and 'Smith_John' are
 * last-then-first; anything else ('John Smith') is ambiguous and kept whole as the last name.
 */
export function splitPatientName(text: string, warnings: string[], where: string): PatientHint {
  const comma = text.indexOf(',');
  const parts = comma >= 0 ? [text.slice(0, comma), text.slice(comma + 1)] : text.split('_');
  if (parts.length === 2 && parts.every((p) => HAS_LETTER.test(p))) {
    return { lastName: cleanName(parts[0]), firstName: cleanName(parts[1]) };
  }
  warnings.push(`${where}: the patient name has no 'Last_First' or 'Last, First' form — kept whole as the last name`);
  return { lastName: cleanName(text.replace(/_/g, ' ')) };
}

const NAME_THEN_DATE = new RegExp(String.raw`^(?<name>.*?\p{L}.*?)[_ ,(]+(?<label>(?:\*|geb\.?|dob:?|born|b\.)\s*)?(?<date>${DATE_SOURCE})\)?$`, 'iu');

/** What a patient folder names: the patient, and a visit date when the folder carries one. */
export interface FolderPatient {
  patient: PatientHint;
  /** A date in the folder name without a birth-date label: the visit's capture date. */
  capturedAt?: string;
}

/** An archive (`….zip`) or a scanner's export folder (`OrthoCAD_Export_98765 (4)`): never a person. */
const EXPORT_CONTAINER = /(?:\.zip$|^(?:OrthoCAD|iTero)[ _-]?Export(?:[ _-]|$))/i;

/** Whether a folder name is an archive's or an export folder's own name, which names no one. */
export function isExportContainer(name: string): boolean {
  return EXPORT_CONTAINER.test(name.trim());
}

/**
 * The patient a patient-subfolder layout's first folder names: a practice-software id
 * (→ externalId {system: 'pms'}), or a name with an optional trailing date. That date is the
 * visit's (`Meier_Anna_2026-12-02`, a session per visit) unless a label says it is the birth
 * date: `Smith, John (*03.02.1980)`, `Smith_John_geb. 03.02.1980`, `DOB 1980-02-03`, `born …`.
 */
export function patientFromFolder(folder: string, warnings: string[]): FolderPatient | undefined {
  const name = folder.trim();
  if (PMS_ID.test(name)) return { patient: { externalId: { system: 'pms', value: name } } };
  if (!HAS_LETTER.test(name)) {
    warnings.push('patient folder: the name is neither a patient name nor a practice-software id — left unassigned');
    return undefined;
  }
  const withDate = name.match(NAME_THEN_DATE);
  if (!withDate?.groups) return { patient: splitPatientName(name, warnings, 'patient folder') };
  const patient = splitPatientName(withDate.groups.name, warnings, 'patient folder');
  const date = parseDate(withDate.groups.date);
  if (!date) {
    warnings.push('patient folder: the date is not a calendar date — ignored');
    return { patient };
  }
  if (withDate.groups.label) return { patient: { ...patient, birthDate: date } };
  return { patient, capturedAt: date };
}

const NAME_DATE_FOLDER = new RegExp(
  String.raw`^(?<name>[^/]*?)[_ ]+(?<date>\d{4}-\d{2}-\d{2}|\d{8}|\d{2}\.\d{2}\.\d{4})(?:\d{4,6})?(?:[_ -][^/]*)?$`,
  'u',
);

/**
 * An export folder named '<patient>_<date>[_<time or id>]' (Medit and others): the name part
 * (undefined when it is a single word like 'Scan', which names no one) and the date text.
 */
export function nameDateFolder(folder: string): { patientName?: string; date: string } | undefined {
  if (isExportContainer(folder)) return undefined;
  const m = folder.match(NAME_DATE_FOLDER);
  if (!m?.groups) return undefined;
  const name = m.groups.name.trim();
  const namesSomeone = HAS_LETTER.test(name) && /[,_ ]/.test(name) && !/\d/.test(name);
  return { patientName: namesSomeone ? name : undefined, date: m.groups.date };
}
