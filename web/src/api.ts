/**
 * The page's one way to the API: same origin, the session cookie, `X-CSRF-Token` on every
 * write, errors as `ApiError` with the API's code and message. Every call counts as the
 * person being there (the idle timer restarts).
 */

/** An answer of the API that was not 2xx, with its `{error: {code, message}}`. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
const listeners = new Set<() => void>();
let onSignedOut: ((err: ApiError) => void) | undefined;

/** The token the session answer carried (null for a bearer caller). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on every request (the idle timer listens); returns the unsubscribe. */
export function onActivity(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called when an API answer says the session is gone (401), except for the session check itself. */
export function onSessionLost(handler: (err: ApiError) => void): void {
  onSignedOut = handler;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  for (const l of listeners) l();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (WRITES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  return fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
}

async function failure(res: Response, path: string): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = `${path}: the server answered ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the generic message
  }
  return new ApiError(res.status, code, message);
}

/** A JSON call; 204 answers undefined. `quiet` keeps a 401 from signing the page out. */
export async function api<T>(method: string, path: string, body?: unknown, options: { quiet?: boolean } = {}): Promise<T> {
  const res = await send(method, path, body);
  if (!res.ok) {
    const err = await failure(res, path);
    if (err.status === 401 && !options.quiet) onSignedOut?.(err);
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Bytes of a download (a GLB, the deviation values), with progress in bytes. */
export async function bytes(path: string, onProgress?: (received: number, total: number | null) => void): Promise<ArrayBuffer> {
  const res = await send('GET', path);
  if (!res.ok) {
    const err = await failure(res, path);
    if (err.status === 401) onSignedOut?.(err);
    throw err;
  }
  if (!onProgress || !res.body) return res.arrayBuffer();
  const total = Number(res.headers.get('content-length')) || null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received, total);
  }
  const all = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all.buffer;
}
