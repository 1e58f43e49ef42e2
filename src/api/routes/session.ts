/**
 * The review page's sign-in: an API token exchanged for a session cookie (HttpOnly,
 * Secure, SameSite=Strict) and a CSRF token for writes; who is signed in; sign-out. The
 * token is checked exactly as a bearer token is (same limiter, same audit of failures).
 * Sessions start, end and expire in the audit trail (session.ts); never a token or cookie.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { ApiPrincipal, ApiState } from '../auth.js';
import { ALL_ROLES, route } from '../route.js';
import { clearSessionCookie, sessionCookie, sessionsFor, setSessionCookie, type Session } from '../session.js';
import type { ApiServices } from '../services.js';

const sessionSchema = z.object({
  principal: z.object({ id: z.number().int(), name: z.string(), role: z.enum(['admin', 'clinician', 'integration', 'auditor']) }).meta({ id: 'SessionPrincipal' }),
  csrfToken: z.string().nullable().describe('Send it as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE made with the cookie; null for a bearer caller'),
  idleLogoffMinutes: z.number().describe('The session ends after this many minutes without a request (review.idleLogoffMinutes)'),
  limitedTo: z.string().nullable().describe('A session opened through a signed review link reaches only this patient (pseudonymous id); null otherwise'),
}).meta({ id: 'Session' });

export type SessionInfo = z.infer<typeof sessionSchema>;

export function sessionRoutes(s: ApiServices) {
  const sessions = sessionsFor(s);
  const idleLogoffMinutes = s.config.review.idleLogoffMinutes;
  const info = (principal: ApiPrincipal, session: Session | undefined): SessionInfo => ({
    principal: { id: principal.id, name: principal.name, role: principal.role },
    csrfToken: session?.csrfToken ?? null,
    idleLogoffMinutes,
    limitedTo: session?.link?.patientPseudoId ?? null,
  });
  return [
    route({
      method: 'POST', path: '/session', tag: 'session', access: 'public', status: 201,
      summary: 'Sign in to the review page: exchange an API token for a session cookie (HttpOnly, Secure, SameSite=Strict) and a CSRF token',
      body: z.strictObject({ token: z.string().min(1, 'must not be empty').max(200, 'is not an API token').describe('An API token (cusp token create)') }),
      response: sessionSchema,
      auditedBy: 'the session store (api/session.ts): session.start, and session.end of a session it replaces',
      handler: ({ ctx, body, source }) => {
        const state = ctx.state as ApiState;
        if (state.via !== 'tls' || !state.checkToken) throw new CuspError('bad_request', 'sessions are for browsers over HTTPS — the admin socket needs no sign-in');
        const principal = state.checkToken(body.token);
        const previous = sessionCookie(ctx.get('Cookie'));
        if (previous) sessions.endByCookie(previous, 'replaced');
        const { cookie, session } = sessions.start(principal, source, 'token');
        ctx.append('Set-Cookie', setSessionCookie(cookie));
        return info(principal, session);
      },
    }),
    route({
      method: 'GET', path: '/session', tag: 'session', access: ALL_ROLES,
      summary: 'Who is signed in, with the CSRF token for writes (401 unauthenticated, or session_expired after the idle logoff)',
      response: sessionSchema,
      handler: ({ ctx, principal }) => info(principal, (ctx.state as ApiState).session),
    }),
    route({
      method: 'DELETE', path: '/session', tag: 'session', access: ALL_ROLES,
      summary: 'Sign out: the session ends and its cookie is cleared (a bearer caller has no session: nothing changes)',
      auditedBy: 'the session store (api/session.ts): session.end',
      handler: ({ ctx }) => {
        const cookie = sessionCookie(ctx.get('Cookie'));
        if ((ctx.state as ApiState).session && cookie) sessions.endByCookie(cookie, 'signed-out');
        ctx.append('Set-Cookie', clearSessionCookie());
        return undefined;
      },
    }),
  ];
}
