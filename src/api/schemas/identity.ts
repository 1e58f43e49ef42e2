/** The API's identity resources: where a scan's identity came from, and the identity review queue. */
import { z } from 'zod';
import { IDENTITY_FIELDS, SOURCES, type IdentityEvidence } from '../../rules/types.js';
import type { IdentityReview, IdentityMatch } from '../../store/identity.js';
import type { Store } from '../../store/store.js';
import { patientDto, patientSchema } from './patient.js';

const sourceSchema = z.enum(SOURCES).describe('manifest (scanner XML), rx (Rx page), dentalProject, sidecar (JSON), folder (patient folder), name (folder and file names), mtime (file time), received (upload time)');

export const evidenceSchema = z.object({
  fields: z.partialRecord(z.enum(IDENTITY_FIELDS), z.object({ value: z.string(), source: sourceSchema })).describe('Each field of the identity with the source it was taken from'),
  said: z.array(z.object({ source: sourceSchema }).catchall(z.string())).describe('What each source said, most trusted first'),
  conflicts: z.array(z.object({ field: z.enum(['name', 'birthDate', 'externalId']), values: z.array(z.object({ source: sourceSchema, value: z.string() })) })),
  warnings: z.array(z.string()),
}).meta({ id: 'IdentityEvidence' });

export const matchSchema = z.enum(['external-id', 'order', 'name-birth', 'name', 'created', 'review', 'given', 'none', 'resolved'])
  .describe('How the patient was found: by external id, by scanner order, by name and birth date, by a unique name, created new, waiting in review, given by the uploader, nothing identifies it, or decided in a review');

export const scanIdentitySchema = z.object({
  scan: z.string(),
  match: matchSchema.nullable(),
  evidence: evidenceSchema.nullable().describe('null for scans stored before sources were recorded'),
  review: z.number().int().nullable().describe('The open identity review of this scan'),
}).meta({ id: 'ScanIdentitySources' });

export const reviewSchema = z.object({
  id: z.number().int(),
  reason: z.enum(['conflict', 'ambiguous', 'id-mismatch']).describe('conflict: the sources name different people; ambiguous: the name fits several patients; id-mismatch: an id names a patient the name does not'),
  state: z.enum(['open', 'resolved']),
  createdAt: z.string(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['existing', 'created']).nullable(),
  patient: z.string().nullable().describe('The patient chosen (pseudonymous id)'),
  scan: z.object({ uid: z.string(), originalName: z.string(), sourceFolder: z.string().nullable(), jaw: z.string(), capturedAt: z.string().nullable(), receivedAt: z.string() }),
  match: matchSchema.nullable(),
  evidence: evidenceSchema.nullable(),
  candidates: z.array(patientSchema).describe('The patients the sources may mean'),
}).meta({ id: 'IdentityReview' });
export type ReviewDto = z.infer<typeof reviewSchema>;

export function reviewDto(store: Store, r: IdentityReview): ReviewDto {
  const scan = store.scans.get(r.scanId)!;
  const found = store.identity.evidence(r.scanId);
  return {
    id: r.id, reason: r.reason, state: r.state, createdAt: r.createdAt, resolvedBy: r.resolvedBy, resolvedAt: r.resolvedAt, resolution: r.resolution,
    patient: r.patientId === null ? null : store.patients.pseudoIdOf(r.patientId) ?? null,
    scan: { uid: scan.uid, originalName: scan.originalName, sourceFolder: scan.sourceFolder, jaw: scan.jaw, capturedAt: scan.capturedAt, receivedAt: scan.receivedAt },
    match: (found?.match ?? null) as IdentityMatch | null,
    evidence: (found?.evidence ?? null) as IdentityEvidence | null,
    candidates: r.candidates.map((id) => store.patients.get(id)).filter((p) => p !== undefined).map(patientDto),
  };
}
