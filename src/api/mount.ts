/**
 * Turning route declarations into Koa routes: authorize, validate path, query and body
 * against their schemas (unknown fields are errors), run the handler, see the call audited.
 * Every input problem is a 400 with the field that is wrong.
 *
 * Where a call's audit event is written: a read's (GET) here, after the handler, from the
 * route's `audit` (appendRead: a read answered on a full disk is audited later). A write's
 * by its handler through `input.record`, in the transaction of its change — never here
 * after the fact, where a failed append would leave a change without its record. Here a
 * successful write is only checked to have recorded one of the actions it declares.
 */
import type Router from '@koa/router';
import parse from 'co-body';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError } from '../errors.js';
import { record, type RecordServices } from '../events/record.js';
import type { ApiState } from './auth.js';
import { JsonText, type ApiFact, type HandlerInput, type RouteSpec } from './route.js';

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

/** A declaration that cannot be audited as declared is a programming error: refuse to mount it. */
function checkDeclaration(spec: RouteSpec): void {
  const name = `${spec.method} ${spec.path}`;
  if (spec.method === 'GET') {
    if (spec.audits !== undefined || spec.auditedBy !== undefined) throw new Error(`${name}: a read declares its audit event in \`audit\`, not \`audits\`/\`auditedBy\``);
    return;
  }
  if (spec.audit) throw new Error(`${name}: a write records its audit event through input.record in its transaction — declare \`audits\`, not \`audit\``);
  if ((spec.audits === undefined) === (spec.auditedBy === undefined)) throw new Error(`${name}: a write declares either the actions it records (\`audits\`) or who records them (\`auditedBy\`)`);
}

/** The actions a successful write recorded, checked against what it declares. */
function checkRecorded(spec: RouteSpec, recorded: string[]): void {
  if (spec.audits === undefined) return;
  const declared: readonly string[] = typeof spec.audits === 'string' ? [spec.audits] : spec.audits;
  const stray = recorded.find((a) => !declared.includes(a));
  if (recorded.length === 0 || stray !== undefined) {
    throw new CuspError('internal', `${spec.method} ${spec.path} ${stray ? `recorded the undeclared audit action ${stray}` : 'recorded no audit event'} — it declares ${declared.join(', ')}`);
  }
}

/** Mount `routes` on `router` (which is mounted under /api/v1); `services` are where calls record. */
export function mountRoutes(router: Router<ApiState>, routes: RouteSpec[], services: RecordServices & { audit: AuditLog }): void {
  const { audit } = services;
  for (const spec of routes) {
    checkDeclaration(spec);
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
      const recorded: string[] = [];
      const input: HandlerInput<unknown, unknown, unknown> = {
        ctx,
        params: check(spec.params, ctx.params, 'path'),
        query: check(spec.query, { ...ctx.query }, 'query'),
        body: spec.body ? check(spec.body, await readJson(ctx, spec.bodyLimit ?? '1mb'), 'body') : undefined,
        principal: principal!,
        source,
        record: (fact: ApiFact) => {
          const event = record(services, { ...fact, audit: fact.audit && { ...fact.audit, actor: principal?.actor ?? 'anonymous', source } });
          if (event) recorded.push(event.action);
          return event;
        },
      };
      const result = await spec.handler(input);
      checkRecorded(spec, recorded);
      const event = spec.audit?.(input, result);
      if (event) audit.appendRead({ ...event, actor: principal?.actor ?? 'anonymous', source });
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
