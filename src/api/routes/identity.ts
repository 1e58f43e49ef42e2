/**
 * Identity: where a scan's identity came from (every field with its source), and the
 * identity review queue — scans whose patient a person decides because the sources disagree
 * or a name fits several patients. Resolving picks an existing patient or creates one.
 * Responses carry names (clinical roles only); the audit trail names pseudoIds and counts.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { resolveReview } from '../../ingest/identity-review.js';
import { CLINICAL, route } from '../route.js';
import { reviewDto, reviewSchema, scanIdentitySchema } from '../schemas/identity.js';
import { createPatientSchema, patientSchema, patientDto, pseudoIdSchema } from '../schemas/patient.js';
import type { ApiServices } from '../services.js';

const reviewParams = z.strictObject({ id: z.coerce.number({ error: 'must be a review id (a whole number)' }).int().positive('must be a review id (a whole number)') });

const listQuery = z.strictObject({
  state: z.enum(['open', 'resolved']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.coerce.number().int().min(0).default(0).describe('The id of the last review of the previous page'),
});

const resolveBody = z.union([
  z.strictObject({ patient: pseudoIdSchema.describe('An existing patient') }),
  z.strictObject({ create: createPatientSchema.describe('A new patient with these details') }),
], { error: 'give either {"patient": "<patient id>"} or {"create": {"lastName": …}}' });

export function identityRoutes(s: ApiServices) {
  const { store } = s;
  return [
    route({
      method: 'GET', path: '/scans/:uid/identity', tag: 'identity', access: CLINICAL,
      summary: "Where a scan's identity came from: every field with its source, what each source said, conflicts, how the patient was found",
      params: z.strictObject({ uid: z.uuid({ error: 'must be a scan uid' }) }), response: scanIdentitySchema,
      handler: ({ params }) => {
        const scan = store.scans.getByUid(params.uid);
        if (!scan) throw new CuspError('not_found', `no scan ${params.uid}`);
        const found = store.identity.evidence(scan.id);
        return { scan: scan.uid, match: found?.match ?? null, evidence: found?.evidence ?? null, review: store.identity.openForScan(scan.id)?.id ?? null };
      },
      audit: ({ params }) => ({ action: 'scan.identity.read', object: `scan:${params.uid}` }),
    }),
    route({
      method: 'GET', path: '/identity-reviews', tag: 'identity', access: CLINICAL,
      summary: 'Scans waiting for a person to say whose they are (oldest first), with what each source said and the candidate patients',
      query: listQuery, response: z.object({ reviews: z.array(reviewSchema), open: z.number().int(), next: z.number().int().nullable() }),
      handler: ({ query }) => {
        const page = store.identity.list(query.state, query.limit + 1, query.after);
        const reviews = page.slice(0, query.limit).map((r) => reviewDto(store, r));
        return { reviews, open: store.identity.openCount(), next: page.length > query.limit ? reviews[reviews.length - 1].id : null };
      },
      audit: ({ query }, result) => ({ action: 'identity.review.list', object: null, details: { state: query.state, reviews: result.reviews.length } }),
    }),
    route({
      method: 'GET', path: '/identity-reviews/:id', tag: 'identity', access: CLINICAL, summary: 'One identity review',
      params: reviewParams, response: reviewSchema,
      handler: ({ params }) => {
        const review = store.identity.get(params.id);
        if (!review) throw new CuspError('not_found', `no identity review ${params.id}`);
        return reviewDto(store, review);
      },
      audit: ({ params }) => ({ action: 'identity.review.read', object: `identity-review:${params.id}` }),
    }),
    route({
      method: 'POST', path: '/identity-reviews/:id/resolve', tag: 'identity', access: CLINICAL,
      answers: { 409: 'The review was resolved already' },
      summary: "Say whose the scan is: an existing patient or a new one. The export's other scans waiting for the same reason are resolved with it (listed in `reviews`)",
      params: reviewParams, body: resolveBody,
      response: z.object({ patient: patientSchema, created: z.boolean(), reviews: z.array(reviewSchema) }),
      audits: 'identity.review.resolve',
      handler: ({ params, body, principal, record }) => {
        const result = store.transaction(() => {
          const outcome = resolveReview(s, params.id, body, principal.actor);
          const answer = { patient: patientDto(outcome.patient), created: outcome.created, reviews: outcome.reviews.map((r) => reviewDto(store, r)), queued: outcome.queued.length };
          record({
            audit: {
              action: 'identity.review.resolve', object: `identity-review:${params.id}`,
              details: { patient: answer.patient.id, created: answer.created, reviews: answer.reviews.map((r) => r.id), scans: answer.reviews.map((r) => r.scan.uid) },
            },
          });
          return answer;
        });
        if (result.queued) s.dispatcher?.notify();
        return { patient: result.patient, created: result.created, reviews: result.reviews };
      },
    }),
  ];
}
