/**
 * Erasure of a patient (GDPR Art. 17): every scan with its bytes, reports, derived files,
 * jobs and notes, every photo (original, thumbnail, served copy), the visits, the external
 * ids and the patient row go in one transaction.
 * What stays is a pseudonymous tombstone in the audit chain — the pseudonymous id, the
 * counts, who and when — so the erasure itself can be proven without keeping the person.
 *
 * With `secure_delete` on, SQLite overwrites what it frees; the WAL is then checkpointed
 * and truncated, so no older copy of a page lingers in the write-ahead log either.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError } from '../errors.js';
import { record } from '../events/record.js';
import type { Patient } from '../store/patients.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { removeImages } from '../retention/remove-images.js';
import { removeScans, type RemovedCounts } from '../retention/remove-scans.js';

export interface ErasureResult extends RemovedCounts {
  patient: string;
  /** Photos removed (their blobs are counted in `blobs`). */
  images: number;
  visits: number;
  externalIds: number;
  /** The audit event that records the erasure. */
  auditSeq: number;
}

export interface EraseDeps {
  store: Store;
  audit: AuditLog;
  /** Cancel a queued or running job of a scan about to be erased. */
  cancelJob?: (jobId: number) => void;
}

/** The stored patient with this pseudonymous id, or a not_found CuspError. */
export function findPatient(store: Store, pseudoId: string): Patient {
  const patient = store.patients.getByPseudoId(pseudoId);
  if (!patient) throw new CuspError('not_found', `no patient ${pseudoId}`);
  return patient;
}

/** Every scan of a patient, oldest first. */
export function scansOf(store: Store, patientId: number): Scan[] {
  return store.scans.idsOfPatient(patientId).map((id) => store.scans.get(id)!);
}

/**
 * Erase a patient. `confirm` must repeat the pseudonymous id (a guard against erasing the
 * wrong person by a slip); a patient on legal hold cannot be erased (conflict).
 */
export async function erasePatient(deps: EraseDeps, input: { pseudoId: string; confirm: string | undefined; actor: string; source?: string | null }): Promise<ErasureResult> {
  const { store, audit } = deps;
  const patient = findPatient(store, input.pseudoId);
  if (input.confirm === undefined) {
    throw new CuspError('invalid_input', `erasing patient ${input.pseudoId} cannot be undone: repeat its id as {"confirm": "${input.pseudoId}"} (or ?confirm=) to go ahead`);
  }
  if (input.confirm !== patient.pseudoId) {
    throw new CuspError('invalid_input', `confirm must be the id of the patient to erase (${input.pseudoId}), not '${input.confirm.slice(0, 40)}' — nothing was erased`);
  }
  if (patient.legalHold) {
    throw new CuspError('conflict', `patient ${input.pseudoId} is on legal hold — an auditor or administrator must lift the hold before the patient can be erased`);
  }
  const scans = scansOf(store, patient.id);
  const images = store.images.forPatient(patient.id);
  for (const scan of scans) {
    for (const job of store.jobs.forScan(scan.id)) if (job.state === 'queued' || job.state === 'running') deps.cancelJob?.(job.id);
  }
  for (const image of images) {
    for (const job of store.images.jobs(image.id)) if (job.state === 'queued' || job.state === 'running') deps.cancelJob?.(job.id);
  }
  let chunks: string[] = [];
  const result = store.transaction(() => {
    // Images first: a photo that is also a scan's source file is freed with the scan after.
    const removedImages = removeImages(store, images);
    const removed = removeScans(store, scans);
    const counts = { ...removed.counts, blobs: removed.counts.blobs + removedImages.counts.blobs, images: removedImages.counts.images };
    chunks = [...removedImages.chunks, ...removed.chunks];
    const { visits, visitNotes, externalIds } = store.patients.dependents(patient.id);
    // Visits, their notes, external ids and the hold record go with the patient row (cascade).
    store.patients.delete(patient.id);
    const summary = { ...counts, annotations: counts.annotations + visitNotes, visits, externalIds };
    const event = record(deps, {
      audit: {
        actor: input.actor, action: 'patient.erase', object: `patient:${patient.pseudoId}`, source: input.source ?? null,
        details: { ...summary, scanUids: scans.map((s) => s.uid), imageUids: images.map((i) => i.uid) },
      },
      changes: [
        { type: 'patient.erased', objectType: 'patient', objectId: patient.pseudoId, data: { scans: scans.map((s) => s.uid) } },
        ...scans.map((scan) => ({ type: 'scan.erased', objectType: 'scan', objectId: scan.uid, data: { patient: patient.pseudoId } })),
        ...images.map((image) => ({ type: 'image.erased', objectType: 'image', objectId: image.uid, data: { patient: patient.pseudoId } })),
      ],
    })!;
    return { patient: patient.pseudoId, ...summary, auditSeq: event.seq };
  });
  // The scans' bytes: overwritten (secure_delete) and freed before the erasure answers.
  await store.blobs.freeChunks(chunks);
  audit.maybeCheckpoint();
  // Old WAL frames may still hold the patient: empty the WAL. Best effort — a reader holding
  // an old snapshot for longer than the wait leaves it to the next checkpoint.
  await store.truncateWal();
  return result;
}
