/** The API's principals (users and API clients) and their tokens. */
import { z } from 'zod';
import type { Principal, TokenInfo } from '../../store/principals.js';

export const principalIdParams = z.strictObject({
  id: z.coerce.number({ error: 'must be a principal id (a whole number)' }).int('must be a principal id (a whole number)').positive('must be a principal id (a whole number)'),
});
export const tokenIdParams = z.strictObject({
  id: z.coerce.number({ error: 'must be a token id (a whole number)' }).int('must be a token id (a whole number)').positive('must be a token id (a whole number)'),
});

export const createPrincipalSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_", "@" or "-" (a login or client name)'),
  role: z.enum(['admin', 'clinician', 'integration', 'auditor']),
  kind: z.enum(['user', 'client']).default('client').describe('user: a person; client: a program (practice software, lab software)'),
});

/** `scans`, `scans:read`, `patients:write`, or `break-glass` (every use raises a security alert). */
const scopeSchema = z.string().regex(/^([a-z][a-z-]{0,31}(:(read|write))?|break-glass)$/, 'must be a scope like scans, scans:read or patients:write');

export const issueTokenSchema = z.strictObject({
  name: z.string().regex(/^[\w .@-]{1,64}$/, 'must be 1–64 letters, digits, spaces, ".", "_", "@" or "-"'),
  days: z.number().int('must be a whole number of days').min(1).max(3650).optional().describe('Days until it expires (default api.tokenTtlDays)'),
  scopes: z.array(scopeSchema).max(20).default([]).describe('Empty: everything the role allows'),
});

export const principalSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(['user', 'client']),
  role: z.enum(['admin', 'clinician', 'integration', 'auditor']),
  disabled: z.boolean(),
  createdAt: z.string(),
}).meta({ id: 'Principal' });

export const tokenSchema = z.object({
  id: z.number().int(),
  principal: z.number().int(),
  name: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
}).meta({ id: 'Token' });
export type TokenDto = z.infer<typeof tokenSchema>;

export const principalDto = (p: Principal) => ({ id: p.id, name: p.name, kind: p.kind, role: p.role, disabled: p.disabled, createdAt: p.createdAt });
export const tokenDto = (t: TokenInfo): TokenDto => ({
  id: t.id, principal: t.principalId, name: t.name, scopes: t.scopes, expiresAt: t.expiresAt, revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt, createdAt: t.createdAt,
});
export type PrincipalDto = z.infer<typeof principalSchema>;
