/**
 * The OpenAPI 3.1 document, generated from the route declarations and their zod schemas —
 * the contract cannot drift from the code.
 */
import { z } from 'zod';
import type { RouteSpec } from './route.js';

const errorSchema = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: p }));
}

export function openApiDocument(routes: RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const ok = r.response
      ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } }
      : { description: 'OK', ...(r.produces ? { content: { [r.produces]: { schema: { type: 'string', format: 'binary' } } } } : {}) };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[:/{}-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`,
      'x-roles': r.access === 'public' ? ['public'] : [...r.access],
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: ok,
        default: { description: 'Error', content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cusp LAN API', version, description: 'Dental 3D scans on the clinic server. Every call but /health needs a bearer token; errors are {"error": {"code", "message"}}.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
