/**
 * One error type for all of Cusp, and one table from its codes to HTTP statuses.
 *
 * Every failure a user can act on is a CuspError whose message says what failed and what
 * to do. The API's error middleware shows `code` and `message` of a CuspError and nothing
 * of any other error; the CLI prints the message as its one line on stderr.
 */

/** Every error code Cusp produces, with the HTTP status the API answers it with. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_input: 400,
  mesh_rejected: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  config_invalid: 500,
  key_invalid: 500,
  store_failed: 500,
  audit_broken: 500,
  internal: 500,
  // Stored bytes that no longer match their SHA-256, or a database page whose HMAC fails:
  // 500, not 503 — trying again does not help; the data must be restored from a backup.
  storage_corrupt: 500,
  unavailable: 503,
  // The data folder's disk is full (SQLITE_FULL / ENOSPC) or below store.minFreeMegabytes.
  disk_full: 507,
  // The review page's browser sessions (after the general codes above, so a bare 401 or
  // 403 from the router keeps the names unauthorized and forbidden).
  unauthenticated: 401,
  session_expired: 401,
  csrf_required: 403,
  outside_link: 403,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class CuspError extends Error {
  readonly code: ErrorCode;
  /** Structured details safe to show a client (never PHI, keys or tokens). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CuspError';
    this.code = code;
    this.details = options?.details;
  }

  /** The HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** True when `err` is a CuspError (also across module copies, e.g. in workers). */
export function isCuspError(err: unknown): err is CuspError {
  return err instanceof CuspError || (err instanceof Error && err.name === 'CuspError' && 'code' in err);
}
