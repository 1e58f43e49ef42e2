/**
 * The Koa middleware that times every API request for `cusp_http_request_duration_seconds`,
 * labelled by the route template (`/api/v1/scans/:uid`, never the concrete path, so the
 * number of series stays small and no id ends up in the metrics).
 */
import type { Middleware } from 'koa';
import type { CuspMetrics } from './cusp-metrics.js';

export function httpMetrics(metrics: CuspMetrics): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
      metrics.observeRequest(ctx.method, typeof route === 'string' ? route : 'unmatched', ctx.status, (performance.now() - start) / 1000);
    }
  };
}
