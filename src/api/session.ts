/**
 * Browser sessions for the review page. A person signs in once with an API token (or
 * arrives through a signed review link) and the browser then holds only an opaque session
 * cookie — HttpOnly, so the page's script never sees it; SameSite=Strict and a CSRF token
 * on every write, so another site cannot act through it.
 *
 * Sessions live in this process's memory: they end when the daemon stops, and a restart
 * asks everyone to sign in again (simpler than a table, and nothing of them is left on
 * disk). A session with no request for `review.idleLogoffMinutes` ends (HIPAA automatic
 * logoff); the end is audited when it is found — by the sweep or by the next request.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/store.js';
import type { ApiPrincipal } from './auth.js';
import type { ApiServices } from './services.js';

export const SESSION_COOKIE = 'cusp_session';
/** The header a write made with the cookie must carry, holding the session's CSRF token. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** 256 random bits, base64url: the cookie's value and the CSRF token both look like this. */
const OPAQUE = /^[A-Za-z0-9_-]{43}$/;
/** Sessions held at most (a flood of sign-ins must not exhaust memory): the least recently used go first. */
const MAX_SESSIONS = 10_000;
/** How long an idled-out session is remembered, so its browser is told "expired" rather than "unknown". */
const REMEMBER_ENDED_MS = 12 * 3600_000;

/** What a signed link limits its session to: one patient. */
export interface LinkScope {
  /** The patient's internal id, to compare with what a request touches. */
  patientId: number;
  patientPseudoId: string;
  /** What the link named: `patient:p_…`, `visit:12`, `scan:<uid>`. */
  target: string;
}

export interface Session {
  /** A public id for the audit trail and logs (`session:<id>`); never the cookie value. */
  id: string;
  principal: ApiPrincipal;
  csrfToken: string;
  via: 'token' | 'link';
  link?: LinkScope;
  source: string;
  startedAt: number;
  lastSeenAt: number;
}

export type SessionLookup = { session: Session } | { expired: Session } | undefined;

const hashOf = (cookie: string) => createHash('sha256').update(cookie).digest('base64url');

/** The session table of one running API (see sessionsFor). */
export class SessionStore {
  /** By the SHA-256 of the cookie value: the table holds nothing a browser could present. */
  readonly #sessions = new Map<string, Session>();
  /** Idled-out sessions by cookie hash, with when they ended. */
  readonly #ended = new Map<string, { session: Session; at: number }>();
  readonly #audit: AuditLog;
  readonly #log: Logger;
  readonly #store: Store;
  readonly #now: () => number;
  readonly idleMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: { store: Store; audit: AuditLog; log: Logger; idleMinutes: number; now?: () => number }) {
    this.#store = deps.store;
    this.#audit = deps.audit;
    this.#log = deps.log;
    this.#now = deps.now ?? Date.now;
    this.idleMs = deps.idleMinutes * 60_000;
  }

  /** Open a session; answers the cookie value to set (shown only here) and the session. */
  start(principal: ApiPrincipal, source: string, via: 'token' | 'link', link?: LinkScope): { cookie: string; session: Session } {
    const cookie = randomBytes(32).toString('base64url');
    const now = this.#now();
    const session: Session = { id: randomBytes(6).toString('hex'), principal, csrfToken: randomBytes(32).toString('base64url'), via, link, source, startedAt: now, lastSeenAt: now };
    // Audited before it exists: when the trail cannot be written (a full disk), no session opens.
    this.#audit.append({
      actor: principal.actor, action: 'session.start', object: `session:${session.id}`, outcome: 'success', source,
      details: { via, ...(principal.tokenId === undefined ? {} : { token: principal.tokenId }), ...(link ? { patient: link.patientPseudoId, target: link.target } : {}) },
    });
    if (this.#sessions.size >= MAX_SESSIONS) {
      const [oldest] = this.#sessions.keys();
      this.#end(oldest, 'evicted');
    }
    this.#sessions.set(hashOf(cookie), session);
    this.#log.info(`session ${session.id} started for principal ${principal.id} from ${source} (via ${via})`);
    this.#startSweeping();
    return { cookie, session };
  }

  /**
   * The session a cookie value names. A request counts as activity: a live session's idle
   * clock restarts. One idle too long ends here (audited) and is answered as expired.
   */
  lookup(cookie: string): SessionLookup {
    if (!OPAQUE.test(cookie)) return undefined;
    const key = hashOf(cookie);
    const session = this.#sessions.get(key);
    if (!session) {
      const ended = this.#ended.get(key);
      return ended ? { expired: ended.session } : undefined;
    }
    const now = this.#now();
    if (now - session.lastSeenAt >= this.idleMs) {
      this.#expire(key, session, now);
      return { expired: session };
    }
    session.lastSeenAt = now;
    // Most recently used last: the map's order is what MAX_SESSIONS evicts by.
    this.#sessions.delete(key);
    this.#sessions.set(key, session);
    return { session };
  }

  /** End the session a cookie names (sign-out, replaced by a new sign-in, its token void); audited. Undefined when there was none. */
  endByCookie(cookie: string, reason: 'signed-out' | 'replaced' | 'credential-void'): Session | undefined {
    if (!OPAQUE.test(cookie)) return undefined;
    return this.#end(hashOf(cookie), reason);
  }

  /** How many sessions are open (for tests and metrics). */
  get size(): number {
    return this.#sessions.size;
  }

  #end(key: string | undefined, reason: string): Session | undefined {
    const session = key === undefined ? undefined : this.#sessions.get(key);
    if (!session || key === undefined) return undefined;
    this.#sessions.delete(key);
    this.#audit.append({
      actor: session.principal.actor, action: 'session.end', object: `session:${session.id}`, outcome: 'success', source: session.source,
      details: { via: session.via, reason },
    });
    this.#log.info(`session ${session.id} ended (${reason})`);
    return session;
  }

  #expire(key: string, session: Session, now: number): void {
    this.#sessions.delete(key);
    this.#ended.set(key, { session, at: now });
    this.#audit.append({
      actor: session.principal.actor, action: 'session.expired', object: `session:${session.id}`, outcome: 'success', source: session.source,
      details: { via: session.via, idleMinutes: this.idleMs / 60_000, lastSeenAt: new Date(session.lastSeenAt).toISOString() },
    });
    this.#log.info(`session ${session.id} ended after ${this.idleMs / 60_000} idle minutes`);
  }

  /** End every session idle for too long, and forget ended ones after a while. */
  sweep(): void {
    const now = this.#now();
    for (const [key, session] of this.#sessions) if (now - session.lastSeenAt >= this.idleMs) this.#expire(key, session, now);
    for (const [key, ended] of this.#ended) if (now - ended.at >= REMEMBER_ENDED_MS) this.#ended.delete(key);
    if (this.#ended.size > MAX_SESSIONS) for (const key of [...this.#ended.keys()].slice(0, this.#ended.size - MAX_SESSIONS)) this.#ended.delete(key);
  }

  /**
   * The sweep audits an idle logoff near when it happens, not only when the browser comes
   * back. It runs only while sessions are open, and never keeps the process alive.
   */
  #startSweeping(): void {
    if (this.#timer) return;
    const every = Math.min(60_000, Math.max(250, this.idleMs / 4));
    this.#timer = setInterval(() => {
      // The daemon (or a test) closed the database: nothing is left to audit into.
      if (!this.#store.isOpen()) return this.stop();
      try {
        this.sweep();
      } catch (err) {
        this.#log.warn(`could not end idle sessions: ${(err as Error).message}`);
      }
      if (this.#sessions.size === 0) this.stop();
    }, every);
    this.#timer.unref();
  }

  /** Stop the sweep (sessions stay; the next start resumes it). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** True when `given` is the session's CSRF token (constant-time). */
export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (!given || !OPAQUE.test(given)) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(session.csrfToken));
}

/** The value of the session cookie in a Cookie header, or undefined. */
export function sessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie value that hands a browser its session: no expiry, so it ends with the browser too. */
export function setSessionCookie(cookie: string): string {
  return `${SESSION_COOKIE}=${cookie}; HttpOnly; Secure; SameSite=Strict; Path=/`;
}

/** The Set-Cookie value that removes the session cookie from the browser. */
export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

const tables = new WeakMap<ApiServices, SessionStore>();

/**
 * The session table of the API built on `services` — made on first use, one per running
 * daemon (its HTTPS and socket apps share the services), so the sign-in route, the link
 * route and authentication all see the same sessions.
 */
export function sessionsFor(services: ApiServices): SessionStore {
  let table = tables.get(services);
  if (!table) {
    table = new SessionStore({ store: services.store, audit: services.audit, log: services.log, idleMinutes: services.config.review.idleLogoffMinutes });
    tables.set(services, table);
  }
  return table;
}
