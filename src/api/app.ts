/**
 * The Koa application behind the LAN API and the admin socket. Routes are declared in
 * `routes/*.ts` (one file per resource) and mounted under `/api/v1`; the same declarations
 * produce the OpenAPI document, itself a declared route (`routes/openapi.ts`).
 */
import Router from '@koa/router';
import Koa from 'koa';
import { CuspMetrics } from '../metrics/cusp-metrics.js';
import { httpMetrics } from '../metrics/http.js';
import { authenticate, FailureLimiter, type ApiState } from './auth.js';
import { errorMiddleware } from './errors.js';
import { mountRoutes } from './mount.js';
import { webApp } from './web-app.js';
import type { RouteSpec } from './route.js';
import { allRoutes } from './routes/index.js';
import { reviewLinkOpener } from './routes/review-links.js';
import { sessionsFor } from './session.js';
import type { ApiServices } from './services.js';

export interface AppOptions {
  /** 'socket': every request is the local administrator (the socket's permissions authenticate). */
  via: 'tls' | 'socket';
  limiter?: FailureLimiter;
}

export function createApp(services: ApiServices, options: AppOptions = { via: 'tls' }): { app: Koa<ApiState>; routes: RouteSpec[] } {
  const app = new Koa<ApiState>();
  app.silent = true; // errors are handled and logged by errorMiddleware
  app.proxy = false;
  app.use(httpMetrics(CuspMetrics.forBus(services.bus))); // outermost: sees the final status of every request
  app.use(errorMiddleware(services.log));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    if (options.via === 'tls') ctx.set('Strict-Transport-Security', 'max-age=31536000');
    ctx.state.via = options.via;
    ctx.state.source = options.via === 'socket' ? 'local' : (ctx.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    await next();
  });
  // GET /review/l/<signed>: a signed review link opens a session (it needs no one signed in).
  if (options.via === 'tls') app.use(reviewLinkOpener(services));
  if (options.via === 'tls') app.use(webApp()); // the review app: static, outside /api/v1, before auth
  app.use(authenticate({
    store: services.store, audit: services.audit, log: services.log, limiter: options.limiter ?? new FailureLimiter(),
    // The review page's session cookies: HTTPS only (the socket is the local administrator).
    sessions: options.via === 'tls' ? sessionsFor(services) : undefined,
  }));
  const routes = allRoutes(services);
  const api = new Router<ApiState>({ prefix: '/api/v1' });
  mountRoutes(api, routes, services);
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: false }));
  return { app, routes };
}
