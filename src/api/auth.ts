/**
 * Who is calling. Over HTTPS: a bearer token (stored hashed; unknown, revoked or expired
 * tokens are refused, failures are audited and rate-limited per address and credential — see
 * FailureLimiter), the review page's session cookie (session.ts: writes need the session's
 * CSRF token, a session from a signed link reaches one patient only), or a client certificate
 * (mutual TLS). Over the admin socket: the local administrator — the socket's file
 * permissions are the authentication.
 */
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Context, Middleware, Next } from 'koa';
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError, isCuspError } from '../errors.js';
import type { Logger } from '../log/index.js';
import type { Role } from '../store/principals.js';
import type { Store } from '../store/store.js';
import { linkAllows } from './link-scope.js';
import { CSRF_HEADER, csrfMatches, sessionCookie, type Session, type SessionStore } from './session.js';

export interface ApiPrincipal {
  id: number;
  name: string;
  role: Role;
  /** For the audit trail: `principal:<id>`, or `local-admin` over the socket. */
  actor: string;
  tokenId?: number;
  scopes: string[];
  breakGlass: boolean;
}

export interface ApiState {
  principal?: ApiPrincipal;
  via: 'tls' | 'socket';
  source: string;
  /** The browser session whose cookie authenticated this request. */
  session?: Session;
  /**
   * A session cookie came that authenticates nobody: `expired` (idle logoff), `void` (its
   * token was revoked or its principal disabled since), `unknown` (signed out, or the
   * daemon restarted). A 401 then says so instead of asking for a bearer token.
   */
  sessionProblem?: 'expired' | 'void' | 'unknown';
  /**
   * Check an API token exactly as a bearer token is checked — a failure counted by the same
   * limiter and audited the same way — for the review page's sign-in (HTTPS only).
   */
  checkToken?: (token: string) => ApiPrincipal;
}

export const LOCAL_ADMIN: ApiPrincipal = { id: 0, name: 'local-admin', role: 'admin', actor: 'local-admin', scopes: [], breakGlass: false };

/** Tokens with this scope are for emergencies: every use raises a security alert. */
export const BREAK_GLASS_SCOPE = 'break-glass';

/**
 * Failed authentications, counted per (address, credential) and per address, in a sliding
 * window. Only failures are counted and only failures are refused: a clinic's valid tokens
 * keep working from an address where something else (a misconfigured script with a revoked
 * token, a neighbour guessing) fails again and again.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly perCredential: number;
  readonly perAddress: number;
  readonly windowMs: number;
  readonly #now: () => number;

  constructor(options: { perCredential?: number; perAddress?: number; windowMs?: number; now?: () => number } = {}) {
    this.perCredential = options.perCredential ?? 10;
    this.perAddress = options.perAddress ?? 100;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  #recent(key: string): number[] {
    const cutoff = this.#now() - this.windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  #wait(key: string, limit: number): number {
    const list = this.#recent(key);
    return list.length >= limit ? Math.ceil((list[list.length - limit] + this.windowMs - this.#now()) / 1000) : 0;
  }

  /** Seconds until a failing credential from `source` is heard again (0: now). */
  blockedFor(source: string, credential: string): number {
    return Math.max(this.#wait(`${source}|${credential}`, this.perCredential), this.#wait(source, this.perAddress));
  }

  fail(source: string, credential: string): void {
    for (const key of [`${source}|${credential}`, source]) {
      const list = this.#recent(key);
      list.push(this.#now());
      this.#failures.set(key, list);
    }
    // Bounded memory under a flood of distinct credentials: forget the oldest keys.
    if (this.#failures.size > 100_000) for (const key of [...this.#failures.keys()].slice(0, 50_000)) this.#failures.delete(key);
  }
}

/**
 * What a failure is counted against: Cusp's tokens carry no id part (`cusp_` + 256 random
 * bits), so the key is a hash of the presented credential's first 16 characters — the same
 * wrong token always lands on the same key, and the key shows nothing of it in memory.
 */
export function credentialKey(presented: string): string {
  return createHash('sha256').update(presented.slice(0, 16)).digest('base64url').slice(0, 16);
}

/** A client certificate the TLS handshake received (mutual TLS), or undefined when none was sent. */
interface PeerCertificate {
  commonName: string | undefined;
  /** True when it chains to `api.tls.clientCaFile`. */
  verified: boolean;
  fingerprint: string;
}

function peerCertificate(socket: unknown): PeerCertificate | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const cert = tls.getPeerCertificate();
  if (!cert || !cert.fingerprint256) return undefined;
  const cn = cert.subject?.CN as string | string[] | undefined;
  return { commonName: Array.isArray(cn) ? cn[0] : cn, verified: tls.authorized === true, fingerprint: cert.fingerprint256 };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a 401 for a request with a dead session cookie says instead of "send a bearer token". */
const SESSION_PROBLEMS = {
  expired: (minutes: number) => new CuspError('session_expired', `your session ended after ${minutes} minutes without activity (automatic logoff) — sign in again`),
  void: () => new CuspError('unauthenticated', 'the token this session was opened with was revoked or expired, or its user was disabled — sign in again with a valid token'),
  unknown: () => new CuspError('unauthenticated', 'this session is not known (you signed out, or the daemon restarted) — sign in again'),
  none: () => new CuspError('unauthenticated', 'not signed in — sign in with your API token (POST /api/v1/session) or send "Authorization: Bearer <token>"'),
};

/**
 * True while what a session stands on still holds: its principal is enabled, and the token
 * it was opened with (if any) is neither revoked nor expired. Checked on every request, so
 * revoking a token or disabling a user ends their browser sessions at once.
 */
function credentialLive(store: Store, p: ApiPrincipal): boolean {
  if (p === LOCAL_ADMIN || p.actor === LOCAL_ADMIN.actor) return true;
  const principal = store.principals.get(p.id);
  if (!principal || principal.disabled) return false;
  if (p.tokenId === undefined) return true;
  const token = store.principals.token(p.tokenId);
  return !!token && !token.revokedAt && !(token.expiresAt && token.expiresAt <= new Date().toISOString());
}

type Refuse = (credential: string, reason: string, message: string, details?: Record<string, unknown>) => never;

export function authenticate(deps: { store: Store; audit: AuditLog; log: Logger; limiter: FailureLimiter; sessions?: SessionStore }): Middleware<ApiState> {
  const { store, audit, log, limiter, sessions } = deps;

  const alertBreakGlass = (ctx: Context & { state: ApiState }, p: ApiPrincipal) => {
    if (!p.breakGlass) return;
    audit.append({ actor: p.actor, action: 'security.alert', outcome: 'success', source: ctx.state.source, details: { alert: 'break-glass token used', method: ctx.method, route: ctx.path, token: p.tokenId } });
    log.warn(`SECURITY ALERT: break-glass token ${p.tokenId} of principal ${p.id} used from ${ctx.state.source} for ${ctx.method} ${ctx.path}`);
  };

  /** The principal a bearer token stands for, or a refusal (counted, audited). */
  const principalForToken = (presented: string, refuse: Refuse): ApiPrincipal => {
    const found = store.principals.authenticate(presented);
    if (!found) {
      refuse(credentialKey(presented), 'unknown, revoked or expired token', 'the token is unknown, revoked or expired (or its principal is disabled) — ask an administrator for a new one (cusp token create)');
    }
    const { token, principal } = found;
    return {
      id: principal.id, name: principal.name, role: principal.role, actor: `principal:${principal.id}`,
      tokenId: token.id, scopes: token.scopes.filter((sc) => sc !== BREAK_GLASS_SCOPE), breakGlass: token.scopes.includes(BREAK_GLASS_SCOPE),
    };
  };

  /** Run the rest; a "needs a token" 401 for a request whose session cookie is dead says why instead. */
  const guarded = async (ctx: Context & { state: ApiState }, next: Next) => {
    try {
      await next();
    } catch (err) {
      // GET/DELETE /session without any credential: the page asks "who am I?" (a failed sign-in, POST, stays a failed login).
      const problem = ctx.state.sessionProblem ?? (ctx.path === '/api/v1/session' && ctx.method !== 'POST' ? 'none' : undefined);
      if (problem && !ctx.state.principal && isCuspError(err) && err.code === 'unauthorized') {
        throw problem === 'expired' ? SESSION_PROBLEMS.expired(sessions ? sessions.idleMs / 60_000 : 0) : SESSION_PROBLEMS[problem]();
      }
      throw err;
    }
  };

  /** The session cookie's principal, checked: live credential, CSRF token on writes, a link session's one patient. */
  const sessionPrincipal = (ctx: Context & { state: ApiState }, table: SessionStore, cookie: string): ApiPrincipal | undefined => {
    const found = table.lookup(cookie);
    if (!found) {
      ctx.state.sessionProblem = 'unknown';
      return undefined;
    }
    if ('expired' in found) {
      ctx.state.sessionProblem = 'expired';
      return undefined;
    }
    const { session } = found;
    const { principal } = session;
    const deny = (reason: string, error: CuspError): never => {
      audit.append({ actor: principal.actor, action: 'access.denied', outcome: 'denied', source: ctx.state.source, details: { method: ctx.method, route: ctx.path, reason, session: session.id } });
      throw error;
    };
    if (!credentialLive(store, principal)) {
      table.endByCookie(cookie, 'credential-void');
      ctx.state.sessionProblem = 'void';
      return undefined;
    }
    if (WRITES.has(ctx.method) && !csrfMatches(session, ctx.get(CSRF_HEADER) || undefined)) {
      deny('csrf', new CuspError('csrf_required', `a change made with the session cookie needs the header ${CSRF_HEADER} with the csrfToken of GET /api/v1/session — reload the page`));
    }
    if (session.link) {
      const api = ctx.path.startsWith('/api/v1/') ? ctx.path.slice('/api/v1'.length) : undefined;
      // Anything else under /api (another spelling of a route) is refused: the router matches case-insensitively.
      const outside = api === undefined ? /^\/api(\/|$)/i.test(ctx.path) : !linkAllows(store, session.link, ctx.method, api, ctx.query);
      if (outside) {
        deny('outside_link', new CuspError('outside_link', `this session was opened through a link for patient ${session.link.patientPseudoId} and reaches only that patient — sign in with your token for anything else`));
      }
    }
    ctx.state.session = session;
    return principal;
  };

  return async (ctx, next) => {
    if (ctx.state.via === 'socket') {
      ctx.state.principal = LOCAL_ADMIN;
      return next();
    }
    const source = ctx.state.source;
    /**
     * Validity is checked first and limits apply only to failures, so a valid credential is
     * never refused because of failures around it. That is not an oracle: a refused request
     * (401 or 429) says only "this credential does not work", which any attempt says anyway;
     * what the limit protects is not secrecy but time — tokens are 256 random bits, beyond any
     * guessing, and the limit keeps floods out of the audit trail and the logs (one
     * `auth.lockout` event per lockout, not one per request).
     */
    const refuse: Refuse = (credential, reason, message, details = {}) => {
      const wait = limiter.blockedFor(source, credential);
      if (wait > 0) {
        ctx.set('Retry-After', String(wait));
        throw new CuspError('rate_limited', `too many failed logins from ${source} with this credential — try again in ${Math.ceil(wait / 60)} minutes`);
      }
      limiter.fail(source, credential);
      audit.append({ actor: 'anonymous', action: 'auth.fail', outcome: 'denied', source, details: { reason, ...details } });
      if (limiter.blockedFor(source, credential) > 0) {
        audit.append({ actor: 'anonymous', action: 'auth.lockout', outcome: 'denied', source, details: { credential, minutes: Math.ceil(limiter.windowMs / 60_000) } });
        log.warn(`locked out a credential from ${source} after repeated failures`);
      }
      log.warn(`refused a request from ${source}: ${reason}`);
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new CuspError('unauthorized', message);
    };
    ctx.state.checkToken = (presented) => {
      const p = principalForToken(presented, refuse);
      alertBreakGlass(ctx, p);
      return p;
    };
    const header = ctx.get('Authorization');
    // A bearer token wins over a session cookie, and both over a client certificate (asked
    // for only when api.tls.clientCaFile is set: mutual TLS for integration clients). The
    // sign-in itself ignores the cookie: it replaces that session.
    const cookie = header || !sessions || (ctx.method === 'POST' && ctx.path === '/api/v1/session') ? undefined : sessionCookie(ctx.get('Cookie'));
    const cert = header || cookie ? undefined : peerCertificate(ctx.socket);
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) refuse(credentialKey(header), 'not a bearer token', 'the Authorization header must be "Bearer <token>"');
      ctx.state.principal = principalForToken(m[1], refuse);
    } else if (cookie !== undefined) {
      ctx.state.principal = sessionPrincipal(ctx, sessions!, cookie);
    } else if (cert) {
      const key = `cert:${cert.fingerprint.slice(0, 16)}`;
      if (!cert.verified) refuse(key, 'client certificate not issued by the configured client CA', 'the client certificate is not signed by the CA in api.tls.clientCaFile — use a certificate from that CA, or a bearer token', { certificate: cert.fingerprint });
      const p = cert.commonName === undefined ? undefined : store.principals.getByName(cert.commonName);
      if (!p || p.disabled || p.role !== 'integration') {
        refuse(key, 'client certificate names no enabled integration principal', 'the client certificate\'s common name is not an enabled integration client — create one with that name (role integration), or enable it', { certificate: cert.fingerprint });
      }
      ctx.state.principal = { id: p.id, name: p.name, role: p.role, actor: `principal:${p.id}`, scopes: [], breakGlass: false };
    }
    if (ctx.state.principal) alertBreakGlass(ctx, ctx.state.principal);
    return guarded(ctx, next);
  };
}
