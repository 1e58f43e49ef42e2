/**
 * Jobs: list and read them; the clinical roles may retry a failed or cancelled job (running
 * a scan's analysis again is theirs too: POST /scans/:uid/jobs); only an admin cancels one.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { busEvent } from '../../events/record.js';
import { CLINICAL, route } from '../route.js';
import { jobDto, jobSchema, jobStateSchema } from '../schemas/job.js';
import type { ApiServices } from '../services.js';

const idParams = z.strictObject({ id: z.coerce.number({ error: 'must be a job id (a whole number)' }).int('must be a job id (a whole number)').positive('must be a job id (a whole number)') });

const listQuery = z.strictObject({
  state: jobStateSchema.optional(),
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a job kind like validate').optional(),
  scan: z.uuid({ error: 'must be a scan uid' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^[1-9]\d{0,15}$/, 'not a cursor this API gave out — start again without it').optional().describe('The `next` value of the previous page'),
});

export function jobRoutes(s: ApiServices) {
  const { store } = s;
  const find = (id: number) => {
    const job = store.jobs.get(id);
    if (!job) throw new CuspError('not_found', `no job ${id}`);
    return job;
  };
  return [
    route({
      method: 'GET', path: '/jobs', tag: 'jobs', access: CLINICAL, summary: 'List jobs, newest first, by state, kind or scan',
      query: listQuery,
      response: z.object({ jobs: z.array(jobSchema), next: z.string().nullable() }),
      handler: ({ query }) => {
        let scanId: number | undefined;
        if (query.scan) {
          const scan = store.scans.getByUid(query.scan);
          if (!scan) return { jobs: [], next: null };
          scanId = scan.id;
        }
        const page = store.jobs.list({ state: query.state, kind: query.kind, scanId, limit: query.limit, beforeId: query.cursor === undefined ? undefined : Number(query.cursor) });
        return { jobs: page.jobs.map((j) => jobDto(store, j)), next: page.nextBeforeId === undefined ? null : String(page.nextBeforeId) };
      },
      audit: (_input, result) => ({ action: 'job.list', object: null, details: { count: result.jobs.length } }),
    }),
    route({
      method: 'GET', path: '/jobs/:id', tag: 'jobs', access: CLINICAL, summary: 'One job with its progress, attempts and error',
      params: idParams, response: jobSchema,
      handler: ({ params }) => jobDto(store, find(params.id)),
      audit: ({ params }, result) => ({ action: 'job.read', object: `job:${params.id}`, details: { scan: result.scan } }),
    }),
    route({
      method: 'POST', path: '/jobs/:id/retry', tag: 'jobs', access: CLINICAL, summary: 'Queue a failed or cancelled job again, its attempts reset',
      answers: { 409: 'The job is not failed or cancelled' },
      params: idParams, response: jobSchema,
      audits: 'job.retry',
      handler: ({ params, record }) => {
        const job = find(params.id);
        const queued = store.transaction(() => {
          if (!store.jobs.requeue(job.id)) throw new CuspError('conflict', `job ${job.id} is ${job.state} — only a failed or cancelled job can be retried`);
          const dto = jobDto(store, find(job.id)); // as queued: the dispatcher may take it at once
          record({
            audit: { action: 'job.retry', object: `job:${params.id}`, details: { kind: dto.kind, scan: dto.scan } },
            events: [busEvent('job.queued', { jobId: job.id, kind: job.kind, scanId: job.scanId })],
          });
          return dto;
        });
        s.dispatcher?.notify();
        return queued;
      },
    }),
    route({
      method: 'POST', path: '/jobs/:id/cancel', tag: 'jobs', access: ['admin'], summary: 'Cancel a queued or running job (a running worker is stopped)',
      answers: { 409: 'The job has ended already' },
      params: idParams, response: jobSchema,
      audits: 'job.cancel',
      handler: ({ params, record }) => {
        const job = find(params.id);
        // The job's state and its event commit together. A running worker is stopped at once
        // (that cannot wait for the commit): should the append fail, the dispatcher still
        // ends the job as cancelled when its worker exits — with no job.cancel of the caller.
        return store.transaction(() => {
          const cancelled = s.dispatcher ? s.dispatcher.cancel(job.id) : store.jobs.cancel(job.id);
          if (!cancelled) throw new CuspError('conflict', `job ${job.id} is ${job.state} — only a queued or running job can be cancelled`);
          const dto = jobDto(store, find(job.id));
          record({ audit: { action: 'job.cancel', object: `job:${params.id}`, details: { kind: dto.kind, scan: dto.scan } } });
          return dto;
        });
      },
    }),
  ];
}
