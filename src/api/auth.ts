/**
 * Who is calling. Over HTTPS: a bearer token (stored hashed; unknown, revoked or expired
 * tokens are refused, failures are audited and rate-limited per address). Over the admin
 * socket: the local administrator — the socket's file permissions are the authentication.
 */
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

/** Failed authentications per address: at most `limit` in `windowMs`, then 429 until the window passes. */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  constructor(readonly limit = 10, readonly windowMs = 15 * 60_000, private readonly now: () => number = Date.now) {}

  #recent(source: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.#failures.get(source) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.#failures.delete(source);
    else this.#failures.set(source, list);
    return list;
  }

  blockedFor(source: string): number {
    const list = this.#recent(source);
    return list.length >= this.limit ? Math.ceil((list[0] + this.windowMs - this.now()) / 1000) : 0;
  }

  fail(source: string): void {
    const list = this.#recent(source);
    list.push(this.now());
    this.#failures.set(source, list);
  }
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
    const wait = limiter.blockedFor(source);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      throw new CuspError('rate_limited', `too many failed logins from ${source} — try again in ${Math.ceil(wait / 60)} minutes`);
    }
    const refuse: (reason: string, message: string, details?: Record<string, unknown>) => never = (reason, message, details = {}) => {
      limiter.fail(source);
      audit.append({ actor: 'anonymous', action: 'auth.fail', outcome: 'denied', source, details: { reason, ...details } });
      log.warn(`refused a request from ${source}: ${reason}`);
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new CuspError('unauthorized', message);
    };
    if (cert) {
      if (!cert.verified) refuse('client certificate not issued by the configured client CA', 'the client certificate is not signed by the CA in api.tls.clientCaFile — use a certificate from that CA, or a bearer token', { certificate: cert.fingerprint });
      const p = cert.commonName === undefined ? undefined : store.principals.getByName(cert.commonName);
      if (!p || p.disabled || p.role !== 'integration') {
        refuse('client certificate names no enabled integration principal', 'the client certificate\'s common name is not an enabled integration client — create one with that name (role integration)', { certificate: cert.fingerprint });
      }
      ctx.state.principal = { id: p.id, name: p.name, role: p.role, actor: `principal:${p.id}`, scopes: [], breakGlass: false };
      return next();
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const found = m ? store.principals.authenticate(m[1]) : undefined;
    if (!found) {
      refuse(m ? 'unknown, revoked or expired token' : 'not a bearer token', m ? 'the token is unknown, revoked or expired — ask an administrator for a new one (cusp token create)' : 'the Authorization header must be "Bearer <token>"');
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
