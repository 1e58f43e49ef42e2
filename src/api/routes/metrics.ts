/** `GET /metrics`: Prometheus text format (admin token; point the scraper's bearer_token at one). */
import { CuspMetrics } from '../../metrics/cusp-metrics.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../metrics/registry.js';
import { route } from '../route.js';
import type { ApiServices } from '../services.js';

export function metricsRoutes(s: ApiServices) {
  const metrics = CuspMetrics.forBus(s.bus);
  return [
    route({
      method: 'GET', path: '/metrics', tag: 'metrics', access: ['admin'], produces: 'text/plain',
      summary: 'Prometheus metrics: scans by status, jobs by state, queue depth, job and request durations, database size, audit head',
      handler: async ({ ctx }) => {
        ctx.type = PROMETHEUS_CONTENT_TYPE;
        ctx.body = await metrics.render({
          store: s.store, audit: s.audit,
          running: s.dispatcher ? () => s.dispatcher!.running().length : undefined,
          idleWorkers: s.dispatcher ? () => s.dispatcher!.workers().idle : undefined,
          checkpoints: s.checkpointer ? () => s.checkpointer!.stats : undefined,
          disk: s.disk ? () => s.disk!.status : undefined,
          ingestPaused: s.folders ? () => s.folders!.holding : undefined,
          integrity: s.integrity ? () => s.integrity!.status : undefined,
        });
        return undefined;
      },
    }),
  ];
}
