/**
 * Storing one accepted scan: bytes, siblings, patient, visit, version, scan row, the
 * validation job, the audit event and the change record — in one transaction, so either
 * all of it is in the database or none of it is.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError } from '../errors.js';
import type { PatientHint, ScanIdentity } from './rules/index.js';
import type { Patient } from '../store/patients.js';
import type { ArrivalFile, Scan } from '../store/scans.js';
import type { StagedBlob, StagedFile } from '../store/blobs.js';
import type { Store } from '../store/store.js';

export interface AcceptedScan {
  bytes: Uint8Array;
  sha256: string;
  /** Folder name (or 'upload' / 'import'), recorded as the scan's source. */
  source: string;
  /** Path inside the folder (or the uploaded name): where the file came from. */
  originalName: string;
  format: string;
  identity: ScanIdentity;
  /** Sibling files stored with the scan, by URI relative to the scan. */
  siblings: Array<{ uri: string; bytes: Uint8Array }>;
  /** Who caused it, for the audit trail ('system' for a watched folder). */
  actor: string;
  /** Where from, for the audit trail (an IP address for uploads). */
  sourceAddress?: string | null;
  /** Inspection profile for the validation job. */
  profile: 'scan' | 'solid';
  /** The scan's chunks, written ahead by `BlobStore.stage` (then the transaction only links them). */
  staged?: StagedBlob;
  /** The siblings' chunks, in the order of `siblings`. */
  stagedSiblings?: StagedBlob[];
  /** The drop-folder file it was read from (size, mtime), recorded with its arrival. */
  file?: ArrivalFile;
  /** The scan's chunks staged from a file (an upload spooled to disk): `bytes` is then empty. */
  stagedFile?: StagedFile;
}

const MEDIA_TYPES: Record<string, string> = {
  mtl: 'text/plain', bin: 'application/octet-stream', xml: 'application/xml', dentalproject: 'application/xml', html: 'text/html', htm: 'text/html', zip: 'application/zip', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', json: 'application/json',
};

/** The media type of a source file, by its extension. */
export function mediaType(uri: string): string {
  const ext = uri.slice(uri.lastIndexOf('.') + 1).toLowerCase();
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}

/** The stored patient a hint names: by external id, then by name (and birth date); created when new. */
export function resolvePatient(store: Store, hint: PatientHint): { patient: Patient; created: boolean } {
  if (hint.pseudoId) {
    const known = store.patients.getByPseudoId(hint.pseudoId);
    if (!known) throw new CuspError('invalid_input', `no patient ${hint.pseudoId}`);
    return { patient: known, created: false };
  }
  if (hint.externalId) {
    const byId = store.patients.findByExternalId(hint.externalId.system, hint.externalId.value);
    if (byId) return { patient: byId, created: false };
  }
  if (hint.lastName && hint.firstName) {
    const byName = store.patients.findByName(hint.lastName, hint.firstName, hint.birthDate);
    if (byName && !(hint.externalId && byName.externalIds.some((e) => e.system === hint.externalId!.system))) {
      return { patient: byName, created: false };
    }
  }
  const patient = store.patients.create({
    lastName: hint.lastName ?? null,
    firstName: hint.firstName ?? null,
    birthDate: hint.birthDate ?? null,
    externalIds: hint.externalId ? [hint.externalId] : [],
  });
  return { patient, created: true };
}

/** `Upper Jaw (2).stl` and `upper jaw.STL` name the same export. */
function exportName(originalName: string): string {
  const base = originalName.slice(originalName.lastIndexOf('/') + 1).toLowerCase();
  return base.replace(/\s*\(\d+\)(?=\.[^.]+$|$)/, '');
}

export interface StoredScan {
  scan: Scan;
  patient: Patient | null;
  jobId: number;
}

/** Store an accepted scan in one transaction and return it. */
export function storeScan(store: Store, audit: AuditLog, input: AcceptedScan): StoredScan {
  return store.transaction(() => {
    if (input.stagedFile) store.blobs.linkStaged(input.stagedFile);
    else store.blobs.put(input.bytes, input.sha256, input.staged);
    const { identity } = input;
    const resolved = identity.patient ? resolvePatient(store, identity.patient) : undefined;
    const patient = resolved?.patient ?? null;
    if (resolved?.created) store.changes.append('patient.created', 'patient', resolved.patient.pseudoId, { by: 'ingest' });
    const visit = patient && identity.capturedAt ? store.visits.findOrCreate(patient.id, identity.capturedAt) : null;
    // A re-export (same patient, jaw, day and file name) is a new version; the old one stays.
    let previous: Scan | undefined;
    if (patient && identity.jaw !== 'other') {
      const latest = store.scans.latestVersion(patient.id, identity.jaw, identity.capturedAt);
      if (latest && exportName(latest.originalName) === exportName(input.originalName)) previous = latest;
    }
    const scan = store.scans.insert({
      patientId: patient?.id ?? null,
      visitId: visit?.id ?? null,
      jaw: identity.jaw,
      capturedAt: identity.capturedAt,
      sourceFolder: input.source,
      scanner: identity.scanner,
      originalName: input.originalName,
      format: input.format,
      size: input.stagedFile?.size ?? input.bytes.length,
      sha256: input.sha256,
      version: previous ? previous.version + 1 : 1,
      supersedes: previous?.id ?? null,
      file: input.file,
    });
    for (const [i, sibling] of input.siblings.entries()) {
      const blob = store.blobs.put(sibling.bytes, undefined, input.stagedSiblings?.[i]);
      store.artifacts.put(scan.id, `source:${sibling.uri}`, mediaType(sibling.uri), blob.hash, { size: sibling.bytes.length });
    }
    const job = store.jobs.enqueue('validate', scan.id, { payload: { profile: input.profile } });
    audit.append({
      actor: input.actor,
      action: 'scan.ingest',
      object: `scan:${scan.uid}`,
      source: input.sourceAddress ?? null,
      details: {
        source: input.source, format: input.format, size: scan.size, jaw: scan.jaw, version: scan.version,
        patient: patient?.pseudoId ?? null, patientCreated: resolved?.created ?? false, rule: identity.rule,
      },
    });
    store.changes.append('scan.received', 'scan', scan.uid, { jaw: scan.jaw, patient: patient?.pseudoId ?? null, version: scan.version, source: input.source });
    return { scan, patient, jobId: job.id };
  });
}
