// The review app's static serving on the real API (Koa over HTTPS): the redirect from /,
// the single page for every app route with its strict CSP, the hashed assets with
// immutable caching, and nothing outside dist/web/assets — no listing, no escape.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import Koa from 'koa';
import { defaultWebRoot, REVIEW_CSP, webApp } from '../../src/api/web-app.js';
import { apiStack } from '../helpers/api.js';
import { tempDir } from '../helpers/temp.js';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

function get(url: string, ca: Buffer, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { ca, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const built = (() => {
  try {
    return readdirSync(join(defaultWebRoot(), 'assets')).length > 0;
  } catch {
    return false;
  }
})();
const skip = !built && 'the review app is not built (npm run build writes dist/web)';

test('GET / sends the browser to the review feed; every app route answers the page under the strict CSP', { skip }, async (t) => {
  const api = await apiStack(t);
  const root = await get(api.url, api.ca, '/');
  assert.equal(root.status, 302);
  assert.equal(root.headers.location, '/review/feed');
  for (const path of ['/review', '/review/feed', '/review/patients?ext=pms:4711', '/review/patients/p-1', '/review/visits/3', '/review/scans/0b0c5d1e-0000-4000-8000-000000000000/compare/x']) {
    const page = await get(api.url, api.ca, path);
    assert.equal(page.status, 200, path);
    assert.match(String(page.headers['content-type']), /^text\/html/, path);
    assert.equal(page.headers['content-security-policy'], REVIEW_CSP, path);
    assert.equal(page.headers['strict-transport-security'], 'max-age=31536000', path);
    assert.equal(page.headers['x-frame-options'], 'DENY');
  }
  const html = (await get(api.url, api.ca, '/review/feed')).text;
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
  assert.doesNotMatch(html, /https?:\/\//, 'nothing from another origin (no CDN)');
  // Without an icon of its own a browser asks for /favicon.ico on every load: a 404 in its console.
  assert.match(html, /<link rel="icon" href="data:,">/, 'an empty icon declared');
  assert.equal((await get(api.url, api.ca, '/favicon.ico')).status, 404, 'and none served: nothing asks for it');
  const [, js] = /src="\/assets\/(app-[A-Z0-9]+\.js)"/.exec(html) ?? [];
  const [, css] = /href="\/assets\/(style-[A-Z0-9]+\.css)"/.exec(html) ?? [];
  assert.ok(js && css, html);
  const script = await get(api.url, api.ca, `/assets/${js}`);
  assert.equal(script.status, 200);
  assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.ok(script.text.length > 10_000, 'the bundle, three.js inside');
  const style = await get(api.url, api.ca, `/assets/${css}`);
  assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');
  // The API is untouched.
  assert.equal((await get(api.url, api.ca, '/api/v1/health')).status, 200);
});

test('assets: no listing, no path escape, no hidden files; /review/l/* is left to the signed-link route', { skip }, async (t) => {
  const api = await apiStack(t);
  for (const path of ['/assets/', '/assets', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/index.html', '/assets/../index.html', '/assets/nope.js', '/assets/.hidden', '/assets/%00']) {
    const r = await get(api.url, api.ca, path);
    assert.notEqual(r.status, 200, path);
    assert.doesNotMatch(r.text, /"name": "cusp"|<!doctype/i, path);
  }
  const link = await get(api.url, api.ca, '/review/l/forged');
  assert.doesNotMatch(link.text, /\/assets\/app-/, 'not answered with the app\'s page');
});

test('an unbuilt app answers 503 saying how to build it; a build (or rebuild) shows without a restart', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'assets'));
  const app = new Koa();
  app.use(webApp({ root: dir }));
  const server = app.listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  const page = await fetch(`http://127.0.0.1:${port}/review/feed`);
  assert.equal(page.status, 503);
  assert.match(await page.text(), /npm run build/);
  // Built afterwards: the page appears without a restart.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  const later = await fetch(`http://127.0.0.1:${port}/review/feed`);
  assert.equal(later.status, 200);
  // Rebuilt (new asset names): the new page, not the one in memory.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>rebuilt</title>');
  utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.now() + 5000));
  assert.match(await (await fetch(`http://127.0.0.1:${port}/review/feed`)).text(), /rebuilt/);
});
