/** The API's job resource. */
import { z } from 'zod';
import type { Job } from '../../store/jobs.js';
import type { Store } from '../../store/store.js';

export const jobStateSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const jobSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  scan: z.string().nullable().describe('uid of the scan the job works on'),
  state: jobStateSchema,
  progress: z.number().describe('0 to 1'),
  stage: z.string().nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  runAfter: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
}).meta({ id: 'Job' });
export type JobDto = z.infer<typeof jobSchema>;

export function jobDto(store: Store, j: Job): JobDto {
  return {
    id: j.id, kind: j.kind, scan: j.scanId === null ? null : store.scans.get(j.scanId)?.uid ?? null, state: j.state,
    progress: j.progress, stage: j.stage, attempts: j.attempts, maxAttempts: j.maxAttempts, error: j.error,
    createdAt: j.createdAt, runAfter: j.runAfter, startedAt: j.startedAt, finishedAt: j.finishedAt,
  };
}
