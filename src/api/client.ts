/**
 * The typed client of the Cusp API: what the console and the tests use, over HTTPS with
 * a token (the CA pinned) or over the admin socket. Errors come back as ApiError with the
 * server's code and message. Its types are the routes' own: api-types.ts is generated from
 * the OpenAPI document, which is made from the route declarations' zod schemas.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { components, paths } from './api-types.js';
import { EventSubscription } from './sse-reader.js';

export type ClientOptions =
  | { url: string; token?: string; ca?: string | Buffer }
  | { socketPath: string };

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Raw bytes to send instead of JSON (uploads). */
  raw?: { bytes: Uint8Array; contentType: string };
  headers?: Record<string, string>;
}

type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** A path below /api/v1 as the document writes it (`/scans/{uid}`): a typo does not compile. */
export type ApiPath = { [K in keyof paths]: K extends `/api/v1${infer P}` ? P : never }[keyof paths];
type Operation<P extends ApiPath, M extends Verb> = NonNullable<paths[`/api/v1${P}`][M]>;
type Json<C> = C extends { content: { 'application/json': infer J } } ? J : never;

/**
 * The JSON an operation answers with on success (its 200, else its 201), by its path as the
 * document writes it: `Answer<'/scans/{uid}'>`, `Answer<'/patients', 'post'>`.
 */
export type Answer<P extends ApiPath, M extends Verb = 'get'> = [Operation<P, M>] extends [never] ? unknown // no such method on that path
  : Operation<P, M> extends { responses: infer R } ? R extends { 200: infer C } ? Json<C> : R extends { 201: infer C } ? Json<C> : unknown : unknown;

/** The JSON body an operation takes. */
export type RequestBody<P extends ApiPath, M extends Verb> = Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** The API's named shapes: `Schema<'Scan'>`. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

export type ScanPage = Answer<'/scans'>;

/** A patient with a summary of their scans and visits. */
export type PatientDetail = Answer<'/patients/{id}'>;

/** What an annotation is on: a scan (by uid) or a visit (by id). */
export type AnnotationTarget = { scan: string } | { visit: number };

function annotationBase(on: AnnotationTarget): string {
  return 'scan' in on ? `/scans/${encodeURIComponent(on.scan)}` : `/visits/${on.visit}`;
}

export class CuspClient {
  readonly #o: ClientOptions;

  constructor(options: ClientOptions) {
    this.#o = options;
  }

  /** Send a request and return the response: JSON parsed, anything else as a Buffer. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; headers: IncomingMessage['headers']; body: unknown }> {
    const query = Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    const fullPath = `/api/v1${path}${query.length ? `?${query.join('&')}` : ''}`;
    const payload = options.raw ? Buffer.from(options.raw.bytes) : options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { Accept: 'application/json', ...options.headers };
    if (payload) {
      headers['Content-Type'] = options.raw?.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const onResponse = (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const json = (res.headers['content-type'] ?? '').includes('application/json');
          let body: unknown = buf;
          if (json) {
            try {
              body = JSON.parse(buf.toString('utf8'));
            } catch {
              body = buf.toString('utf8');
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      };
      let req;
      if ('socketPath' in this.#o) {
        req = httpRequest({ socketPath: this.#o.socketPath, path: fullPath, method, headers }, onResponse);
      } else {
        const url = new URL(this.#o.url);
        if (this.#o.token) headers.Authorization = `Bearer ${this.#o.token}`;
        req = httpsRequest({ host: url.hostname, port: url.port || 443, path: fullPath, method, headers, ca: this.#o.ca }, onResponse);
      }
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like `send`, but a non-2xx status throws ApiError and the body is returned typed. */
  async call<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    if (res.status >= 200 && res.status < 300) return res.body as T;
    const err = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${res.status}`);
  }

  health() {
    return this.call<Answer<'/health'>>('GET', '/health');
  }

  listScans(query: Record<string, string | number | boolean | undefined> = {}) {
    return this.call<ScanPage>('GET', '/scans', { query });
  }

  getScan(uid: string) {
    return this.call<Answer<'/scans/{uid}'>>('GET', `/scans/${encodeURIComponent(uid)}`);
  }

  async downloadOriginal(uid: string): Promise<Buffer> {
    return this.call<Buffer>('GET', `/scans/${encodeURIComponent(uid)}/original`);
  }

  createPatient(input: RequestBody<'/patients', 'post'>) {
    return this.call<Answer<'/patients', 'post'>>('POST', '/patients', { body: input });
  }

  /** `null` clears a field; `externalIds` replaces the whole list. */
  updatePatient(id: string, changes: RequestBody<'/patients/{id}', 'patch'>) {
    return this.call<Answer<'/patients/{id}', 'patch'>>('PATCH', `/patients/${encodeURIComponent(id)}`, { body: changes });
  }

  getPatient(id: string) {
    return this.call<PatientDetail>('GET', `/patients/${encodeURIComponent(id)}`);
  }

  /** By `externalId` ('system:value') or `name` (words starting the last or first name). */
  searchPatients(query: { externalId?: string; name?: string; limit?: number; cursor?: string } = {}) {
    return this.call<Answer<'/patients'>>('GET', '/patients', { query });
  }

  patientVisits(id: string) {
    return this.call<Answer<'/patients/{id}/visits'>>('GET', `/patients/${encodeURIComponent(id)}/visits`);
  }

  getVisit(id: number) {
    return this.call<Answer<'/visits/{id}'>>('GET', `/visits/${id}`);
  }

  /** Merge an unassigned scan into a patient. */
  assignScan(uid: string, body: RequestBody<'/scans/{uid}/patient', 'put'>) {
    return this.call<Answer<'/scans/{uid}/patient', 'put'>>('PUT', `/scans/${encodeURIComponent(uid)}/patient`, { body });
  }

  /** Merge the duplicate patient `from` into patient `into` (everything moves; `from` is removed). */
  mergePatients(into: string, from: string) {
    return this.call<Answer<'/patients/{id}/merge', 'post'>>('POST', `/patients/${encodeURIComponent(into)}/merge`, { body: { from } });
  }

  /** Where a scan's identity came from, field by field. */
  scanIdentity(uid: string) {
    return this.call<Answer<'/scans/{uid}/identity'>>('GET', `/scans/${encodeURIComponent(uid)}/identity`);
  }

  /** Scans waiting for a person to say whose they are, oldest first. */
  identityReviews(query: { state?: 'open' | 'resolved'; limit?: number; after?: number } = {}) {
    return this.call<Answer<'/identity-reviews'>>('GET', '/identity-reviews', { query });
  }

  /** Say whose a reviewed scan is: an existing patient, or a new one. */
  resolveIdentityReview(id: number, choice: RequestBody<'/identity-reviews/{id}/resolve', 'post'>) {
    return this.call<Answer<'/identity-reviews/{id}/resolve', 'post'>>('POST', `/identity-reviews/${id}/resolve`, { body: choice });
  }

  addAnnotation(on: AnnotationTarget, body: { tag: string; value?: string | number; note?: string }) {
    return this.call<Schema<'Annotation'>>('POST', `${annotationBase(on)}/annotations`, { body });
  }

  async listAnnotations(on: AnnotationTarget): Promise<Array<Schema<'Annotation'>>> {
    return (await this.call<Schema<'AnnotationList'>>('GET', `${annotationBase(on)}/annotations`)).annotations;
  }

  deleteAnnotation(id: number) {
    return this.call<Answer<'/annotations/{id}', 'delete'>>('DELETE', `/annotations/${id}`);
  }

  /** Upload a scan file; `duplicate` is true when the same bytes are stored already. */
  uploadScan(bytes: Uint8Array, name: string, options: { patient?: string; jaw?: string; capturedAt?: string; contentType?: string } = {}) {
    const { contentType = 'application/octet-stream', ...query } = options;
    return this.call<Answer<'/scans', 'post'>>('POST', '/scans', {
      query, raw: { bytes, contentType }, headers: { 'X-Filename': encodeURIComponent(name) },
    });
  }

  downloadConverted(uid: string, format: 'stl' | 'ply' | 'obj' | 'glb', options: { ascii?: boolean } = {}) {
    return this.call<Buffer>('GET', `/scans/${encodeURIComponent(uid)}/converted`, { query: { format, ascii: options.ascii } });
  }

  downloadArtifact(uid: string, kind: string) {
    return this.call<Buffer>('GET', `/scans/${encodeURIComponent(uid)}/artifacts/${encodeURIComponent(kind)}`);
  }

  /** A signed link to 'original', 'converted:<format>' or an artifact kind, valid `ttlSeconds` (≤ 3600). */
  createLink(uid: string, what: string, ttlSeconds?: number) {
    return this.call<Answer<'/scans/{uid}/links', 'post'>>('POST', `/scans/${encodeURIComponent(uid)}/links`, { body: { what, ttlSeconds } });
  }

  /** Fetch a signed link's file (the link is the authorization; use a client without a token to prove it). */
  openLink(url: string) {
    const u = new URL(url, 'https://link.invalid');
    if (!u.pathname.startsWith('/api/v1/')) throw new Error(`not a Cusp link: ${url}`);
    return this.call<Buffer>('GET', u.pathname.slice('/api/v1'.length), { query: Object.fromEntries(u.searchParams) });
  }

  listJobs(query: { state?: string; kind?: string; scan?: string; limit?: number; cursor?: string } = {}) {
    return this.call<Answer<'/jobs'>>('GET', '/jobs', { query });
  }

  getJob(id: number) {
    return this.call<Answer<'/jobs/{id}'>>('GET', `/jobs/${id}`);
  }

  retryJob(id: number) {
    return this.call<Answer<'/jobs/{id}/retry', 'post'>>('POST', `/jobs/${id}/retry`);
  }

  cancelJob(id: number) {
    return this.call<Answer<'/jobs/{id}/cancel', 'post'>>('POST', `/jobs/${id}/cancel`);
  }

  /**
   * Open a long-lived GET (the SSE `/events` stream) and hand over the response as it
   * arrives; a non-2xx status rejects with ApiError. `close()` ends it.
   */
  openStream(path: string, query: Record<string, string | number | undefined> = {}, headers: Record<string, string> = {}): Promise<{ response: IncomingMessage; close(): void }> {
    const q = Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
    const fullPath = `/api/v1${path}${q.length ? `?${q.join('&')}` : ''}`;
    const h: Record<string, string> = { Accept: 'text/event-stream', ...headers };
    return new Promise((resolve, reject) => {
      const onResponse = (res: IncomingMessage) => {
        const close = () => req.destroy();
        if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) return resolve({ response: res, close });
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let err: { code?: string; message?: string } | undefined;
          try {
            err = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: typeof err }).error;
          } catch {
            // not JSON
          }
          reject(new ApiError(res.statusCode ?? 0, err?.code ?? 'http_error', err?.message ?? `HTTP ${res.statusCode}`));
        });
      };
      let req: ReturnType<typeof httpRequest>;
      if ('socketPath' in this.#o) {
        req = httpRequest({ socketPath: this.#o.socketPath, path: fullPath, method: 'GET', headers: h }, onResponse);
      } else {
        const url = new URL(this.#o.url);
        if (this.#o.token) h.Authorization = `Bearer ${this.#o.token}`;
        req = httpsRequest({ host: url.hostname, port: url.port || 443, path: fullPath, method: 'GET', headers: h, ca: this.#o.ca }, onResponse);
      }
      req.on('error', reject);
      req.end();
    });
  }

  // ----- operations and compliance: folders, changes, events, audit, GDPR, retention, metrics, principals

  listFolders() {
    return this.call<Answer<'/folders'>>('GET', '/folders');
  }

  addFolder(settings: RequestBody<'/folders', 'post'>) {
    return this.call<Answer<'/folders', 'post'>>('POST', '/folders', { body: settings });
  }

  setFolderPaused(name: string, paused: boolean) {
    return this.call<Answer<'/folders/{name}/pause', 'post'>>('POST', `/folders/${encodeURIComponent(name)}/${paused ? 'pause' : 'resume'}`);
  }

  removeFolder(name: string) {
    return this.call<undefined>('DELETE', `/folders/${encodeURIComponent(name)}`);
  }

  rescanFolders() {
    return this.call<Answer<'/folders/rescan', 'post'>>('POST', '/folders/rescan');
  }

  quarantine(name: string) {
    return this.call<Answer<'/folders/{name}/quarantine'>>('GET', `/folders/${encodeURIComponent(name)}/quarantine`);
  }

  /** What a filename rule makes of sample names (nothing is saved). */
  testRule(rule: string, names: string[], layout: 'flat' | 'patient-subfolder' = 'flat') {
    return this.call<Answer<'/folders/test-rule', 'post'>>('POST', '/folders/test-rule', { body: { rule, layout, names } });
  }

  changes(since = 0, limit?: number) {
    return this.call<Answer<'/changes'>>('GET', '/changes', { query: { since, limit } });
  }

  /** The live event stream; resume after a change with `lastEventId`. */
  async events(options: { since?: number; lastEventId?: number } = {}): Promise<EventSubscription> {
    const headers: Record<string, string> = options.lastEventId === undefined ? {} : { 'Last-Event-ID': String(options.lastEventId) };
    const { response, close } = await this.openStream('/events', { since: options.since }, headers);
    return new EventSubscription(response, close);
  }

  queryAudit(query: { since?: number; action?: string; actor?: string; object?: string; outcome?: string; from?: string; to?: string; limit?: number } = {}) {
    return this.call<Answer<'/audit'>>('GET', '/audit', { query });
  }

  /** The audit trail as FHIR AuditEvent NDJSON or syslog lines. */
  async exportAudit(format: 'fhir' | 'syslog' = 'fhir', since = 0): Promise<string> {
    return (await this.call<Buffer>('GET', '/audit/export', { query: { format, since } })).toString('utf8');
  }

  verifyAudit() {
    return this.call<Answer<'/audit/verify', 'post'>>('POST', '/audit/verify');
  }

  /** Newest event, newest signed checkpoint, last verification, and one running now. */
  auditStatus() {
    return this.call<Answer<'/audit/status'>>('GET', '/audit/status');
  }

  /** Disk space of the data folder and the database's size (admin). */
  storage() {
    return this.call<Answer<'/system/storage'>>('GET', '/system/storage');
  }

  /** The GDPR export of a patient: a zip. */
  exportPatient(id: string) {
    return this.call<Buffer>('GET', `/patients/${encodeURIComponent(id)}/export`);
  }

  /** Erase a patient for good; `confirm` must repeat the id. */
  erasePatient(id: string, confirm: string) {
    return this.call<Answer<'/patients/{id}', 'delete'>>('DELETE', `/patients/${encodeURIComponent(id)}`, { body: { confirm } });
  }

  retention() {
    return this.call<Answer<'/retention'>>('GET', '/retention');
  }

  setRetention(scansYears: number, basis: 'captured' | 'received' = 'captured') {
    return this.call<Answer<'/retention', 'put'>>('PUT', '/retention', { body: { scansYears, basis } });
  }

  purge(dryRun = true) {
    return this.call<Answer<'/retention/purge', 'post'>>('POST', '/retention/purge', { query: { dryRun } });
  }

  legalHolds() {
    return this.call<Answer<'/retention/holds'>>('GET', '/retention/holds');
  }

  legalHold(patient: string) {
    return this.call<Answer<'/patients/{id}/legal-hold'>>('GET', `/patients/${encodeURIComponent(patient)}/legal-hold`);
  }

  setLegalHold(patient: string, hold: boolean, reason?: string) {
    return this.call<Answer<'/patients/{id}/legal-hold', 'put'>>('PUT', `/patients/${encodeURIComponent(patient)}/legal-hold`, { body: { hold, reason } });
  }

  /** Prometheus text. */
  async metrics(): Promise<string> {
    return (await this.call<Buffer>('GET', '/metrics')).toString('utf8');
  }

  principals() {
    return this.call<Answer<'/principals'>>('GET', '/principals');
  }

  createPrincipal(name: string, role: RequestBody<'/principals', 'post'>['role'], kind: RequestBody<'/principals', 'post'>['kind'] = 'client') {
    return this.call<Answer<'/principals', 'post'>>('POST', '/principals', { body: { name, role, kind } });
  }

  /** Issue a token: the returned `token` is the only time it is shown. */
  issueToken(principal: number, name: string, options: { days?: number; scopes?: string[] } = {}) {
    return this.call<Answer<'/principals/{id}/tokens', 'post'>>('POST', `/principals/${principal}/tokens`, { body: { name, ...options } });
  }

  tokens(principal: number) {
    return this.call<Answer<'/principals/{id}/tokens'>>('GET', `/principals/${principal}/tokens`);
  }

  revokeToken(id: number) {
    return this.call<Answer<'/tokens/{id}', 'delete'>>('DELETE', `/tokens/${id}`);
  }
}
