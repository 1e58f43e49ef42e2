/**
 * Who a scan belongs to and which jaw it shows, from every source its export carries: the
 * scanner's XML manifest, its Rx page, an exocad `.dentalProject`, a JSON sidecar, the
 * patient folder, the folder and file names the rule reads — in that order of trust — and
 * the file's time as the capture date of last resort. Pure: the ingest service reads the
 * files. Each field keeps its source; sources that name different people are a conflict
 * (identity review decides), never a silent pick. A scan nothing identifies is unassigned.
 */
import { parseDate } from './dates.js';
import { parseDentalProject } from './dental-project.js';
import { evidenceOf, fuse, type Said } from './fuse.js';
import { parseIteroManifest } from './itero-manifest.js';
import { jawFromPath, jawFromText } from './jaw-words.js';
import { cleanName, isExportContainer, patientFromFolder, splitPatientName } from './patient-names.js';
import { parseRxHtml } from './rx-html.js';
import { splitScanPath, withoutFirstFolder } from './scan-path.js';
import { readSidecar } from './sidecar.js';
import type { CompiledRule, IdentityEvidence, Jaw, PatientHint, RuleMatch, ScanIdentity, ScanPath } from './types.js';

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
  /** Text of the export's XML manifest (iTero's `itero_export_#<order>_v30.xml`). */
  manifest?: string;
  /** Text of the export's Rx page (iTero's `Rx_<order>.html`). */
  rx?: string;
  /** The file's modification time: the capture date when no source names one. */
  mtimeMs?: number;
  /** When an upload was received: the capture date of last resort for uploads. */
  receivedMs?: number;
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
  if (f.orderId) facts.patient.orderId = { system: match.scanner ? `${match.scanner}-order` : 'order', value: f.orderId.trim() };
  const caseId = f.caseId ?? f.orderId;
  if (caseId && caseId.trim()) facts.caseId = caseId.trim();
  return facts;
}

/** The manifest's and Rx page's facts about this file. */
function iteroSources(input: IdentifyInput, path: ScanPath, warnings: string[]): Said[] {
  const out: Said[] = [];
  const manifest = input.manifest === undefined ? undefined : parseIteroManifest(input.manifest);
  if (input.manifest !== undefined && !manifest) warnings.push('manifest: not an iTero export manifest that can be read — ignored');
  if (manifest) {
    const patient: PatientHint = {};
    if (manifest.patient) {
      // "A, B": most exports write last name first, but the field does not say (the Rx page does).
      const [a, ...b] = manifest.patient.split(',');
      if (cleanName(a)) patient.lastName = cleanName(a);
      if (cleanName(b.join(','))) patient.firstName = cleanName(b.join(','));
    }
    if (manifest.orderId) patient.orderId = { system: 'itero-order', value: manifest.orderId };
    const object = manifest.objects.find((o) => o.fileName.toLowerCase() === path.base.toLowerCase());
    out.push({ source: 'manifest', rule: 'itero-manifest', patient, nameLabelled: false, jaw: object?.jaw, caseId: manifest.orderId, scanner: 'itero' });
  }
  const rx = input.rx === undefined ? undefined : parseRxHtml(input.rx);
  if (input.rx !== undefined && !rx) warnings.push('Rx page: no labelled patient or order cells found — ignored');
  if (rx) {
    const patient: PatientHint = {};
    if (rx.lastName) patient.lastName = rx.lastName;
    if (rx.firstName) patient.firstName = rx.firstName;
    if (rx.birthDate) patient.birthDate = rx.birthDate;
    if (rx.chart) patient.externalId = { system: 'chart', value: rx.chart };
    if (rx.orderId) patient.orderId = { system: 'itero-order', value: rx.orderId };
    out.push({ source: 'rx', rule: 'itero-rx', patient, nameLabelled: true, capturedAt: rx.scannedAt, caseId: rx.orderId, scanner: 'itero' });
  }
  return out;
}

/** The capture date of last resort: the file's local calendar day. */
function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Identifies one scan: its identity, the warnings, and the evidence of where each field came from. */
export function identifyScan(input: IdentifyInput): { identity: ScanIdentity; warnings: string[]; evidence: IdentityEvidence } {
  const warnings: string[] = [];
  const path = splitScanPath(input.relativePath);
  const sources: Said[] = [...metadataSources(input, path, warnings)];
  const match = pathSources(input, path, sources, warnings);
  const fused = fuse(sources, warnings);
  const identity: ScanIdentity = {
    patient: fused.patient,
    jaw: fused.jaw?.value ?? 'other',
    capturedAt: fused.capturedAt?.value ?? null,
    scanner: fused.scanner ?? null,
    rule: match?.rule ?? fused.nameFrom?.rule ?? fused.idFrom?.rule ?? 'none',
  };
  if (fused.caseId) identity.caseId = fused.caseId;
  return { identity, warnings, evidence: evidenceOf(sources, fused, warnings) };
}

/** What the files beside the scan say: the iTero export, a dentalProject, a sidecar. */
function metadataSources(input: IdentifyInput, path: ReturnType<typeof splitScanPath>, warnings: string[]): Said[] {
  const sources: Said[] = iteroSources(input, path, warnings);
  if (input.project !== undefined) {
    const { caseId, capturedAt, ...patient } = parseDentalProject(input.project);
    sources.push({ source: 'dentalProject', rule: 'dentalProject', patient, nameLabelled: true, capturedAt, caseId });
  }
  const sidecar = readSidecar(input.sidecar, warnings);
  if (sidecar) sources.push({ source: 'sidecar', rule: 'sidecar', patient: sidecar.patient, nameLabelled: true, capturedAt: sidecar.capturedAt, jaw: sidecar.jaw });
  return sources;
}

/**
 * What the path and the times say, added to `sources` after what the metadata files said
 * (the jaw words count only when nothing before named a jaw). Returns the rule's match.
 */
function pathSources(input: IdentifyInput, path: ReturnType<typeof splitScanPath>, sources: Said[], warnings: string[]): ReturnType<IdentifyInput['rule']['match']> {
  // An archive's or export folder's own name is never a patient folder.
  const bySubfolder = input.layout === 'patient-subfolder' && !(path.dirs.length > 0 && isExportContainer(path.dirs[0]));
  const rulePath = bySubfolder && path.dirs.length > 0 ? withoutFirstFolder(path) : path;
  if (input.layout === 'patient-subfolder' && path.dirs.length === 0) warnings.push('patient-subfolder layout: the scan is not inside a patient folder — left unassigned');
  else if (bySubfolder) {
    const folder = patientFromFolder(path.dirs[0], warnings);
    if (folder) sources.push({ source: 'folder', rule: 'patient-subfolder', patient: folder.patient, nameLabelled: true, capturedAt: folder.capturedAt });
  }
  const match = input.rule.match(rulePath);
  if (match) {
    const fromName = readMatch(match, warnings);
    sources.push({ source: 'name', rule: match.rule, patient: fromName.patient, nameLabelled: true, capturedAt: fromName.capturedAt, jaw: fromName.jaw, caseId: fromName.caseId, scanner: match.scanner ?? undefined });
  }
  const pathJaw = jawFromPath(rulePath);
  if (pathJaw && !sources.some((s) => s.jaw)) sources.push({ source: 'name', rule: 'jaw words', patient: {}, nameLabelled: true, jaw: pathJaw });
  if (input.mtimeMs !== undefined) sources.push({ source: 'mtime', rule: 'file time', patient: {}, nameLabelled: false, capturedAt: dayOf(input.mtimeMs) });
  if (input.receivedMs !== undefined) sources.push({ source: 'received', rule: 'upload time', patient: {}, nameLabelled: false, capturedAt: dayOf(input.receivedMs) });
  return match;
}
