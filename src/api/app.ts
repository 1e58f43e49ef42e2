/**
 * The Koa application behind the LAN API and the admin socket. Routes live in
 * `routes/*.ts`, one file per resource; everything is under `/api/v1`.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { errorMiddleware, type ErrorLogger } from './errors.js';
import { healthRoutes, type HealthReport } from './routes/health.js';

export interface AppDeps {
  log: ErrorLogger;
  health: () => HealthReport;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.silent = true; // errors are handled and logged by errorMiddleware
  app.use(errorMiddleware(deps.log));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Strict-Transport-Security', 'max-age=31536000');
    await next();
  });
  const api = new Router({ prefix: '/api/v1' });
  const health = healthRoutes(deps.health);
  api.use(health.routes(), health.allowedMethods());
  app.use(api.routes());
  app.use(api.allowedMethods());
  return app;
}
