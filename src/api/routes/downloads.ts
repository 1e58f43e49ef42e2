/**
 * Downloads besides the original: the scan converted to another format, derived artifacts
 * (thumbnails, previews, heat maps), and short-lived signed links for viewers that cannot
 * send a bearer token. A link's use is audited as the principal who made it.
 */
import { z } from 'zod';
import { CuspError, isCuspError } from '../../errors.js';
import { linkSecret, linkUrl, MAX_LINK_SECONDS, verifyLink } from '../../security/signed-links.js';
import { CLINICAL, route } from '../route.js';
import { CONVERT_FORMATS, CONVERTED_KIND, ScanFiles, sendFile, type ConvertFormat, type ScanFile } from '../scan-files.js';
import type { ApiServices } from '../services.js';

const uid = z.uuid({ error: 'must be a scan uid' });
const kindSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}(:[\w.-]{1,64})?$/, 'must be an artifact kind like thumbnail, heatmap or converted:glb');
/** What a link may name: the original, a conversion, or an artifact. */
const whatSchema = z.union([z.literal('original'), kindSchema]);

const convertedQuery = z.strictObject({
  format: z.enum(CONVERT_FORMATS, { error: `must be one of ${CONVERT_FORMATS.join(', ')}` }),
  ascii: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false').describe('STL and PLY: the ASCII variant'),
});

const linkBody = z.strictObject({
  what: whatSchema.describe("'original', 'converted:glb' (any converted:<format>[-ascii]), or an artifact kind"),
  ttlSeconds: z.number().int('must be a whole number of seconds').min(10, 'must be at least 10 seconds').max(MAX_LINK_SECONDS, `must be at most ${MAX_LINK_SECONDS} seconds (one hour)`).default(300),
});

const linkQuery = z.strictObject({
  exp: z.string().regex(/^\d{1,12}$/, 'must be the expiry the link was made with'),
  by: z.string().regex(/^(principal:\d{1,12}|local-admin)$/, 'must be the maker the link was made with'),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the signature the link was made with'),
});

export function downloadRoutes(s: ApiServices) {
  const { store, audit } = s;
  const files = new ScanFiles(s);

  /** The file a link or download names. */
  const fileFor = async (scanUid: string, what: string): Promise<ScanFile> => {
    const scan = files.scan(scanUid);
    if (what === 'original') return files.original(scan);
    const converted = CONVERTED_KIND.exec(what);
    if (converted) return files.converted(scan, converted[1] as ConvertFormat, converted[2] !== undefined);
    return files.artifact(scan, what);
  };

  /** The maker of a link must still be an active principal: disabling them voids their links. */
  const checkMaker = (by: string) => {
    if (by === 'local-admin') return;
    const principal = store.principals.get(Number(by.slice('principal:'.length)));
    if (!principal || principal.disabled) throw new CuspError('forbidden', 'this link is no longer valid: the account that made it is disabled or gone — ask for a new link');
  };

  return [
    route({
      method: 'GET', path: '/scans/:uid/converted', tag: 'scans', access: CLINICAL,
      answers: { 422: 'The scan was rejected when checked: it cannot be converted', 503: 'Conversions need the job workers, which are not running here' },
      summary: 'Download the scan converted to STL, PLY, OBJ or GLB (made once in a worker, then kept); 422 for a rejected scan',
      params: z.strictObject({ uid }), query: convertedQuery, produces: 'application/octet-stream',
      handler: async ({ ctx, params, query }) => {
        const scan = files.scan(params.uid);
        sendFile(ctx, await files.converted(scan, query.format, query.ascii === 'true'));
        return undefined;
      },
      audit: ({ params, query }) => ({ action: 'scan.download', object: `scan:${params.uid}`, details: { what: `converted:${query.format}${query.ascii === 'true' ? '-ascii' : ''}` } }),
    }),
    route({
      method: 'GET', path: '/scans/:uid/artifacts/:kind', tag: 'scans', access: CLINICAL,
      summary: 'Download a derived file: thumbnail, preview, heat map, a kept conversion (404 "not made yet" until its job ran)',
      params: z.strictObject({ uid, kind: kindSchema }), produces: 'application/octet-stream',
      handler: async ({ ctx, params }) => {
        sendFile(ctx, await files.artifact(files.scan(params.uid), params.kind));
        return undefined;
      },
      audit: ({ params }) => ({ action: 'scan.download', object: `scan:${params.uid}`, details: { what: params.kind } }),
    }),
    route({
      method: 'POST', path: '/scans/:uid/links', tag: 'scans', access: CLINICAL,
      summary: 'Make a signed download link (at most one hour) for a viewer that cannot send a token',
      params: z.strictObject({ uid }), body: linkBody, status: 201,
      response: z.object({ url: z.string().describe('Absolute when api.publicUrl is set (https://…/api/v1/links/…), else the path and query below the server root'), what: z.string(), expiresAt: z.string() }),
      // A signed link changes no data: its event is recorded before the link is handed out.
      audits: 'scan.link.create',
      handler: ({ params, body, principal, record }) => {
        const scan = files.scan(params.uid);
        if (body.what !== 'original' && !CONVERTED_KIND.test(body.what) && !store.artifacts.get(scan.id, body.what)) {
          throw new CuspError('not_found', `scan ${scan.uid} has no ${body.what} (not made yet) — a link to it would not work`);
        }
        const exp = Math.floor(Date.now() / 1000) + body.ttlSeconds;
        const url = linkUrl(linkSecret(store.meta), { uid: scan.uid, what: body.what, exp, by: principal.actor }, s.config.api.publicUrl);
        const expiresAt = new Date(exp * 1000).toISOString();
        record({ audit: { action: 'scan.link.create', object: `scan:${params.uid}`, details: { what: body.what, expiresAt } } });
        return { url, what: body.what, expiresAt };
      },
    }),
    route({
      method: 'GET', path: '/links/:uid/:what', tag: 'links', access: 'public',
      summary: 'Download through a signed link (no token; 403 when altered, expired or its maker is disabled)',
      params: z.strictObject({ uid, what: whatSchema }), query: linkQuery, produces: 'application/octet-stream',
      handler: async ({ ctx, params, query, source }) => {
        const claims = { uid: params.uid, what: params.what, exp: Number(query.exp), by: query.by };
        try {
          verifyLink(linkSecret(store.meta), claims, query.sig);
          checkMaker(query.by);
        } catch (err) {
          if (isCuspError(err)) audit.append({ actor: 'anonymous', action: 'link.denied', object: `scan:${params.uid}`, outcome: 'denied', source, details: { reason: err.message } });
          throw err;
        }
        const file = await fileFor(params.uid, params.what);
        audit.appendRead({ actor: query.by, action: 'scan.download', object: `scan:${params.uid}`, source, details: { what: params.what, via: 'signed-link' } });
        sendFile(ctx, file);
        return undefined;
      },
    }),
  ];
}
