/**
 * Who is calling. Over HTTPS: a bearer token (stored hashed; unknown, revoked or expired
 * tokens are refused, failures are audited and rate-limited per address). Over the admin
 * socket: the local administrator — the socket's file permissions are the authentication.
 */
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

export function authenticate(deps: { store: Store; audit: AuditLog; log: Logger; limiter: FailureLimiter }): Middleware<ApiState> {
  const { store, audit, log, limiter } = deps;
  return async (ctx, next) => {
    if (ctx.state.via === 'socket') {
      ctx.state.principal = LOCAL_ADMIN;
      return next();
    }
    const header = ctx.get('Authorization');
    if (!header) return next();
    const source = ctx.state.source;
    const wait = limiter.blockedFor(source);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      throw new CuspError('rate_limited', `too many failed logins from ${source} — try again in ${Math.ceil(wait / 60)} minutes`);
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const found = m ? store.principals.authenticate(m[1]) : undefined;
    if (!found) {
      limiter.fail(source);
      audit.append({ actor: 'anonymous', action: 'auth.fail', outcome: 'denied', source, details: { reason: m ? 'unknown, revoked or expired token' : 'not a bearer token' } });
      log.warn(`refused a request from ${source}: ${m ? 'unknown, revoked or expired token' : 'malformed Authorization header'}`);
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new CuspError('unauthorized', m ? 'the token is unknown, revoked or expired — ask an administrator for a new one (cusp token create)' : 'the Authorization header must be "Bearer <token>"');
    }
    const breakGlass = found.token.scopes.includes(BREAK_GLASS_SCOPE);
    ctx.state.principal = {
      id: found.principal.id, name: found.principal.name, role: found.principal.role, actor: `principal:${found.principal.id}`,
      tokenId: found.token.id, scopes: found.token.scopes.filter((s) => s !== BREAK_GLASS_SCOPE), breakGlass,
    };
    if (breakGlass) {
      audit.append({ actor: `principal:${found.principal.id}`, action: 'security.alert', outcome: 'success', source, details: { alert: 'break-glass token used', method: ctx.method, route: ctx.path, token: found.token.id } });
      log.warn(`SECURITY ALERT: break-glass token ${found.token.id} of principal ${found.principal.id} used from ${source} for ${ctx.method} ${ctx.path}`);
    }
    return next();
  };
}
