/**
 * The changes feed, `GET /changes?since=N`: every change clients may follow, with
 * increasing sequence numbers, for polling (GET /events has the same feed live).
 */
import { z } from 'zod';
import { changeForRole } from '../role-views.js';
import { ALL_ROLES, route } from '../route.js';
import type { ApiServices } from '../services.js';

const seq = z.coerce.number({ error: 'must be a change sequence number' }).int('must be a whole number').min(0, 'must be 0 or more').max(Number.MAX_SAFE_INTEGER);

export const changeSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  type: z.string().describe('scan.received, scan.validated, scan.compare, scan.analysed, scan.assigned, scan.moved, scan.duplicate, scan.quarantined, scan.purged, scan.erased, patient.created (from the API and from ingest), patient.updated, patient.erased, visit.created, visit.updated, visit.split, visit.review, annotation.created, annotation.updated, annotation.deleted, job.queued, folder.added, …'),
  objectType: z.string(),
  objectId: z.string().describe('As the API names the object: a scan uid, pseudonymous patient id, visit, annotation or job id, folder name — never an internal row id'),
  data: z.record(z.string(), z.unknown()).describe('Details; for the auditor role only ids and enums (file names and reasons left out, `redacted: true` then)'),
});

export function changeRoutes(s: ApiServices) {
  const { store } = s;
  return [
    route({
      method: 'GET', path: '/changes', tag: 'changes', access: ALL_ROLES, summary: 'Changes after a sequence number, oldest first (poll with the returned last)',
      query: z.strictObject({ since: seq.default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: z.object({ changes: z.array(changeSchema), last: z.number().int().describe('Pass as since next time'), done: z.boolean().describe('false: more changes wait, ask again at once') }),
      handler: ({ query, principal }) => {
        // Auditors get ids, never file names: see role-views.ts.
        const changes = store.changes.since(query.since, query.limit).map((c) => changeForRole(c, principal.role));
        return { changes, last: changes.length ? changes[changes.length - 1].seq : Math.max(query.since, 0), done: changes.length < query.limit };
      },
      // An empty poll shows nothing: only reads that returned changes are worth an audit event.
      audit: ({ query }, result) => (result.changes.length ? { action: 'changes.read', object: null, details: { since: query.since, count: result.changes.length } } : undefined),
    }),
  ];
}
