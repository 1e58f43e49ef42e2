// The review page's main walk in Firefox (Debian's firefox-esr over WebDriver BiDi, software
// WebGL from Mesa's llvmpipe): sign in (the SameSite=Strict session cookie on
// https://127.0.0.1 with the daemon's own certificate), walk the feed by keyboard, open a
// scan with a hole (canvas drawn, the finding listed and flown to) and the comparison of two
// visits (the changed patch in heat-map colour, the part the old scan never covered grey, a
// legend in mm, the range recolouring it; no bite view for a visit with one jaw) — with no
// script error and nothing the CSP refused.
// review-page.test.ts walks the same page in Chromium (and so Edge's engine) in more detail.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { browserSkip, inkShare, isHeat, isNeutral, launch, newPage, pixelAt, reviewDaemon, signIn } from './browser.js';
import { apiGet, settled } from './review-data.js';
import { visitScans } from './scans.js';
import { text, walkFeedByKeyboard } from './feed-walk.js';

const skip = browserSkip('firefox') || (!hasCorpus() && 'no corpus');
const PORT = 47950;

/** The DOM as the page functions below use it (this project compiles without the DOM library). */
interface El { textContent: string | null; value: string; dispatchEvent(e: Event): boolean; toDataURL(): string }
interface ReviewHook { cuspReview: { project(p: number[]): { x: number; y: number; visible: boolean }; view(n: string): void } }
declare const window: ReviewHook;
declare const navigator: { userAgent: string };


test('the review page in Firefox: sign-in, feed by keyboard, a scan and a comparison drawn in WebGL', { skip, timeout: 300_000 }, async (t) => {
  const scans = visitScans();
  const r = await reviewDaemon(t, PORT);
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-11-20_upper.stl'), scans.old);
  writeFileSync(join(r.inbox, 'Roe_Max_2026-11-25_upper.stl'), scans.holed);
  await settled(r, 2);
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-12-02_upper.stl'), scans.fresh);
  const all = await settled(r, 3);
  const byDate = (d: string) => all.find((s) => s.capturedAt?.startsWith(d))!;
  const [old, holed, fresh] = [byDate('2026-11-20'), byDate('2026-11-25'), byDate('2026-12-02')];

  const browser = await launch(t, 'firefox');
  const problems: string[] = [];
  const page = await newPage(browser, problems);
  assert.match(await page.evaluate(() => navigator.userAgent), /Firefox\//, 'this is Firefox');
  await signIn(page, r);
  // The session cookie Firefox keeps: HttpOnly, Secure, SameSite=Strict — and it is sent back
  // (the feed below loads only with it).
  const cookies = await browser.cookies();
  const session = cookies.find((c) => c.httpOnly);
  assert.ok(session, `a session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
  assert.equal(session.secure, true);
  assert.equal(session.sameSite, 'Strict');

  await page.waitForSelector('#feed li.feed-line');
  const dates = await page.$$eval('#feed li.feed-line .date', (els) => els.map((e) => (e as unknown as El).textContent));
  assert.deepEqual(dates, ['2026-11-20', '2026-11-25', '2026-12-02'], 'oldest first');
  await walkFeedByKeyboard(page);
  const review = await apiGet<{ visits: Array<{ date: string }> }>(r, '/review');
  assert.deepEqual(review.visits.map((v) => v.date), ['2026-11-25'], 'the keys changed the review state on the server');

  // Enter: the patient's timeline; from there the scan in 3D.
  await page.keyboard.press('Enter');
  await page.waitForSelector('#timeline .visit');
  assert.match(await text(page, '#timeline'), /tracking: poor/);
  await page.click(`li[data-scan="${holed.uid}"] a[href="/review/scans/${holed.uid}"]`);
  await page.waitForSelector('body[data-view-ready="scan"]', { timeout: 60_000 });
  assert.ok(await inkShare(page, '#scan-stage canvas') > 0.03, 'the canvas shows the scan');
  const hole = await page.waitForSelector('#findings li[data-kind="hole"] button');
  assert.match(await hole!.evaluate((el) => (el as unknown as El).textContent ?? ''), /Hole in the surface, border \d+\.\d mm long/);
  const before = await page.$eval('#scan-stage canvas', (c) => (c as unknown as El).toDataURL());
  await hole!.click();
  await until('the view flew to the hole', async () => (await page.$eval('#scan-stage canvas', (c) => (c as unknown as El).toDataURL())) !== before);

  // The comparison from the timeline's link. These visits hold upper jaws only: no bite
  // link, and the bite's address says what it needs.
  await page.goto(`${r.base}/review/patients/${fresh.patient}`);
  const link = `a.compare-link[href="/review/scans/${fresh.uid}/compare/${old.uid}"]`;
  await page.waitForSelector(link);
  assert.equal(await page.$('a.bite-link'), null, 'no bite link without both jaws');
  const visitId = await page.$eval('section.visit', (el) => (el as unknown as { dataset: { visit: string } }).dataset.visit);
  await page.goto(`${r.base}/review/visits/${visitId}/bite`);
  assert.match(await page.waitForSelector('#no-bite').then((e) => e!.evaluate((x) => (x as unknown as El).textContent ?? '')), /no lower jaw scan: the bite needs both jaws of one visit/);
  await page.goto(`${r.base}/review/patients/${fresh.patient}`);
  await page.waitForSelector(link);
  await page.click(link);
  await page.waitForSelector('body[data-view-ready="compare"]', { timeout: 60_000 });
  assert.match(await text(page, '#legend'), /−0\.50 mm.*\+0\.50 mm/s, 'the legend reads in mm');
  assert.match(await text(page, '#load-state'), /[\d,]+ points coloured by their measured distance/);
  assert.ok(await inkShare(page, '#old-stage canvas') > 0.03 && await inkShare(page, '#new-stage canvas') > 0.03, 'both scans shown');
  const project = (p: number[]) => page.evaluate((q) => window.cuspReview.project(q), p);
  let bumpColour: [number, number, number] | undefined;
  const bandColours: Array<[number, number, number]> = [];
  for (const name of ['reset', 'front', 'left', 'right', 'occlusal']) {
    await page.evaluate((n) => window.cuspReview.view(n), name);
    const bump = await project(scans.bumpTop);
    const band = [];
    for (const p of scans.beyondOld) {
      const at = await project(p);
      if (at.visible) band.push(at);
      if (band.length >= 6) break;
    }
    if (!bump.visible || band.length < 3) continue;
    bumpColour = await pixelAt(page, bump.x, bump.y);
    for (const at of band) bandColours.push(await pixelAt(page, at.x, at.y, 1));
    break;
  }
  assert.ok(bumpColour, 'some standard view shows the bump and the uncovered band');
  assert.ok(isHeat(bumpColour) && bumpColour[0] > bumpColour[2], `the 0.3 mm bump is red (outward): ${bumpColour}`);
  for (const c of bandColours) assert.ok(isNeutral(c) && !isHeat(c), `no counterpart stays grey: ${c}`);
  const bumpAt = await project(scans.bumpTop);
  await page.$eval('#range', (el) => {
    (el as unknown as El).value = '2';
    (el as unknown as El).dispatchEvent(new Event('input'));
  });
  assert.match(await text(page, '#legend'), /−2\.00 mm.*\+2\.00 mm/s);
  await until('the patch recoloured paler', async () => {
    const c = await pixelAt(page, bumpAt.x, bumpAt.y);
    return c[0] - c[2] < bumpColour![0] - bumpColour![2] - 20;
  }, 20_000);
  assert.deepEqual(problems, [], 'no script error, nothing the CSP refused');
});
