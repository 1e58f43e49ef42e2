/**
 * Turning route declarations into Koa routes: authorize, validate path, query and body
 * against their schemas (unknown fields are errors), run the handler, write the audit
 * event for the call. Every input problem is a 400 with the field that is wrong.
 */
import type Router from '@koa/router';
import parse from 'co-body';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError } from '../errors.js';
import type { ApiState } from './auth.js';
import { JsonText, type HandlerInput, type RouteSpec } from './route.js';

function check<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    const field = [where, ...i.path.map(String)].join('.');
    return i.code === 'unrecognized_keys' ? `${where}: unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : `${field}: ${i.message}`;
  });
  throw new CuspError('invalid_input', problems.join('; '), { details: { problems } });
}

async function readJson(ctx: Context, limit: string): Promise<unknown> {
  if (!ctx.request.length && !ctx.get('Transfer-Encoding')) return undefined;
  if (!ctx.is('application/json')) throw new CuspError('unsupported_media_type', 'send the body as application/json');
  try {
    return await parse.json(ctx, { limit, strict: true });
  } catch (err) {
    const e = err as { status?: number; type?: string; message?: string };
    if (e.status === 413) throw new CuspError('payload_too_large', `the body is larger than ${limit}`);
    throw new CuspError('bad_request', `the body is not valid JSON: ${e.message ?? 'parse error'}`);
  }
}

/** Mount `routes` on `router` (which is mounted under /api/v1). */
export function mountRoutes(router: Router<ApiState>, routes: RouteSpec[], audit: AuditLog): void {
  for (const spec of routes) {
    const handler = async (ctx: Context & { state: ApiState }) => {
      const { principal, source } = ctx.state;
      if (spec.access !== 'public') {
        if (!principal) {
          ctx.set('WWW-Authenticate', 'Bearer');
          throw new CuspError('unauthorized', 'this needs a token: send "Authorization: Bearer <token>"');
        }
        if (!spec.access.includes(principal.role)) {
          audit.append({ actor: principal.actor, action: 'access.denied', outcome: 'denied', source, details: { method: spec.method, route: spec.path, role: principal.role } });
          throw new CuspError('forbidden', `the ${principal.role} role may not ${spec.method} ${spec.path}`);
        }
        const scope = `${spec.tag}:${spec.method === 'GET' ? 'read' : 'write'}`;
        if (principal.scopes.length > 0 && !principal.scopes.includes(spec.tag) && !principal.scopes.includes(scope)) {
          throw new CuspError('forbidden', `this token is limited to ${principal.scopes.join(', ')} — it does not cover ${scope}`);
        }
      }
      if (!spec.body && spec.method === 'GET' && (ctx.request.length || ctx.get('Transfer-Encoding'))) {
        throw new CuspError('bad_request', `GET ${spec.path} takes no body — send its parameters in the query string`);
      }
      const input: HandlerInput<unknown, unknown, unknown> = {
        ctx,
        params: check(spec.params, ctx.params, 'path'),
        query: check(spec.query, { ...ctx.query }, 'query'),
        body: spec.body ? check(spec.body, await readJson(ctx, spec.bodyLimit ?? '1mb'), 'body') : undefined,
        principal: principal!,
        source,
      };
      const result = await spec.handler(input);
      const event = spec.audit?.(input, result);
      if (event) {
        const entry = { ...event, actor: principal?.actor ?? 'anonymous', source };
        if (spec.method === 'GET') audit.appendRead(entry);
        else audit.append(entry);
      }
      if (spec.status) ctx.status = spec.status;
      if (result instanceof JsonText) {
        ctx.type = 'application/json';
        ctx.body = result.text;
      } else if (result !== undefined) ctx.body = result;
      else if (ctx.body === undefined) ctx.status = spec.status ?? 204;
    };
    router.register(spec.path, [spec.method], handler as never);
  }
}
