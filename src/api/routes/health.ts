import Router from '@koa/router';

export interface HealthReport {
  status: 'starting' | 'ready' | 'stopping';
  version: string;
  uptimeSeconds: number;
  [key: string]: unknown;
}

/** `GET /health`: no token needed; 200 when ready to serve, 503 while starting or stopping. */
export function healthRoutes(report: () => HealthReport): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    const body = report();
    ctx.status = body.status === 'ready' ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  });
  return router;
}
