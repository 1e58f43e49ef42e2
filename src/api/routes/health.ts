import { z } from 'zod';
import { route } from '../route.js';
import type { ApiServices } from '../services.js';

export interface HealthReport {
  status: 'starting' | 'ready' | 'stopping';
  version: string;
  uptimeSeconds: number;
  [key: string]: unknown;
}

const healthSchema = z.object({
  status: z.enum(['starting', 'ready', 'stopping']),
  version: z.string(),
  uptimeSeconds: z.number(),
  checks: z.record(z.string(), z.string()).optional(),
});

/** `GET /health`: no token needed; 200 when ready to serve, 503 while starting or stopping. */
export function healthRoutes(s: ApiServices) {
  return [
    route({
      method: 'GET', path: '/health', tag: 'health', access: 'public', summary: 'Readiness of the daemon (no token needed)',
      response: healthSchema,
      handler: ({ ctx }) => {
        const body = s.health();
        ctx.status = body.status === 'ready' ? 200 : 503;
        return body;
      },
    }),
  ];
}
