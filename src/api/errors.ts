/**
 * The one error middleware: every failure leaves as `{"error": {"code", "message"}}` with
 * the status from the one table in src/errors.ts. Only CuspErrors and Koa's own exposed
 * client errors show their message; anything else is logged and answered with a generic
 * 500, never a stack trace.
 */
import type { Middleware } from 'koa';
import { ERROR_STATUS, isCuspError, type ErrorCode } from '../errors.js';

export interface ErrorLogger {
  error(message: string, meta?: object): void;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = Object.fromEntries(
  (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).reverse().map(([code, status]) => [status, code]),
);

/** Codes for statuses only the router produces (not in the CuspError table). */
const STATUS_CODE_NAMES: Record<number, string> = { 405: 'method_not_allowed', 501: 'not_implemented' };

export function errorMiddleware(log: ErrorLogger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` } };
      } else if (ctx.status >= 400 && ctx.body == null) {
        // The router's own answers (405 with its Allow header, 501 for TRACE, PROPFIND, …)
        // come without a body: give them the one error shape too.
        const status = ctx.status;
        const message = status === 405 ? `${ctx.method} is not allowed on ${ctx.path} — allowed: ${ctx.response.get('Allow') || 'none'}`
          : status === 501 ? `the method ${ctx.method} is not supported by this API` : `${ctx.method} ${ctx.path} failed`;
        ctx.body = { error: { code: STATUS_CODE_NAMES[status] ?? CODE_BY_STATUS[status] ?? 'bad_request', message } };
        ctx.status = status;
      }
    } catch (err) {
      if (isCuspError(err)) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message } };
        if (err.status >= 500) log.error('request failed', { code: err.code, method: ctx.method, route: ctx.path, message: err.message });
        return;
      }
      const e = err as { status?: number; expose?: boolean; message?: string };
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
        ctx.status = e.status;
        ctx.body = { error: { code: CODE_BY_STATUS[e.status] ?? 'bad_request', message: e.message ?? 'bad request' } };
        return;
      }
      log.error('unexpected error in request', { method: ctx.method, route: ctx.path, error: err });
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'internal error — the daemon log has the details' } };
    }
  };
}
