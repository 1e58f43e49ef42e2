/**
 * The clinicians' review app on the API's HTTPS port, outside `/api/v1`: `GET /` sends the
 * browser to the review feed, `GET /review` and `/review/*` answer the single page (the app
 * routes in the browser), `GET /assets/*` the bundle `npm run build` made (web/build.mjs).
 * `/review/l/*` (signed links) is left to the session routes. Nothing here needs a
 * principal: the page holds no data, every figure it shows comes through the API.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

/**
 * The page's Content-Security-Policy: only this origin's scripts and styles (no inline
 * script or style anywhere), blob/data images for the screenshots the viewer makes, blob
 * workers for three.js, and no framing.
 */
export const REVIEW_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Where the built app lives: `dist/web` next to the compiled `dist/src/api/`, `<app>/web`
 * next to the executable's bundle (`lib/cusp/cusp.mjs`, two levels down, like this file in
 * dist), and `dist/web` when this file runs from the sources (tsx in tests).
 */
export function defaultWebRoot(): string {
  const fromSources = import.meta.url.endsWith('/src/api/web-app.ts');
  return fileURLToPath(new URL(fromSources ? '../../dist/web/' : '../../web/', import.meta.url));
}

/** Options of `webApp`. */
export interface WebAppOptions {
  /** The built app folder (index.html and assets/); default `defaultWebRoot()`. */
  root?: string;
}

/** The review app's routes, as Koa middleware in front of the API (for the TLS listener only). */
export function webApp(options: WebAppOptions = {}): Middleware {
  const root = resolve(options.root ?? defaultWebRoot());
  const assets = join(root, 'assets');
  let page: { mtimeMs: number; html: Buffer } | undefined;
  const indexHtml = (): Buffer | undefined => {
    // Kept in memory, read again when a build replaced it (its asset names change with it).
    try {
      const { mtimeMs } = statSync(join(root, 'index.html'));
      if (page?.mtimeMs !== mtimeMs) page = { mtimeMs, html: readFileSync(join(root, 'index.html')) };
      return page.html;
    } catch {
      return undefined;
    }
  };
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    const path = ctx.path;
    if (path === '/') {
      ctx.redirect('/review/feed');
      return;
    }
    if (path === '/review' || (path.startsWith('/review/') && !path.startsWith('/review/l/'))) {
      const html = indexHtml();
      ctx.set('Content-Security-Policy', REVIEW_CSP);
      ctx.set('X-Frame-Options', 'DENY');
      ctx.set('Referrer-Policy', 'no-referrer');
      if (!html) {
        ctx.status = 503;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = 'The review app is not built: run `npm run build` (it writes dist/web), then reload.\n';
        return;
      }
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = html;
      return;
    }
    if (path.startsWith('/assets/')) {
      const file = assetFile(assets, path.slice('/assets/'.length));
      if (!file) {
        ctx.status = 404;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = 'not found\n';
        return;
      }
      ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
      // The bundle's file names carry their content hash: a name never changes meaning.
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.body = readFileSync(file);
      return;
    }
    return next();
  };
}

/** The file `name` names inside `assets`, or undefined: no folders, no escape, no hidden files. */
function assetFile(assets: string, name: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(decoded)) return undefined; // one plain file name: no '/', '..', '%00'
  const file = resolve(assets, decoded);
  if (!file.startsWith(assets + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
