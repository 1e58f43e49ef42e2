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

export class PrincipalRepository {
  readonly #db: Db;
  readonly #stmts;

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
    const row = this.#stmts.tokenByHash.get(hashToken(token));
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now.toISOString())) return undefined;
    const principal = this.get(row.principal_id);
    if (!principal || principal.disabled) return undefined;
    // At most once a minute: a durable write on every request would cost an fsync each.
    if (!row.last_used_at || Date.parse(row.last_used_at) < now.getTime() - 60_000) this.#stmts.touchToken.run(now.toISOString(), row.id);
    return { principal, token: toToken(row) };
  }

  revokeToken(tokenId: number): boolean {
    return this.#stmts.revokeToken.run(nowIso(), tokenId).changes === 1;
  }

  tokens(principalId: number): TokenInfo[] {
    return this.#stmts.tokensOf.all(principalId).map(toToken);
  }
}
