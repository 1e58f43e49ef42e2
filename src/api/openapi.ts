/**
 * The OpenAPI 3.1 document, generated from the route declarations and their zod schemas —
 * the contract cannot drift from the code. Shapes named with `.meta({ id })` in
 * `schemas/*.ts` become components and are referenced, never inlined. The 4xx answers of
 * an operation are derived from its declaration (`derivedAnswers`), so a route added
 * anywhere documents its 401, 403, 400, 404, 413 and 415 without saying so; `answers` in
 * the declaration adds the rest (a 409, a 422, a second success status).
 */
import { z } from 'zod';
import type { AnswerStatus, RouteSpec } from './route.js';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

export const errorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Stable machine-readable code (src/errors.ts), e.g. not_found, invalid_input'),
    message: z.string().describe('What failed and what to do, for a person'),
  }),
}).meta({ id: 'Error', description: 'Every failure: the status from one table, a stable code and a message that says what to do' });

/** Tags in the order of the document, each with what it is about. */
const TAGS: Record<string, string> = {
  health: 'Readiness of the daemon, for load balancers and monitoring (no token)',
  api: 'This description of the API, for client generators (no token)',
  scans: 'Dental 3D scans: list, detail, original and converted files, uploads, signed links, assignment to patients',
  links: 'Signed download links: the link is the authorization (no token)',
  patients: 'Patients (pseudonymous ids in every other resource), their visits and merging duplicates',
  identity: 'Scans whose patient is not certain yet, waiting for a person to say whose they are',
  visits: 'A patient\'s visits: the scans and photos of one day, splits and moves',
  review: 'Clinical review of visits: the queue and the decision',
  images: 'Intraoral and extraoral photos: upload, quality checks, files without identifying metadata',
  annotations: 'Tags and notes on scans and visits',
  jobs: 'The analysis queue: validation, measurements, comparisons, conversions',
  logs: 'The daemon\'s recent log lines, redacted (administrators)',
  folders: 'Watched drop folders of the scanners, their filename rules and quarantines',
  changes: 'The changes feed (poll with since) and the live event stream (Server-Sent Events)',
  audit: 'The hash-chained audit trail: query, export, verification',
  gdpr: 'GDPR: a patient\'s export and erasure',
  retention: 'Retention policy, purges and legal holds',
  metrics: 'Prometheus metrics',
  principals: 'Users and integration clients, their roles and tokens',
  maintenance: 'Storage, backups and key rotation (administrators)',
};

/** A tag a new route brought without an entry in TAGS still gets a description. */
function tagDescription(tag: string): string {
  return TAGS[tag] ?? `Operations on ${tag}`;
}

const REF = /^#\/\$defs\/(.+)$/;

/**
 * zod's JSON Schema of each route schema, with its named shapes (`$defs`) set aside: a
 * shape may differ as input (defaults make fields optional) and as output, so defs are
 * kept per io and named once all are seen.
 */
class Components {
  readonly #defs = new Map<string, { input?: Json; output?: Json }>();
  readonly #pending: Array<{ schema: Json; io: Io }> = [];

  schema(zodSchema: z.ZodType, io: Io): Json {
    const { $schema: _ignored, $defs, ...rest } = z.toJSONSchema(zodSchema, { io, unrepresentable: 'any' }) as Json & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const entry = this.#defs.get(id) ?? {};
      entry[io] = def;
      this.#defs.set(id, entry);
      this.#pending.push({ schema: def, io });
    }
    this.#pending.push({ schema: rest, io });
    return rest;
  }

  /** Name the defs, point every `$ref` at its component; the components, sorted by name. */
  finish(): Record<string, Json> {
    const name = (id: string, io: Io): string => {
      const d = this.#defs.get(id)!;
      const differ = d.input && d.output && JSON.stringify(d.input) !== JSON.stringify(d.output);
      return io === 'input' && differ ? `${id}Input` : id;
    };
    const rewrite = (node: unknown, io: Io): void => {
      if (Array.isArray(node)) return node.forEach((n) => rewrite(n, io));
      if (!node || typeof node !== 'object') return;
      const o = node as Json;
      const m = typeof o.$ref === 'string' ? REF.exec(o.$ref) : null;
      if (m) o.$ref = `#/components/schemas/${name(m[1], io)}`;
      for (const v of Object.values(o)) rewrite(v, io);
    };
    for (const { schema, io } of this.#pending) rewrite(schema, io);
    const out: Record<string, Json> = {};
    for (const [id, d] of this.#defs) {
      if (d.output) out[id] = d.output;
      if (d.input) out[name(id, 'input')] = d.input;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  }
}

function parameters(c: Components, schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const s = c.schema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name, in: where, required: where === 'path' || (s.required ?? []).includes(name), ...(description ? { description } : {}), schema: description ? rest : p };
  });
}

/** Answers many operations give word for word: components/responses, referenced. */
const SHARED = {
  InvalidInput: 'The input is not valid: the message names each field that is wrong and why',
  BodyOnGet: 'A body was sent: this GET takes none',
  TokenRefused: 'A token was sent and it is unknown, revoked or expired (this route needs none, but a token sent is checked)',
  Unauthorized: 'No token, or one that is unknown, revoked or expired: send "Authorization: Bearer <token>"',
  NotFound: 'Nothing has that id: the message names what was not found',
  NotJson: 'The body is not application/json',
  RateLimited: 'Too many failed logins from this address with this credential: Retry-After says when to try again',
  ServerError: 'Any other failure (5xx): the same error shape; the daemon log has the details',
} as const;

/** The request headers a raw upload reads (optional: a query parameter can say the same). */
function headerParameters(r: RouteSpec): Json[] {
  return Object.entries(r.upload?.headers ?? {}).map(([name, description]) => ({ name, in: 'header', required: false, description, schema: { type: 'string' } }));
}

/** The 4xx answers a route gives by the way it is declared (see the module comment). */
export function derivedAnswers(r: RouteSpec): Partial<Record<number, string>> {
  const out: Partial<Record<number, string>> = {};
  const pathParams = /:\w+/.test(r.path);
  if (r.params || r.query || r.body || r.upload) out[400] = SHARED.InvalidInput;
  else if (r.method === 'GET') out[400] = SHARED.BodyOnGet;
  if (r.access === 'public') out[401] = SHARED.TokenRefused;
  else {
    out[401] = SHARED.Unauthorized;
    out[403] = `The caller's role is not one of ${r.access.join(', ')}, or its token is limited to scopes that do not cover ${r.tag}:${r.method === 'GET' ? 'read' : 'write'}`;
  }
  if (pathParams) out[404] = SHARED.NotFound;
  if (r.body) {
    out[413] = `The body is larger than ${r.bodyLimit ?? '1mb'}`;
    out[415] = SHARED.NotJson;
  }
  if (r.upload) {
    out[413] = `The file is larger than this server accepts (${r.upload.limit})`;
    out[415] = `The Content-Type is not one of ${r.upload.mediaTypes.join(', ')}, or the body is compressed`;
  }
  out[429] = SHARED.RateLimited;
  return out;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

const HEADERS: Partial<Record<number, Json>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  503: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
};

function successContent(c: Components, r: RouteSpec): Json {
  if (r.response) return { content: { 'application/json': { schema: c.schema(r.response, 'output') } } };
  if (r.produces) return { content: { [r.produces]: { schema: { type: 'string', ...(r.produces.startsWith('text/') ? {} : { contentMediaType: r.produces }) } } } };
  return {};
}

function errorResponse(status: number, description: string): Json {
  return { description, ...(HEADERS[status] ? { headers: HEADERS[status] } : {}), content: { 'application/json': { schema: ERROR_REF } } };
}

const SHARED_NAME = new Map<string, string>(Object.entries(SHARED).map(([name, text]) => [text, name]));
const SHARED_STATUS: Record<keyof typeof SHARED, number> = { InvalidInput: 400, BodyOnGet: 400, TokenRefused: 401, Unauthorized: 401, NotFound: 404, NotJson: 415, RateLimited: 429, ServerError: 500 };

/** components/responses: the shared answers. */
function sharedResponses(): Json {
  return Object.fromEntries(Object.entries(SHARED).map(([name, text]) => [name, errorResponse(SHARED_STATUS[name as keyof typeof SHARED], text)]));
}

function responses(c: Components, r: RouteSpec): Json {
  const answers = Object.entries(r.answers ?? {}) as Array<[string, string]>;
  const success = answers.filter(([s]) => Number(s) < 300);
  const out: Json = {};
  const content = successContent(c, r);
  const ok = success.length ? success : [[String(r.status ?? 200), r.status === 201 ? 'Created' : r.status === 204 ? 'No content' : 'OK']];
  for (const [status, description] of ok) out[status] = { description, ...(status === '204' ? {} : content) };
  const errors: Partial<Record<number, string>> = { ...derivedAnswers(r) };
  for (const [status, description] of answers) if (Number(status) >= 400) errors[Number(status) as AnswerStatus] = description;
  for (const [status, description] of Object.entries(errors).sort(([a], [b]) => Number(a) - Number(b))) {
    const shared = SHARED_NAME.get(description!);
    out[status] = shared ? { $ref: `#/components/responses/${shared}` } : errorResponse(Number(status), description!);
  }
  out.default = { $ref: '#/components/responses/ServerError' };
  return out;
}

function requestBody(c: Components, r: RouteSpec): Json | undefined {
  if (r.upload) {
    // The bytes are the body: a media type with no schema (OpenAPI 3.1's way for a raw file).
    return { required: true, description: r.upload.description, content: Object.fromEntries(r.upload.mediaTypes.map((t) => [t, {}])) };
  }
  // A body schema that takes `undefined` (`.optional()`) makes the body optional: mount sends undefined when none came.
  if (r.body) return { required: !r.body.safeParse(undefined).success, content: { 'application/json': { schema: c.schema(r.body, 'input') } } };
  return undefined;
}

/** `GET /scans/:uid` → `getScansUid`. */
export function operationId(r: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${r.method.toLowerCase()}${r.path.replace(/[:/{}.-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/\W/g, '')}`;
}

function description(r: RouteSpec): string {
  const who = r.access === 'public' ? 'Public: no token needed.' : `Roles: ${r.access.join(', ')}.`;
  return r.description ? `${r.description}\n\n${who}` : who;
}

export function openApiDocument(routes: RouteSpec[], version: string): Json {
  const c = new Components();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`;
    const body = requestBody(c, r);
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      description: description(r),
      tags: [r.tag],
      operationId: operationId(r),
      'x-roles': r.access === 'public' ? ['public'] : [...r.access],
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      parameters: [...parameters(c, r.params, 'path'), ...parameters(c, r.query, 'query'), ...headerParameters(r)],
      ...(body ? { requestBody: body } : {}),
      responses: responses(c, r),
    };
  }
  c.schema(errorSchema, 'output');
  const tags = [...new Set(routes.map((r) => r.tag))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cusp LAN API', version,
      description: 'Dental 3D scans on the clinic server. Every call but /health, /openapi.json and signed links needs a bearer token; errors are {"error": {"code", "message"}}.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Cusp-Proprietary' },
    },
    servers: [{ url: '/', description: 'The clinic server that serves this document' }],
    tags: tags.map((name) => ({ name, description: tagDescription(name) })),
    components: { responses: sharedResponses(), securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A Cusp token (cusp_…): cusp token issue, or POST /principals/{id}/tokens' } }, schemas: c.finish() },
    paths,
  };
}
