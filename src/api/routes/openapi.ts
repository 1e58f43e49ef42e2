/**
 * `GET /openapi.json`: this API's OpenAPI 3.1 document, made from the same declarations the
 * router mounts (the route list includes this route). Public, like /health: a client
 * generator needs no token. Built on the first call and kept — the routes do not change
 * while the daemon runs.
 */
import { z } from 'zod';
import { openApiDocument } from '../openapi.js';
import { route, type RouteSpec } from '../route.js';
import type { ApiServices } from '../services.js';

export function openApiRoutes(s: ApiServices, routes: () => RouteSpec[]) {
  let document: Record<string, unknown> | undefined;
  return [
    route({
      method: 'GET', path: '/openapi.json', tag: 'api', access: 'public',
      summary: 'This API described in OpenAPI 3.1: every operation with its roles, inputs, answers and errors',
      response: z.record(z.string(), z.unknown()).describe('An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0)'),
      handler: () => (document ??= openApiDocument(routes(), s.version)),
    }),
  ];
}
