/**
 * One identity from many sources, most trusted first, without a silent pick: each field is
 * taken from the most trusted source that has it, and sources that name a different person
 * (another name, birth date or id in the same system) are recorded as conflicts for a person
 * to decide. The same two words in another order are no conflict: a source that labels last
 * and first name (the Rx page) wins over one that does not (the iTero manifest), with a warning.
 * Warnings never quote names or dates.
 */
import type { FieldFact, IdentityConflict, IdentityEvidence, Jaw, PatientHint, Scanner, SourceKind, SourceSaid } from './types.js';

/** What one source said, with how the ingest rule reports it. */
export interface Said {
  source: SourceKind;
  /** The name ScanIdentity.rule reports when this source named the patient. */
  rule: string;
  patient: PatientHint;
  /** Whether the source says which part is the last name (an Rx cell "Patient: Last, First" does). */
  nameLabelled: boolean;
  capturedAt?: string;
  jaw?: Jaw;
  caseId?: string;
  scanner?: Scanner;
}

/** How sources are named in warnings and to people. */
export const SOURCE_LABELS: Record<SourceKind, string> = {
  manifest: 'iTero manifest', rx: 'Rx page', dentalProject: 'project file', sidecar: 'sidecar',
  folder: 'patient folder', name: 'file name', mtime: 'file time', received: 'upload time',
};

export interface Fused {
  patient: PatientHint | null;
  nameFrom?: Said;
  idFrom?: Said;
  birthFrom?: Said;
  orderFrom?: Said;
  capturedAt?: { value: string; from: Said };
  jaw?: { value: Jaw; from: Said };
  caseId?: string;
  caseFrom?: Said;
  scanner?: Scanner;
  scannerFrom?: Said;
  conflicts: IdentityConflict[];
}

const hasName = (p: PatientHint): boolean => Boolean(p.lastName || p.firstName);

function fold(text: string | undefined): string {
  return (text ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function words(p: PatientHint): string[] {
  return fold(`${p.lastName ?? ''} ${p.firstName ?? ''}`).split(/[^\p{L}\d]+/u).filter(Boolean).sort();
}

/** 'same' name, the same words 'reordered', one a 'subset' of the other (less known), or 'different'. */
export function compareNames(a: PatientHint, b: PatientHint): 'same' | 'reordered' | 'subset' | 'different' {
  if (fold(a.lastName) === fold(b.lastName) && fold(a.firstName) === fold(b.firstName)) return 'same';
  const wa = words(a);
  const wb = words(b);
  if (wa.join(' ') === wb.join(' ')) return 'reordered';
  const [small, big] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  const rest = [...big];
  for (const w of small) {
    const i = rest.indexOf(w);
    if (i < 0) return 'different';
    rest.splice(i, 1);
  }
  // A first name alone that matches a last name is no evidence of the same person.
  return fold(a.lastName) === fold(b.lastName) || !a.lastName || !b.lastName ? 'subset' : 'different';
}

/** A name as people read it: 'Last, First'. */
export function nameText(p: PatientHint): string {
  return [p.lastName, p.firstName].filter(Boolean).join(', ');
}

const label = (s: Said): string => SOURCE_LABELS[s.source];

function pickName(sources: Said[], conflicts: IdentityConflict[], warnings: string[]): Said | undefined {
  const named = sources.filter((s) => hasName(s.patient));
  let from = named[0];
  const differing: Said[] = [];
  for (const s of named.slice(1)) {
    const rel = compareNames(from.patient, s.patient);
    if (rel === 'reordered') {
      if (!from.nameLabelled && s.nameLabelled) {
        warnings.push(`the ${label(from)} and the ${label(s)} give the name in another order — the ${label(s)}'s labelled last and first name are used`);
        from = s;
      } else {
        warnings.push(`the ${label(s)} gives the name in another order than the ${label(from)} — the ${label(from)} wins`);
      }
    } else if (rel === 'different') differing.push(s);
  }
  if (differing.length > 0) {
    conflicts.push({ field: 'name', values: [from, ...differing].map((s) => ({ source: s.source, value: nameText(s.patient) })) });
    for (const s of differing) warnings.push(`the ${label(s)} names a different patient than the ${label(from)} — sent to identity review`);
  }
  return from;
}

/** The first source with the value; others with a different one are a conflict of `field`. */
function pickFirst(sources: Said[], get: (s: Said) => string | undefined, field: IdentityConflict['field'] | null, conflicts: IdentityConflict[], warnings: string[], what: string): Said | undefined {
  const having = sources.filter((s) => get(s) !== undefined);
  const from = having[0];
  if (!from) return undefined;
  const differing = having.filter((s) => get(s) !== get(from));
  if (differing.length === 0) return from;
  if (field) {
    conflicts.push({ field, values: [from, ...differing].map((s) => ({ source: s.source, value: get(s)! })) });
    for (const s of differing) warnings.push(`the ${label(s)} gives another ${what} than the ${label(from)} — sent to identity review`);
  } else {
    for (const s of differing) warnings.push(`the ${label(s)} gives another ${what} than the ${label(from)} — the ${label(from)} wins`);
  }
  return from;
}

const idText = (e: { system: string; value: string } | undefined): string | undefined => (e ? `${e.system}:${e.value}` : undefined);

/** Fuses the sources (most trusted first) into one patient hint and the scan's facts. */
export function fuse(sources: Said[], warnings: string[]): Fused {
  const conflicts: IdentityConflict[] = [];
  const out: Fused = { patient: null, conflicts };
  out.nameFrom = pickName(sources, conflicts, warnings);
  out.birthFrom = pickFirst(sources, (s) => s.patient.birthDate, 'birthDate', conflicts, warnings, 'birth date');
  // Ids in different systems do not contradict each other; the same system with another value does.
  const withId = sources.filter((s) => s.patient.externalId);
  out.idFrom = withId[0];
  if (out.idFrom) {
    const system = out.idFrom.patient.externalId!.system;
    pickFirst(withId.filter((s) => s.patient.externalId!.system === system), (s) => idText(s.patient.externalId), 'externalId', conflicts, warnings, 'patient id');
  }
  out.orderFrom = pickFirst(sources, (s) => idText(s.patient.orderId), null, conflicts, warnings, 'order id');
  const captured = pickFirst(sources, (s) => s.capturedAt, null, conflicts, [], 'capture date');
  // A later source's other capture date is expected (the file time): warn only between named sources.
  const dated = sources.filter((s) => s.capturedAt && s.source !== 'mtime' && s.source !== 'received');
  if (dated.some((s) => s.capturedAt !== dated[0].capturedAt)) warnings.push(`the sources give different capture dates — the ${label(dated[0])}'s is used`);
  if (captured) out.capturedAt = { value: captured.capturedAt!, from: captured };
  const jawFrom = sources.find((s) => s.jaw);
  if (jawFrom) out.jaw = { value: jawFrom.jaw!, from: jawFrom };
  out.caseFrom = sources.find((s) => s.caseId);
  if (out.caseFrom) out.caseId = out.caseFrom.caseId;
  out.scannerFrom = sources.find((s) => s.scanner);
  if (out.scannerFrom) out.scanner = out.scannerFrom.scanner;

  const patient: PatientHint = {};
  if (out.nameFrom?.patient.lastName) patient.lastName = out.nameFrom.patient.lastName;
  if (out.nameFrom?.patient.firstName) patient.firstName = out.nameFrom.patient.firstName;
  if (out.birthFrom) patient.birthDate = out.birthFrom.patient.birthDate;
  if (out.idFrom) patient.externalId = { ...out.idFrom.patient.externalId! };
  if (out.orderFrom) patient.orderId = { ...out.orderFrom.patient.orderId! };
  if (hasName(patient) || patient.externalId || patient.orderId) out.patient = patient;
  return out;
}

function said(s: Said): SourceSaid {
  const out: SourceSaid = { source: s.source };
  const p = s.patient;
  if (p.lastName) out.lastName = p.lastName;
  if (p.firstName) out.firstName = p.firstName;
  if (p.birthDate) out.birthDate = p.birthDate;
  if (p.externalId) out.externalId = idText(p.externalId);
  if (p.orderId) out.orderId = idText(p.orderId);
  if (s.capturedAt) out.capturedAt = s.capturedAt;
  if (s.jaw) out.jaw = s.jaw;
  if (s.caseId) out.caseId = s.caseId;
  if (s.scanner) out.scanner = s.scanner;
  return out;
}

/** The evidence stored with the scan: each field with its source, what each source said, the conflicts. */
export function evidenceOf(sources: Said[], f: Fused, warnings: string[]): IdentityEvidence {
  const fields: IdentityEvidence['fields'] = {};
  const put = (k: keyof IdentityEvidence['fields'], value: string | undefined, from: Said | undefined) => {
    if (value !== undefined && from) fields[k] = { value, source: from.source } satisfies FieldFact;
  };
  put('lastName', f.patient?.lastName, f.nameFrom);
  put('firstName', f.patient?.firstName, f.nameFrom);
  put('birthDate', f.patient?.birthDate, f.birthFrom);
  put('externalId', idText(f.patient?.externalId), f.idFrom);
  put('orderId', idText(f.patient?.orderId), f.orderFrom);
  put('capturedAt', f.capturedAt?.value, f.capturedAt?.from);
  put('jaw', f.jaw?.value, f.jaw?.from);
  put('caseId', f.caseId, f.caseFrom);
  put('scanner', f.scanner, f.scannerFrom);
  return { fields, said: sources.map(said).filter((s) => Object.keys(s).length > 1), conflicts: f.conflicts, warnings };
}
