/**
 * How the console reaches the daemon: the admin socket (its file permissions are the
 * authentication) or the LAN API with a token. The console holds no database key and,
 * while locked, no token either — only the token's SHA-256, to check the one typed to
 * unlock.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError, CuspClient } from '../src/api/client.js';

export type ConnectionMode = 'socket' | 'remote';

export class Connection {
  readonly mode: ConnectionMode;
  /** The socket path or the URL, for the header and error messages. */
  readonly target: string;
  readonly #make: (token?: string) => CuspClient;
  readonly #tokenHash: Buffer | undefined;
  #client: CuspClient | undefined;

  private constructor(mode: ConnectionMode, target: string, make: (token?: string) => CuspClient, token?: string) {
    this.mode = mode;
    this.target = target;
    this.#make = make;
    this.#tokenHash = token === undefined ? undefined : sha256(token);
    this.#client = make(token);
  }

  /** Over the admin socket at `path`. */
  static socket(path: string): Connection {
    return new Connection('socket', path, () => new CuspClient({ socketPath: path }));
  }

  /** Over HTTPS at `url` with a bearer token; `ca` pins the daemon's CA (PEM). */
  static remote(url: string, token: string, ca?: string | Buffer): Connection {
    return new Connection('remote', url, (t) => new CuspClient({ url, token: t, ca }), token);
  }

  get locked(): boolean {
    return this.#client === undefined;
  }

  /** The client; throws while the console is locked (nothing may be fetched then). */
  get client(): CuspClient {
    if (!this.#client) throw new Error('the console is locked');
    return this.#client;
  }

  /** Drop the client (and with it the token). */
  lock(): void {
    this.#client = undefined;
  }

  /** What the lock screen asks for. */
  get unlockPrompt(): string {
    return this.mode === 'socket' ? "type the word 'unlock' and press Enter" : 'enter your API token again and press Enter';
  }

  /**
   * Unlock with what was typed: the word `unlock` over the socket, the same token remotely.
   * Returns false (and stays locked) otherwise.
   */
  unlock(typed: string): boolean {
    const secret = typed.trim();
    if (this.mode === 'socket') {
      if (secret.toLowerCase() !== 'unlock') return false;
      this.#client = this.#make();
      return true;
    }
    if (!this.#tokenHash || !timingSafeEqual(sha256(secret), this.#tokenHash)) return false;
    this.#client = this.#make(secret);
    return true;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Error codes of a connection that never reached the daemon. */
const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** TLS failures: the daemon answered, but not as one the console may trust. */
const UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

/** True when `err` means the console cannot talk to the daemon at all (as opposed to an API answer). */
export function isUnreachable(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && (UNREACHABLE.has(code) || UNTRUSTED.has(code) || code === 'EACCES');
}

/** One line that says what went wrong talking to the daemon and what to do about it. */
export function describeError(err: unknown, connection: Pick<Connection, 'mode' | 'target'>): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return connection.mode === 'remote' ? `the daemon refused the token (unknown, revoked or expired): ${err.message}` : err.message;
    if (err.status === 403) return `not allowed for your role: ${err.message}`;
    return err.message;
  }
  const e = err as NodeJS.ErrnoException;
  const where = connection.mode === 'socket' ? `the admin socket ${connection.target}` : connection.target;
  switch (e?.code) {
    case 'EACCES':
      return `permission denied on ${where} — run the console as the cusp service user or a member of its group`;
    case 'ENOENT':
    case 'ECONNREFUSED':
      return `the daemon is not running: nothing listens on ${where} — start it (systemctl start cusp) or check api.adminSocket`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${connection.target}`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the daemon closed the connection on ${where} — it may be restarting`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach ${where}: ${e.code}`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `the certificate of ${connection.target} is not trusted — pass --ca with the daemon's CA (data folder tls/ca.crt)`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the certificate of ${connection.target} does not name this host — use the name or address it was made for`;
    case 'CERT_HAS_EXPIRED':
      return `the certificate of ${connection.target} has expired — restart the daemon to renew it`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
