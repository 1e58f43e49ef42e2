/**
 * Principals (users and API clients) and their bearer tokens — admins only, every call
 * audited. A new token is shown once, in the answer that creates it; only its hash is kept.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { route } from '../route.js';
import {
  createPrincipalSchema, issueTokenSchema, principalDto, principalIdParams, principalSchema, tokenDto, tokenIdParams, tokenSchema,
} from '../schemas/principal.js';
import type { ApiServices } from '../services.js';

const ADMIN = ['admin'] as const;

export function principalRoutes(s: ApiServices) {
  const { store, config } = s;
  const find = (id: number) => {
    const p = store.principals.get(id);
    if (!p) throw new CuspError('not_found', `no principal ${id}`);
    return p;
  };
  return [
    route({
      method: 'GET', path: '/principals', tag: 'principals', access: ADMIN, summary: 'Users and API clients with their roles',
      response: z.object({ principals: z.array(principalSchema) }),
      handler: () => ({ principals: store.principals.list().map(principalDto) }),
      audit: (_input, result) => ({ action: 'principal.list', object: null, details: { count: result.principals.length } }),
    }),
    route({
      method: 'POST', path: '/principals', tag: 'principals', access: ADMIN, summary: 'Create a user or API client with a role', status: 201,
      answers: { 409: 'A principal with that name exists already' },
      body: createPrincipalSchema, response: principalSchema,
      audits: 'principal.create',
      handler: ({ body, record }) => store.transaction(() => {
        const created = principalDto(store.principals.create(body.name, body.role, body.kind));
        record({ audit: { action: 'principal.create', object: `principal:${created.id}`, details: { role: created.role, kind: created.kind } } });
        return created;
      }),
    }),
    ...(['disable', 'enable'] as const).map((verb) => route({
      method: 'POST', path: `/principals/:id/${verb}`, tag: 'principals', access: ADMIN,
      summary: verb === 'disable' ? 'Disable a user or client: its tokens and client certificates are refused at once' : 'Enable a disabled user or client again',
      params: principalIdParams, response: principalSchema,
      answers: { 409: verb === 'disable' ? 'The principal is disabled already, or it is the caller' : 'The principal is enabled already' },
      audits: `principal.${verb}`,
      handler: ({ params, principal, record }) => {
        const p = find(params.id);
        if (verb === 'disable' && p.id === principal.id) throw new CuspError('conflict', 'you cannot disable yourself — ask another administrator, or use the admin socket (cusp principal disable)');
        return store.transaction(() => {
          if (!store.principals.setDisabled(p.id, verb === 'disable')) throw new CuspError('conflict', `principal ${p.id} is ${verb}d already`);
          record({ audit: { action: `principal.${verb}`, object: `principal:${params.id}`, details: { role: p.role } } });
          return principalDto(find(p.id));
        });
      },
    })),
    route({
      method: 'GET', path: '/principals/:id/tokens', tag: 'principals', access: ADMIN, summary: "A principal's tokens (never the secrets)",
      params: principalIdParams, response: z.object({ tokens: z.array(tokenSchema) }),
      handler: ({ params }) => ({ tokens: store.principals.tokens(find(params.id).id).map(tokenDto) }),
      audit: ({ params }) => ({ action: 'token.list', object: `principal:${params.id}` }),
    }),
    route({
      method: 'POST', path: '/principals/:id/tokens', tag: 'principals', access: ADMIN, status: 201,
      answers: { 409: 'The principal is disabled' },
      summary: 'Issue a token (shown once in this answer), expiring after `days`, optionally limited to scopes',
      params: principalIdParams, body: issueTokenSchema, response: z.object({ token: z.string().describe('Shown once: store it now'), info: tokenSchema }),
      audits: 'token.create',
      handler: ({ params, body, record }) => {
        const p = find(params.id);
        if (p.disabled) throw new CuspError('conflict', `principal ${p.id} is disabled — no tokens can be issued for it`);
        return store.transaction(() => {
          const issued = store.principals.issueToken(p.id, body.name, { ttlDays: body.days ?? config.api.tokenTtlDays, scopes: body.scopes });
          const info = tokenDto(issued.info);
          record({ audit: { action: 'token.create', object: `token:${info.id}`, details: { principal: params.id, scopes: info.scopes, expiresAt: info.expiresAt } } });
          return { token: issued.token, info };
        });
      },
    }),
    route({
      method: 'DELETE', path: '/tokens/:id', tag: 'principals', access: ADMIN, summary: 'Revoke a token at once', status: 200,
      answers: { 409: 'The token is revoked already' },
      params: tokenIdParams, response: tokenSchema,
      audits: 'token.revoke',
      handler: ({ params, record }) => {
        if (!store.principals.token(params.id)) throw new CuspError('not_found', `no token ${params.id}`);
        return store.transaction(() => {
          if (!store.principals.revokeToken(params.id)) throw new CuspError('conflict', `token ${params.id} is revoked already`);
          const revoked = tokenDto(store.principals.token(params.id)!);
          record({ audit: { action: 'token.revoke', object: `token:${params.id}`, details: { principal: revoked.principal } } });
          return revoked;
        });
      },
    }),
  ];
}
