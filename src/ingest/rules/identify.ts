/**
 * Who a scan belongs to and which jaw it shows, from its path, the folder's rule, an optional
 * JSON sidecar and an optional `.dentalProject`. Pure: the ingest service reads the files.
 * A scan nothing identifies is unassigned (patient null), never an error.
 */
import { parseDate } from './dates.js';
import { parseDentalProject } from './dental-project.js';
import { jawFromPath, jawFromText } from './jaw-words.js';
import { cleanName, patientFromFolder, splitPatientName } from './patient-names.js';
import { splitScanPath, withoutFirstFolder } from './scan-path.js';
import { readSidecar } from './sidecar.js';
import type { CompiledRule, Jaw, PatientHint, RuleMatch, ScanIdentity } from './types.js';

export interface IdentifyInput {
  /** The file's path inside the watched folder, e.g. 'OrthoCAD_Export_123/123_shell_occlusion_u.stl'. */
  relativePath: string;
  rule: CompiledRule;
  /** patient-subfolder: the first folder level names the patient ('Smith_John', 'Smith, John', '4711'). */
  layout: 'flat' | 'patient-subfolder';
  /** Parsed JSON of `<scan>.json` or `cusp.json` beside the scan. */
  sidecar?: unknown;
  /** Text of a `*.dentalProject` in the scan's folder. */
  project?: string;
}

/** What the file-name rule said, checked. */
interface NameFacts {
  patient: PatientHint;
  jaw?: Jaw;
  capturedAt?: string;
  caseId?: string;
}

function readMatch(match: RuleMatch, warnings: string[]): NameFacts {
  const f = match.fields;
  const facts: NameFacts = { patient: match.patientName ? splitPatientName(match.patientName, warnings, 'file name') : {} };
  if (f.lastName && cleanName(f.lastName)) facts.patient.lastName = cleanName(f.lastName);
  if (f.firstName && cleanName(f.firstName)) facts.patient.firstName = cleanName(f.firstName);
  if (f.birthDate) {
    const birthDate = parseDate(f.birthDate);
    if (birthDate) facts.patient.birthDate = birthDate;
    else warnings.push('file name: the birth date is not a calendar date — ignored');
  }
  if (f.date) {
    facts.capturedAt = parseDate(f.date);
    if (!facts.capturedAt) warnings.push('file name: the date is not a calendar date — ignored');
  }
  if (facts.patient.birthDate && facts.capturedAt && facts.patient.birthDate > facts.capturedAt) {
    warnings.push('file name: the birth date lies after the scan date — birth date ignored');
    delete facts.patient.birthDate;
  }
  facts.jaw = match.jaw;
  if (!facts.jaw && f.jaw) {
    facts.jaw = jawFromText(f.jaw) ?? (f.jaw.toLowerCase() === 'other' ? 'other' : undefined);
    if (!facts.jaw) warnings.push('file name: the jaw field holds no known jaw word — jaw taken from other words');
  }
  if (f.patientId) facts.patient.externalId = { system: 'pms', value: f.patientId.trim() };
  else if (f.orderId) facts.patient.externalId = { system: match.scanner ? `${match.scanner}-order` : 'order', value: f.orderId.trim() };
  const caseId = f.caseId ?? f.orderId;
  if (caseId && caseId.trim()) facts.caseId = caseId.trim();
  return facts;
}

interface Source {
  label: string;
  rule: string;
  patient: PatientHint;
}

const hasName = (p: PatientHint): boolean => Boolean(p.lastName || p.firstName);
const nameKey = (p: PatientHint): string => `${p.lastName ?? ''}\u0000${p.firstName ?? ''}`.toLocaleLowerCase();

/**
 * One patient from the sources, highest priority first. The name comes whole from the first
 * source that has one (never a last name from one and a first name from another); birth date
 * and external id come from the first source that does not name someone else.
 */
function mergePatients(sources: Source[], warnings: string[]): { patient: PatientHint | null; from?: Source } {
  const named = sources.find((s) => hasName(s.patient));
  const agrees = (s: Source): boolean => !named || !hasName(s.patient) || nameKey(s.patient) === nameKey(named.patient);
  for (const s of sources) {
    if (named && !agrees(s)) warnings.push(`the ${s.label} names a different patient than the ${named.label} — the ${named.label} wins`);
  }
  const patient: PatientHint = {};
  if (named?.patient.lastName) patient.lastName = named.patient.lastName;
  if (named?.patient.firstName) patient.firstName = named.patient.firstName;
  const birth = sources.find((s) => agrees(s) && s.patient.birthDate);
  if (birth) patient.birthDate = birth.patient.birthDate;
  const withId = sources.filter((s) => agrees(s) && s.patient.externalId);
  if (withId[0]) patient.externalId = { ...withId[0].patient.externalId! };
  if (!hasName(patient) && !patient.externalId) return { patient: null };
  return { patient, from: named ?? withId[0] };
}

/**
 * Identifies one scan. Precedence: the JSON sidecar's explicit values, then the
 * `.dentalProject`, then the patient folder (patient-subfolder layout), then the file-name
 * rule; the jaw falls back to jaw words anywhere in the path, then 'other'.
 */
export function identifyScan(input: IdentifyInput): { identity: ScanIdentity; warnings: string[] } {
  const warnings: string[] = [];
  const path = splitScanPath(input.relativePath);
  const bySubfolder = input.layout === 'patient-subfolder';
  const rulePath = bySubfolder && path.dirs.length > 0 ? withoutFirstFolder(path) : path;

  const sidecar = readSidecar(input.sidecar, warnings);
  const project = input.project === undefined ? undefined : parseDentalProject(input.project);
  let folderPatient: PatientHint | undefined;
  if (bySubfolder && path.dirs.length === 0) warnings.push('patient-subfolder layout: the scan is not inside a patient folder — left unassigned');
  else if (bySubfolder) folderPatient = patientFromFolder(path.dirs[0], warnings);
  const match = input.rule.match(rulePath);
  const fromName = match ? readMatch(match, warnings) : undefined;

  const sources: Source[] = [];
  if (sidecar) sources.push({ label: 'sidecar', rule: 'sidecar', patient: sidecar.patient });
  if (project) {
    const { caseId: _caseId, capturedAt: _capturedAt, ...patient } = project;
    sources.push({ label: 'project file', rule: 'dentalProject', patient });
  }
  if (folderPatient) sources.push({ label: 'patient folder', rule: 'patient-subfolder', patient: folderPatient });
  if (fromName) sources.push({ label: 'file name', rule: match!.rule, patient: fromName.patient });
  const { patient, from } = mergePatients(sources, warnings);

  const identity: ScanIdentity = {
    patient,
    jaw: sidecar?.jaw ?? fromName?.jaw ?? jawFromPath(rulePath) ?? 'other',
    capturedAt: sidecar?.capturedAt ?? project?.capturedAt ?? fromName?.capturedAt ?? null,
    scanner: match?.scanner ?? null,
    rule: match?.rule ?? from?.rule ?? 'none',
  };
  const caseId = project?.caseId ?? fromName?.caseId;
  if (caseId) identity.caseId = caseId;
  return { identity, warnings };
}
