// A browser as far as the review page's server side can tell: HTTPS requests to any path
// (not only /api/v1), a cookie jar for the session cookie as a browser keeps it (set by
// Set-Cookie, removed by Max-Age=0), and the CSRF header when asked. Redirects are not
// followed, so tests see them.
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface BrowserResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The JSON body, when the answer is JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class Browser {
  /** The cusp_session cookie's value as the jar holds it. */
  cookie: string | undefined;
  /** The csrfToken of the last session answer. */
  csrf: string | undefined;

  constructor(readonly url: string, readonly ca: Buffer | string) {}

  /** `path` is the full path (`/api/v1/session`, `/review/l/…`). `csrf: true` sends the held CSRF token. */
  async send(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean | string } = {}): Promise<BrowserResponse> {
    const u = new URL(this.url);
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { Accept: 'application/json', ...options.headers };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    if (this.cookie) headers.Cookie = `cusp_session=${this.cookie}`;
    const csrf = typeof options.csrf === 'string' ? options.csrf : options.csrf ? this.csrf : undefined;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const res = await new Promise<BrowserResponse>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path, method, headers, ca: this.ca, agent: false }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('error', reject);
        r.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          if ((r.headers['content-type'] ?? '').includes('json')) body = JSON.parse(text);
          resolve({ status: r.statusCode ?? 0, headers: r.headers, text, body });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
    for (const line of res.headers['set-cookie'] ?? []) {
      const m = /^cusp_session=([^;]*)/.exec(line);
      if (!m) continue;
      this.cookie = m[1] && !/Max-Age=0/i.test(line) ? m[1] : undefined;
    }
    if (res.body && typeof res.body === 'object' && 'csrfToken' in res.body) this.csrf = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }

  /** Sign in with an API token, as the review page's form does. */
  signIn(token: string): Promise<BrowserResponse> {
    return this.send('POST', '/api/v1/session', { body: { token } });
  }

  /** A request below /api/v1 with the session cookie; writes carry the CSRF token unless `csrf: false`. */
  api(method: string, path: string, options: { body?: unknown; csrf?: boolean | string } = {}): Promise<BrowserResponse> {
    const write = method !== 'GET' && method !== 'HEAD';
    return this.send(method, `/api/v1${path}`, { body: options.body, csrf: options.csrf ?? write });
  }
}
