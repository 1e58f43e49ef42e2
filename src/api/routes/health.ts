import { z } from 'zod';
import { route } from '../route.js';
import type { ApiServices } from '../services.js';

/**
 * `degraded`: serving, but something needs a person (a damaged database, a full disk);
 * `problems` says what, one sentence each. Answered with 200 like `ready` — the daemon
 * answers and serves what it has — so monitoring must look at `status`, not only the code.
 */
export interface HealthReport {
  status: 'starting' | 'ready' | 'degraded' | 'stopping';
  version: string;
  uptimeSeconds: number;
  [key: string]: unknown;
}

const healthSchema = z.object({
  status: z.enum(['starting', 'ready', 'degraded', 'stopping']),
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.record(z.string(), z.string()).optional(),
  problems: z.array(z.string()).optional().describe('While degraded: what needs a person, one sentence each'),
  audit: z.object({
    headSeq: z.number().int().describe('The newest audit event the daemon appended'),
    headHash: z.string().describe('Its chain hash'),
    checkpoint: z.object({ seq: z.number().int(), hash: z.string(), time: z.string(), keyId: z.string() }).nullable().describe('The newest signed checkpoint'),
    syslog: z.object({ state: z.enum(['connecting', 'connected', 'waiting']), queued: z.number().int(), dropped: z.number().int() }).optional()
      .describe('Forwarding of checkpoints to the syslog collector (audit.syslog)'),
  }).optional().describe('The audit trail\'s head, for monitoring to keep a copy of: `cusp audit verify --against` checks the trail with it'),
});

/** `GET /health`: no token needed; 200 when ready (or degraded: serving, with problems), 503 while starting or stopping. */
export function healthRoutes(s: ApiServices) {
  return [
    route({
      method: 'GET', path: '/health', tag: 'health', access: 'public', summary: 'Readiness of the daemon (no token needed)',
      response: healthSchema,
      handler: ({ ctx }) => {
        const body = s.health();
        ctx.status = body.status === 'ready' || body.status === 'degraded' ? 200 : 503;
        return body;
      },
    }),
  ];
}
