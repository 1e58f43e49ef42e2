// A scan whose surface crosses itself, in a real browser against the real daemon: the
// validation report carries where (the crossing triangle pairs), and the scan viewer lists
// the spot with its plain-language reason, flies there on a click and draws the crossing
// triangles in their own colour over the surface.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { browserSkip, launch, newPage, pixelAt, reviewDaemon, signIn } from './browser.js';
import { crossedScan } from './scans.js';

const skip = browserSkip() || (!hasCorpus() && 'no corpus');
const PORT = 47653;

interface El { textContent: string | null; toDataURL(): string }
interface ReviewHook { cuspReview: { project(p: number[]): { x: number; y: number; visible: boolean } } }
declare const window: ReviewHook;
interface Detail { uid: string; reports: { validation?: { selfIntersectingPairs: number | null; selfIntersectingFaces?: Array<{ a: number[]; b: number[] }> } } }

test('a self-intersection is in the report, listed in words and drawn where it is', { skip, timeout: 180_000 }, async (t) => {
  const crossed = crossedScan();
  const r = await reviewDaemon(t, PORT);
  writeFileSync(join(r.inbox, 'Poe_Ann_2026-11-21_upper.stl'), crossed.stl);
  const detail = await until('the scan validated', async () => {
    const list = await r.daemon.request('GET', '/api/v1/scans', { token: r.token });
    const uid = (list.body as { scans: Array<{ uid: string }> }).scans[0]?.uid;
    if (!uid) return undefined;
    const d = (await r.daemon.request('GET', `/api/v1/scans/${uid}`, { token: r.token })).body as Detail;
    return d.reports.validation ? d : undefined;
  }, 120_000);
  const v = detail.reports.validation!;
  assert.ok((v.selfIntersectingPairs ?? 0) > 0, 'the check found the crossing');
  assert.ok(v.selfIntersectingFaces && v.selfIntersectingFaces.length === Math.min(200, v.selfIntersectingPairs!), 'and the report says where');
  for (const { a, b } of v.selfIntersectingFaces!) {
    const near = (tri: number[]) => [0, 3, 6].some((o) => Math.hypot(tri[o] - crossed.at[0], tri[o + 1] - crossed.at[1], tri[o + 2] - crossed.at[2]) < 2);
    assert.ok(near(a) && near(b), 'every pair is at the pierced place');
  }

  // Wait for the preview too: the page is then opened twice, once as if the preview were not
  // made yet (the scan detail it reads lists no preview, so it shows the full scan first —
  // what a clinician sees opening a scan that just came in), once as usual with the preview.
  await until('the preview made', async () => {
    const d = (await r.daemon.request('GET', `/api/v1/scans/${detail.uid}`, { token: r.token })).body as Detail & { artifacts: Array<{ kind: string }> };
    return d.artifacts.some((a) => a.kind === 'preview');
  }, 120_000);
  const browser = await launch(t);
  const problems: string[] = [];
  const page = await newPage(browser, problems);
  await signIn(page, r);
  const detailPath = `/api/v1/scans/${detail.uid}`;
  const withoutPreview = JSON.stringify(await (async () => {
    const d = (await r.daemon.request('GET', detailPath, { token: r.token })).body as { artifacts: Array<{ kind: string }> };
    return { ...d, artifacts: d.artifacts.filter((a) => a.kind !== 'preview') };
  })());
  await page.setRequestInterception(true);
  let hidePreview = true;
  page.on('request', (req) => {
    if (hidePreview && new URL(req.url()).pathname === detailPath) void req.respond({ status: 200, contentType: 'application/json', body: withoutPreview });
    else void req.continue();
  });
  for (const shown of ['the full scan', 'the preview']) {
    hidePreview = shown === 'the full scan';
    await page.goto(`${r.base}/review`);
    await page.goto(`${r.base}/review/scans/${detail.uid}`);
    await page.waitForSelector('body[data-view-ready="scan"]', { timeout: 60_000 });
    assert.match(await page.$eval('#load-state', (el) => (el as unknown as El).textContent ?? ''), new RegExp(`^Showing ${shown} `));
    const item = await page.waitForSelector('#findings li[data-kind="self-intersection"] button');
    assert.match(await item!.evaluate((el) => (el as unknown as El).textContent ?? ''), /cross each other — the surface folds through itself here/);
    const before = await page.$eval('#scan-stage canvas', (c) => (c as unknown as El).toDataURL());
    await item!.click();
    await until('the view flew to the crossing', async () => (await page.$eval('#scan-stage canvas', (c) => (c as unknown as El).toDataURL())) !== before);
    // The view settles on it, framed on whichever mesh came first; the crossing triangles are
    // teal there (no other finding or the ivory surface is).
    let last: unknown;
    const teal = await until(`the crossing drawn in teal on ${shown}`, async () => {
      const at = await page.evaluate((q) => window.cuspReview.project(q), crossed.at);
      const c = await pixelAt(page, at.x, at.y, 3);
      last = { at, c };
      return c[1] - c[0] > 60 && c[2] - c[0] > 60 ? c : undefined;
    }, 20_000).catch((e: Error) => { throw new Error(`${e.message}; last seen ${JSON.stringify(last)}`); });
    assert.ok(teal);
  }
  assert.deepEqual(problems, [], 'no script error, nothing the CSP refused');
});
