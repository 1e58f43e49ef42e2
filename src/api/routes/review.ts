/**
 * `GET /review`: the clinician's daily queue — visits nobody has reviewed yet, oldest first,
 * each on one line with what deciding needs: patient, jaws, verdicts, the largest deviation
 * from the previous scans, and the photo count. `POST /visits/:id/review` takes a visit out.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { CLINICAL, route } from '../route.js';
import type { ApiServices } from '../services.js';

const query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('The `next` value of the previous page'),
});

const lineSchema = z.object({
  visit: z.number().int(),
  date: z.string(),
  title: z.string().nullable(),
  patient: z.object({ id: z.string().describe('Pseudonymous patient id'), lastName: z.string().nullable(), firstName: z.string().nullable(), birthDate: z.string().nullable() }),
  scans: z.number().int().describe('Scans in the visit (the newest version of a re-export counts once)'),
  jaws: z.array(z.string()),
  verdicts: z.object({ ok: z.number().int(), warn: z.number().int(), fail: z.number().int().describe('fail verdicts and rejected files'), pending: z.number().int().describe('not validated yet') }),
  deviationMm: z.object({ p95: z.number(), max: z.number() }).nullable().describe('Largest 95th percentile and largest maximum of the visit\'s comparisons with earlier scans; null when none ran'),
  photos: z.number().int(),
  lastReviewedBy: z.string().nullable().describe('Set when a reviewed visit got a new scan and is pending again'),
});

const encode = (p: [string, number]) => Buffer.from(JSON.stringify(p)).toString('base64url');
function decode(cursor: string): [string, number] {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && Number.isInteger(p[1])) return p as [string, number];
  } catch {
    // fall through to the error
  }
  throw new CuspError('invalid_input', 'query.cursor: not a cursor this API gave out — start again without it');
}

export function reviewRoutes(s: ApiServices) {
  const { store } = s;
  return [
    route({
      method: 'GET', path: '/review', tag: 'review', access: CLINICAL, summary: 'Visits waiting for review, oldest first, one line each',
      query, response: z.object({ visits: z.array(lineSchema), next: z.string().nullable() }),
      handler: ({ query: q }) => {
        const lines = store.visits.reviewQueue(q.limit + 1, q.cursor === undefined ? undefined : decode(q.cursor));
        const page = lines.slice(0, q.limit);
        const last = page.at(-1);
        return {
          visits: page.map((l) => {
            const p = store.patients.get(l.patientId)!;
            return {
              visit: l.visitId, date: l.date, title: l.title,
              patient: { id: p.pseudoId, lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate },
              scans: l.scans, jaws: l.jaws, verdicts: l.verdicts, deviationMm: l.deviation, photos: l.photos, lastReviewedBy: l.lastReviewedBy,
            };
          }),
          next: lines.length > q.limit && last ? encode([last.date, last.visitId]) : null,
        };
      },
      audit: (_input, result) => ({ action: 'review.list', object: null, details: { visits: result.visits.map((v) => v.visit), patients: [...new Set(result.visits.map((v) => v.patient.id))] } }),
    }),
  ];
}
