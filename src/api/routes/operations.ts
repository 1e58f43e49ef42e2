/**
 * What the console needs for day-to-day operation: run a scan's job again (after a fix, or
 * to redo pictures and comparisons), and the tail of the daemon's log (redacted lines).
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { opposingScan, previousScan } from '../../jobs/handlers/analysis.js';
import { CLINICAL, route } from '../route.js';
import type { ApiServices } from '../services.js';

const KINDS = ['validate', 'derive', 'compare', 'analyse'] as const;

export function operationsRoutes(s: ApiServices) {
  const { store } = s;
  return [
    route({
      // Re-running a scan's analysis is clinical work (a comparison after a correction), not administration.
      method: 'POST', path: '/scans/:uid/jobs', tag: 'jobs', access: CLINICAL, summary: 'Run one of a scan\'s jobs again (admin, clinician, integration)', status: 201,
      answers: { 409: 'The job cannot run for this scan: a rejected scan runs only validate, a comparison needs an earlier validated scan of the jaw' },
      params: z.strictObject({ uid: z.uuid({ error: 'must be a scan uid' }) }),
      body: z.strictObject({ kind: z.enum(KINDS) }),
      response: z.object({ id: z.number(), kind: z.string(), state: z.string() }),
      audits: 'job.rerun',
      handler: ({ params, body, record }) => {
        const scan = store.scans.getByUid(params.uid);
        if (!scan) throw new CuspError('not_found', `no scan ${params.uid}`);
        const earlier = store.jobs.forScan(scan.id).filter((j) => j.kind === body.kind).at(-1);
        let payload: Record<string, unknown> = earlier?.payload ?? {};
        if (body.kind === 'compare') {
          const previous = previousScan(store, scan);
          if (!previous) throw new CuspError('conflict', 'the patient has no earlier validated scan of this jaw to compare with');
          payload = { previous: previous.id };
        } else if (body.kind === 'analyse') {
          payload = { ...payload, opposing: opposingScan(store, scan)?.id ?? null };
        } else if (body.kind !== 'validate' && scan.status === 'rejected') {
          throw new CuspError('conflict', `scan ${scan.uid} was rejected: only validate can run again`);
        }
        const job = store.transaction(() => {
          const queued = store.jobs.enqueue(body.kind, scan.id, { payload });
          record({
            audit: { action: 'job.rerun', object: `scan:${params.uid}`, details: { kind: body.kind } },
            changes: [{ type: 'job.queued', objectType: 'job', objectId: queued.id, data: { kind: body.kind, scan: scan.uid } }],
          });
          return queued;
        });
        s.dispatcher?.notify();
        return { id: job.id, kind: job.kind, state: job.state };
      },
    }),
    route({
      method: 'GET', path: '/logs', tag: 'logs', access: ['admin'], summary: 'The last lines of the daemon log (redacted)',
      query: z.strictObject({ lines: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: z.object({ lines: z.array(z.string()) }),
      handler: ({ query }) => ({ lines: s.recentLogs?.(query.lines) ?? [] }),
    }),
  ];
}
