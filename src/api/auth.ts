/**
 * Who is calling. Over HTTPS: a bearer token (stored hashed; unknown, revoked or expired
 * tokens are refused, failures are audited and rate-limited per address and credential — see FailureLimiter). Over the admin
 * socket: the local administrator — the socket's file permissions are the authentication.
 */
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Middleware } from 'koa';
import type { AuditLog } from '../audit/audit-log.js';
import { CuspError } from '../errors.js';
import type { Logger } from '../log/index.js';
import type { Role } from '../store/principals.js';
import type { Store } from '../store/store.js';

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

export function authenticate(deps: { store: Store; audit: AuditLog; log: Logger; limiter: FailureLimiter }): Middleware<ApiState> {
  const { store, audit, log, limiter } = deps;
  return async (ctx, next) => {
    if (ctx.state.via === 'socket') {
      ctx.state.principal = LOCAL_ADMIN;
      return next();
    }
    const header = ctx.get('Authorization');
    // A bearer token wins over a client certificate; a certificate is asked for only when
    // api.tls.clientCaFile is set (mutual TLS for integration clients).
    const cert = header ? undefined : peerCertificate(ctx.socket);
    if (!header && !cert) return next();
    const source = ctx.state.source;
    /**
     * Validity is checked first and limits apply only to failures, so a valid credential is
     * never refused because of failures around it. That is not an oracle: a refused request
     * (401 or 429) says only "this credential does not work", which any attempt says anyway;
     * what the limit protects is not secrecy but time — tokens are 256 random bits, beyond any
     * guessing, and the limit keeps floods out of the audit trail and the logs (one
     * `auth.lockout` event per lockout, not one per request).
     */
    const refuse: (credential: string, reason: string, message: string, details?: Record<string, unknown>) => never = (credential, reason, message, details = {}) => {
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
    if (cert) {
      const key = `cert:${cert.fingerprint.slice(0, 16)}`;
      if (!cert.verified) refuse(key, 'client certificate not issued by the configured client CA', 'the client certificate is not signed by the CA in api.tls.clientCaFile — use a certificate from that CA, or a bearer token', { certificate: cert.fingerprint });
      const p = cert.commonName === undefined ? undefined : store.principals.getByName(cert.commonName);
      if (!p || p.disabled || p.role !== 'integration') {
        refuse(key, 'client certificate names no enabled integration principal', 'the client certificate\'s common name is not an enabled integration client — create one with that name (role integration), or enable it', { certificate: cert.fingerprint });
      }
      ctx.state.principal = { id: p.id, name: p.name, role: p.role, actor: `principal:${p.id}`, scopes: [], breakGlass: false };
      return next();
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const found = m ? store.principals.authenticate(m[1]) : undefined;
    if (!found) {
      refuse(credentialKey(m ? m[1] : header), m ? 'unknown, revoked or expired token' : 'not a bearer token', m ? 'the token is unknown, revoked or expired (or its principal is disabled) — ask an administrator for a new one (cusp token create)' : 'the Authorization header must be "Bearer <token>"');
    }
    const { token, principal } = found;
    const breakGlass = token.scopes.includes(BREAK_GLASS_SCOPE);
    ctx.state.principal = {
      id: principal.id, name: principal.name, role: principal.role, actor: `principal:${principal.id}`,
      tokenId: token.id, scopes: token.scopes.filter((s) => s !== BREAK_GLASS_SCOPE), breakGlass,
    };
    if (breakGlass) {
      audit.append({ actor: `principal:${principal.id}`, action: 'security.alert', outcome: 'success', source, details: { alert: 'break-glass token used', method: ctx.method, route: ctx.path, token: token.id } });
      log.warn(`SECURITY ALERT: break-glass token ${token.id} of principal ${principal.id} used from ${source} for ${ctx.method} ${ctx.path}`);
    }
    return next();
  };
}
