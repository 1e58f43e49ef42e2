/**
 * Signed review links: `POST /review-links` makes one for a patient, a visit or a scan (the
 * bridge of practice software, and `cusp link` over the admin socket); `GET /review/l/<signed>`
 * (outside /api/v1: a browser opens it) checks it, opens a session acting for the link's
 * maker limited to that one patient, and redirects to the page. A refused link answers a
 * plain HTML page that says why — no stack, no names.
 */
import { hostname } from 'node:os';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { CuspError, isCuspError } from '../../errors.js';
import { MAX_REVIEW_LINK_MINUTES, readReviewLink, signReviewLink, type ReviewLinkClaims } from '../../security/review-links.js';
import { linkSecret } from '../../security/signed-links.js';
import { BREAK_GLASS_SCOPE, LOCAL_ADMIN, type ApiPrincipal, type ApiState } from '../auth.js';
import { CLINICAL, route } from '../route.js';
import { pseudoIdSchema, visitIdSchema } from '../schemas/patient.js';
import type { ApiServices } from '../services.js';
import { sessionCookie, sessionsFor, setSessionCookie } from '../session.js';

const TARGETS = ['patientId', 'externalId', 'visitId', 'scanUid'] as const;

const linkBody = z.strictObject({
  patientId: pseudoIdSchema.optional(),
  externalId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:.{1,200}$/, 'must be system:value, like pms:4711').optional().describe("The practice software's patient number, system:value"),
  visitId: visitIdSchema.optional(),
  scanUid: z.uuid({ error: 'must be a scan uid' }).optional(),
  expiresInMinutes: z.number().int('must be a whole number of minutes').min(1, 'must be at least 1').max(MAX_REVIEW_LINK_MINUTES, `must be at most ${MAX_REVIEW_LINK_MINUTES} (a day)`).default(60),
}).refine((b) => TARGETS.filter((k) => b[k] !== undefined).length === 1, `give exactly one of ${TARGETS.join(', ')}`);

/** A Host header fit to build a URL from: a name or address and a port, nothing else. */
const HOST = /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/;

/** Where the links point: api.publicUrl, else the address the caller reached, else the configured listener. */
function baseUrl(s: ApiServices, ctx: Context): string {
  if (s.config.api.publicUrl) {
    const u = new URL(s.config.api.publicUrl);
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  }
  if ((ctx.state as ApiState).via === 'tls' && HOST.test(ctx.host)) return `https://${ctx.host}`;
  const { host, port } = s.config.api;
  const name = host === '0.0.0.0' || host === '::' ? hostname() : host.includes(':') ? `[${host}]` : host;
  return `https://${name}:${port}`;
}

/** The page a link opens in the review app. */
function pagePath(claims: ReviewLinkClaims): string {
  const id = encodeURIComponent(claims.id);
  return claims.kind === 'patient' ? `/review/patients/${id}` : claims.kind === 'visit' ? `/review/visits/${id}` : `/review/scans/${id}`;
}

export function reviewLinkRoutes(s: ApiServices) {
  const { store } = s;
  /** The target a request names, and its patient. */
  const resolve = (body: z.infer<typeof linkBody>): Pick<ReviewLinkClaims, 'kind' | 'id' | 'patient'> => {
    if (body.patientId !== undefined) {
      if (!store.patients.getByPseudoId(body.patientId)) throw new CuspError('not_found', `no patient ${body.patientId}`);
      return { kind: 'patient', id: body.patientId, patient: body.patientId };
    }
    if (body.externalId !== undefined) {
      const colon = body.externalId.indexOf(':');
      const found = store.patients.search({ externalId: { system: body.externalId.slice(0, colon), value: body.externalId.slice(colon + 1) }, limit: 2 }).patients;
      if (found.length === 0) throw new CuspError('not_found', 'no patient has this external id — check the number, or create the patient first');
      if (found.length > 1) throw new CuspError('conflict', 'more than one patient has this external id — merge them first, or link by patientId');
      return { kind: 'patient', id: found[0].pseudoId, patient: found[0].pseudoId };
    }
    if (body.visitId !== undefined) {
      const visit = store.visits.get(body.visitId);
      if (!visit) throw new CuspError('not_found', `no visit ${body.visitId}`);
      return { kind: 'visit', id: String(visit.id), patient: store.patients.pseudoIdOf(visit.patientId)! };
    }
    const scan = store.scans.getByUid(body.scanUid!);
    if (!scan) throw new CuspError('not_found', `no scan ${body.scanUid}`);
    if (scan.patientId === null) throw new CuspError('conflict', `scan ${scan.uid} has no patient yet — assign it first (PUT /api/v1/scans/${scan.uid}/patient), then make the link`);
    return { kind: 'scan', id: scan.uid, patient: store.patients.pseudoIdOf(scan.patientId)! };
  };

  return [
    route({
      method: 'POST', path: '/review-links', tag: 'review', access: CLINICAL, status: 201,
      summary: 'Make a signed link that opens the review page for one patient (at the patient, a visit or a scan) without a sign-in, acting as you; it expires after expiresInMinutes (default 60, at most a day)',
      body: linkBody,
      response: z.object({
        url: z.string().describe('https://<host>:<port>/review/l/<signed>: api.publicUrl when set, else the address this request reached'),
        expiresAt: z.string(),
        patient: z.string().describe('The patient the link is limited to (pseudonymous id)'),
        target: z.string().describe('What it opens: patient:<id>, visit:<id> or scan:<uid>'),
      }),
      // A signed link changes no data: its event is recorded before the link is handed out.
      audits: 'review.link.create',
      handler: ({ ctx, body, principal, record }) => {
        const target = resolve(body);
        const exp = Math.floor(Date.now() / 1000) + body.expiresInMinutes * 60;
        const signed = signReviewLink(linkSecret(store.meta), { ...target, exp, by: principal.actor, ...(principal.tokenId === undefined ? {} : { token: principal.tokenId }) });
        const link = { url: `${baseUrl(s, ctx)}/review/l/${signed}`, expiresAt: new Date(exp * 1000).toISOString(), patient: target.patient, target: `${target.kind}:${target.id}` };
        // Ids only: an external id is the practice's patient number, it stays out of the trail.
        record({
          audit: {
            action: 'review.link.create', object: `patient:${link.patient}`,
            details: { target: link.target, by: TARGETS.find((k) => body[k] !== undefined), expiresAt: link.expiresAt },
          },
        });
        return link;
      },
    }),
  ];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The plain page a refused link answers: what happened and what to do, nothing else. */
function refusal(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'");
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Cusp: link not valid</title></head>
<body><h1>This link cannot be opened</h1>
<p>${escapeHtml(message)}</p>
<p>Ask whoever sent it for a new link, or <a href="/review">sign in to the review page</a> with your token.</p>
</body></html>
`;
}

/**
 * `GET /review/l/<signed>`: check the link, open a session limited to its patient, 303 to
 * the page. Every use is audited: session.start with `via: link`, or link.denied.
 */
export function reviewLinkOpener(s: ApiServices): Middleware<ApiState> {
  const { store, audit, log } = s;
  const sessions = sessionsFor(s);

  /** The maker as the session's principal; a disabled maker or a revoked token voids the link. */
  const maker = (claims: ReviewLinkClaims): ApiPrincipal => {
    const voided = () => new CuspError('forbidden', 'this review link is no longer valid: the account or token that made it was disabled, revoked or has expired — ask for a new link', { details: { reason: 'maker' } });
    if (claims.by === LOCAL_ADMIN.actor) return LOCAL_ADMIN;
    const p = store.principals.get(Number(claims.by.slice('principal:'.length)));
    if (!p || p.disabled || !CLINICAL.includes(p.role)) throw voided();
    const token = claims.token === undefined ? undefined : store.principals.token(claims.token);
    if (claims.token !== undefined && (!token || token.principalId !== p.id || token.revokedAt || (token.expiresAt && token.expiresAt <= new Date().toISOString()))) throw voided();
    const scopes = token?.scopes ?? [];
    return { id: p.id, name: p.name, role: p.role, actor: claims.by, tokenId: token?.id, scopes: scopes.filter((x) => x !== BREAK_GLASS_SCOPE), breakGlass: scopes.includes(BREAK_GLASS_SCOPE) };
  };

  /** The link's patient, if what it names still belongs to them (not merged away, moved or erased). */
  const patientOf = (claims: ReviewLinkClaims) => {
    const patient = store.patients.getByPseudoId(claims.patient);
    const owner = !patient ? undefined
      : claims.kind === 'patient' ? patient.id
        : claims.kind === 'visit' ? store.visits.get(Number(claims.id))?.patientId
          : store.scans.getByUid(claims.id)?.patientId;
    if (!patient || owner !== patient.id) {
      throw new CuspError('forbidden', `what this review link opens is no longer there for its patient (merged, moved or erased) — ask for a new link`, { details: { reason: 'gone' } });
    }
    return patient;
  };

  return async (ctx, next) => {
    // The whole /review/l/ prefix is the links' (the app's pages are the rest of /review/):
    // a path with no or more than one segment there is simply not a valid link.
    const m = /^\/review\/l(?:\/(.*))?$/.exec(ctx.path);
    if (!m || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const source = ctx.state.source;
    // The link carries a signature: keep it out of the next page's Referer.
    ctx.set('Referrer-Policy', 'no-referrer');
    let claims: ReviewLinkClaims;
    let principal: ApiPrincipal;
    let patient;
    try {
      claims = readReviewLink(linkSecret(store.meta), m[1] ?? '');
      principal = maker(claims);
      patient = patientOf(claims);
    } catch (err) {
      if (!isCuspError(err)) throw err;
      const reason = String(err.details?.reason ?? 'invalid');
      audit.append({ actor: 'anonymous', action: 'link.denied', object: null, outcome: 'denied', source, details: { link: 'review', reason } });
      log.warn(`refused a review link from ${source}: ${reason}`);
      refusal(ctx, reason === 'expired' || reason === 'gone' ? 410 : 403, err.message);
      return;
    }
    const previous = sessionCookie(ctx.get('Cookie'));
    if (previous) sessions.endByCookie(previous, 'replaced');
    const { cookie } = sessions.start(principal, source, 'link', { patientId: patient.id, patientPseudoId: patient.pseudoId, target: `${claims.kind}:${claims.id}` });
    ctx.append('Set-Cookie', setSessionCookie(cookie));
    ctx.status = 303; // See Other: the page is fetched with GET, and not cached as the link's answer
    ctx.redirect(pagePath(claims));
  };
}
