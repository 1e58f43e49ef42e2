/**
 * The typed client of the Cusp API: what the console and the tests use, over HTTPS with
 * a token (the CA pinned) or over the admin socket. Errors come back as ApiError with the
 * server's code and message.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ScanDto } from './schemas/scan.js';

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

export interface ScanPage {
  scans: ScanDto[];
  next: string | null;
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
    return this.call<{ status: string; version: string; uptimeSeconds: number }>('GET', '/health');
  }

  listScans(query: Record<string, string | number | boolean | undefined> = {}) {
    return this.call<ScanPage>('GET', '/scans', { query });
  }

  getScan(uid: string) {
    return this.call<ScanDto & { reports: Record<string, unknown>; arrivals: unknown[]; jobs: unknown[]; artifacts: unknown[] }>('GET', `/scans/${encodeURIComponent(uid)}`);
  }

  async downloadOriginal(uid: string): Promise<Buffer> {
    return this.call<Buffer>('GET', `/scans/${encodeURIComponent(uid)}/original`);
  }
}
