/** The API's visit resource with its title and review state, and the inputs that change a visit. */
import { z } from 'zod';
import type { Store } from '../../store/store.js';
import type { Visit } from '../../store/visits.js';
import { pseudoIdSchema, visitSchema } from './patient.js';

/** Free text a person typed: no control characters but tabs and line breaks. */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters');

const dateSchema = z.iso.date('must be a date like 2026-11-20');
const scanUids = z.array(z.uuid({ error: 'must be a scan uid' })).max(200, 'at most 200 scans at once')
  .refine((uids) => new Set(uids).size === uids.length, 'lists the same scan twice');

export const reviewStateSchema = z.enum(['pending', 'reviewed', 'flagged']);

export const visitReviewSchema = z.object({
  state: reviewStateSchema.describe('pending → reviewed | flagged; a reviewed visit is pending again when a scan arrives in it'),
  by: z.object({ actor: z.string(), name: z.string() }).nullable().describe('Who took the last review action'),
  at: z.string().nullable(),
  note: z.string().nullable(),
}).meta({ id: 'VisitReview' });

export const visitDetailSchema = visitSchema.extend({
  title: z.string().nullable().describe('What the appointment was, e.g. "aligner check-in 4"'),
  review: visitReviewSchema,
  updatedAt: z.string(),
}).meta({ id: 'VisitDetail', description: 'A visit with its title and clinical review state' });
export type VisitDetailDto = z.infer<typeof visitDetailSchema>;

/** The name of an audit actor: a principal's name, `local-admin`, or the actor itself. */
export function actorName(store: Store, actor: string): string {
  const m = /^principal:(\d+)$/.exec(actor);
  if (!m) return actor;
  return store.principals.get(Number(m[1]))?.name ?? actor;
}

export function visitDetailDto(store: Store, v: Visit): VisitDetailDto {
  return {
    id: v.id, patient: store.patients.pseudoIdOf(v.patientId) ?? '', date: v.date, createdAt: v.createdAt, title: v.title,
    review: { state: v.review.state, by: v.review.by === null ? null : { actor: v.review.by, name: actorName(store, v.review.by) }, at: v.review.at, note: v.review.note },
    updatedAt: v.updatedAt,
  };
}

export const createVisitSchema = z.strictObject({
  patient: pseudoIdSchema,
  date: dateSchema,
  title: text(200).optional(),
  scans: scanUids.default([]).describe('Scans of this patient to move into the new visit'),
});

export const updateVisitSchema = z.strictObject({
  date: dateSchema.optional().describe('The appointment day; its scans keep their capture times'),
  title: text(200).nullable().optional().describe('null clears it'),
}).refine((v) => v.date !== undefined || v.title !== undefined, 'nothing to change: give date or title');

export const splitVisitSchema = z.strictObject({
  scans: scanUids.min(1, 'name at least one scan to split off'),
  date: dateSchema.optional().describe('Default: the visit\'s own date'),
  title: text(200).optional(),
});

const imageUids = z.array(z.string().min(1).max(64)).max(200, 'at most 200 photos at once')
  .refine((uids) => new Set(uids).size === uids.length, 'lists the same photo twice');

/** Items to move into a visit: scans, photos, or both. */
export const moveToVisitSchema = z.strictObject({
  scans: scanUids.optional(),
  images: imageUids.optional().describe('Photo uids (GET /visits/{id}/images)'),
}).refine((b) => (b.scans?.length ?? 0) + (b.images?.length ?? 0) > 0, 'name at least one scan or photo to move');

export const reviewBodySchema = z.strictObject({
  state: reviewStateSchema.describe('reviewed: looked at, nothing to do; flagged: needs follow-up; pending: back into the queue'),
  note: text(2000).optional(),
});
