/**
 * Principals (users and API clients) and their bearer tokens. A token is shown once when
 * created; only its SHA-256 is stored, so a copy of the database gives no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CuspError } from '../errors.js';
import type { Db } from './database.js';
import { nowIso } from './time.js';

export type Role = 'admin' | 'clinician' | 'integration' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'clinician', 'integration', 'auditor'];

export interface Principal {
  id: number;
  name: string;
  kind: 'user' | 'client';
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export interface TokenInfo {
  id: number;
  principalId: number;
  name: string;
  scopes: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** `cusp_` + 43 base64url characters (256 random bits): easy to spot in a leak scan. */
export const TOKEN_PATTERN = /^cusp_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface PrincipalRow { id: number; name: string; kind: 'user' | 'client'; role: Role; disabled: number; created_at: string }
interface TokenRow { id: number; principal_id: number; name: string; scopes: string; expires_at: string | null; revoked_at: string | null; last_used_at: string | null; created_at: string }

const toPrincipal = (r: PrincipalRow | undefined): Principal | undefined =>
  r && { id: r.id, name: r.name, kind: r.kind, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at };
const toToken = (r: TokenRow): TokenInfo => ({
  id: r.id, principalId: r.principal_id, name: r.name, scopes: JSON.parse(r.scopes) as string[], expiresAt: r.expires_at,
  revokedAt: r.revoked_at, lastUsedAt: r.last_used_at, createdAt: r.created_at,
});

/** What `authenticate` found for a token, kept while nothing in the database changed. */
interface CachedAuth {
  principal: Principal;
  token: TokenInfo;
  /** Last use written to the table (ms); written again at most once a minute. */
  usedAt: number;
}

/** Tokens remembered at most; more (a scan of many tokens) empties the cache. */
const AUTH_CACHE_SIZE = 1000;

export class PrincipalRepository {
  readonly #db: Db;
  readonly #stmts;
  /**
   * authenticate's results by token hash. An entry stands only while the database is as
   * it was when it was read: SQLite's data_version changes with any commit of another
   * connection (`cusp token revoke` and every other command run beside the daemon), and
   * this repository's own revocations empty the cache (nothing else in the daemon writes
   * tokens or principals). Two indexed reads per request (token, then principal) cost the
   * API's thread ~40 µs; the check costs one pragma.
   */
  readonly #auth = new Map<string, CachedAuth>();
  #authVersion = -1;

  constructor(db: Db) {
    this.#db = db;
    this.#stmts = {
      insert: db.prepare('INSERT INTO principals (name, kind, role, created_at) VALUES (?, ?, ?, ?)'),
      byId: db.prepare<[number], PrincipalRow>('SELECT * FROM principals WHERE id = ?'),
      byName: db.prepare<[string], PrincipalRow>('SELECT * FROM principals WHERE name = ?'),
      all: db.prepare<[], PrincipalRow>('SELECT * FROM principals ORDER BY name'),
      insertToken: db.prepare('INSERT INTO tokens (principal_id, name, hash, scopes, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      tokenByHash: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ?'),
      touchToken: db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?'),
      revokeToken: db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      tokensOf: db.prepare<[number], TokenRow>('SELECT * FROM tokens WHERE principal_id = ? ORDER BY id'),
      allTokens: db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY id'),
      tokenById: db.prepare<[number], TokenRow>('SELECT * FROM tokens WHERE id = ?'),
      setDisabled: db.prepare('UPDATE principals SET disabled = ? WHERE id = ? AND disabled <> ?'),
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
  }

  create(name: string, role: Role, kind: 'user' | 'client' = 'client'): Principal {
    if (!ROLES.includes(role)) throw new CuspError('invalid_input', `unknown role '${role}' — use one of ${ROLES.join(', ')}`);
    if (this.#stmts.byName.get(name)) throw new CuspError('conflict', `a principal named '${name}' exists already`);
    const info = this.#stmts.insert.run(name, kind, role, nowIso());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Principal | undefined {
    return toPrincipal(this.#stmts.byId.get(id));
  }

  getByName(name: string): Principal | undefined {
    return toPrincipal(this.#stmts.byName.get(name));
  }

  list(): Principal[] {
    return this.#stmts.all.all().map((r) => toPrincipal(r)!);
  }

  /** Issue a token for a principal; the returned `token` is the only copy there will be. */
  issueToken(principalId: number, name: string, options: { ttlDays?: number | null; scopes?: string[] } = {}): { token: string; info: TokenInfo } {
    const token = `cusp_${randomBytes(32).toString('base64url')}`;
    const expiresAt = options.ttlDays ? new Date(Date.now() + options.ttlDays * 86_400_000).toISOString() : null;
    const info = this.#stmts.insertToken.run(principalId, name, hashToken(token), JSON.stringify(options.scopes ?? []), expiresAt, nowIso());
    const row = this.#db.prepare<[number], TokenRow>('SELECT * FROM tokens WHERE id = ?').get(Number(info.lastInsertRowid))!;
    return { token, info: toToken(row) };
  }

  /**
   * The principal and token a bearer token belongs to, or undefined when it is unknown,
   * revoked, expired or its principal is disabled.
   */
  authenticate(token: string, now: Date = new Date()): { principal: Principal; token: TokenInfo } | undefined {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const hash = hashToken(token);
    const version = this.#stmts.dataVersion.get()!;
    if (version !== this.#authVersion) {
      this.#auth.clear();
      this.#authVersion = version;
    }
    let found = this.#auth.get(hash);
    if (!found) {
      const row = this.#stmts.tokenByHash.get(hash);
      const principal = row && this.get(row.principal_id);
      if (!row || !principal) return undefined;
      found = { principal, token: toToken(row), usedAt: row.last_used_at ? Date.parse(row.last_used_at) : 0 };
      if (this.#auth.size >= AUTH_CACHE_SIZE) this.#auth.clear();
      this.#auth.set(hash, found);
    }
    const { principal, token: info } = found;
    if (info.revokedAt || (info.expiresAt && info.expiresAt <= now.toISOString()) || principal.disabled) return undefined;
    // At most once a minute: a durable write on every request would cost an fsync each.
    if (found.usedAt < now.getTime() - 60_000) {
      try {
        this.#stmts.touchToken.run(now.toISOString(), info.id);
        found.usedAt = now.getTime();
      } catch (err) {
        // "Last used" is a note, not the check: on a full disk (or a lock held by another
        // process) the caller is still who the token says — /health and /metrics must answer
        // then above all. The note is written at a later request.
        const code = (err as { code?: string }).code;
        if (code !== 'SQLITE_FULL' && code !== 'SQLITE_BUSY' && code !== 'SQLITE_IOERR') throw err;
      }
    }
    return { principal, token: info };
  }

  /**
   * Disable or enable a principal. Disabled, its tokens and client certificates are
   * refused from the next request on (this process's cache is emptied; other processes see
   * the commit through data_version). False when it was in that state already.
   */
  setDisabled(principalId: number, disabled: boolean): boolean {
    this.#auth.clear();
    const flag = disabled ? 1 : 0;
    return this.#stmts.setDisabled.run(flag, principalId, flag).changes === 1;
  }

  /** One token's record (never the secret), or undefined. */
  token(tokenId: number): TokenInfo | undefined {
    const row = this.#stmts.tokenById.get(tokenId);
    return row && toToken(row);
  }

  /** Every token of every principal, oldest first. */
  allTokens(): TokenInfo[] {
    return this.#stmts.allTokens.all().map(toToken);
  }

  revokeToken(tokenId: number): boolean {
    this.#auth.clear();
    return this.#stmts.revokeToken.run(nowIso(), tokenId).changes === 1;
  }

  tokens(principalId: number): TokenInfo[] {
    return this.#stmts.tokensOf.all(principalId).map(toToken);
  }
}
