// The review page in a real browser (Debian's chromium, software WebGL) against the real
// daemon: sign in, walk the feed by keyboard (mark reviewed, flag, tag, note), open a
// patient's timeline and a scan with a hole (the finding drawn and listed), and the
// comparison of two visits — the known changed patch in heat-map colours, the part of the
// new scan the old one never covered in grey, a range that changes the colours, a legend in
// mm — and what all of that wrote into the audit trail.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { auditEvents, browserSkip, signIn, inkShare, isHeat, isNeutral, keepScreenshot, launch, newPage, pixelAt, reviewDaemon } from './browser.js';
import { apiGet, settled } from './review-data.js';
import { visitScans } from './scans.js';
import { text, walkFeedByKeyboard } from './feed-walk.js';

const skip = browserSkip() || (!hasCorpus() && 'no corpus');
const PORT = 47651;

/** The DOM as the page functions below use it (this project compiles without the DOM library). */
interface El { textContent: string | null; hidden: boolean; value: string; dispatchEvent(e: Event): boolean; toDataURL(): string }
interface ReviewHook { cuspReview: { project(p: number[]): { x: number; y: number; visible: boolean }; view(n: string): void } }
declare const window: ReviewHook;


/** The bump red and the uncovered band grey, in some standard view (after the first check, again on another map). */
async function checkMapColours(page: Page, scans: ReturnType<typeof visitScans>, what: string): Promise<void> {
  for (const name of ['reset', 'front', 'left', 'right', 'occlusal']) {
    await page.evaluate((n) => window.cuspReview.view(n), name);
    const bump = await page.evaluate((q) => window.cuspReview.project(q), scans.bumpTop);
    if (!bump.visible) continue;
    const c = await pixelAt(page, bump.x, bump.y);
    assert.ok(isHeat(c) && c[0] > c[2], `${what}: the bump is red: ${c}`);
    const band = [];
    for (const p of scans.beyondOld) {
      const at = await page.evaluate((q) => window.cuspReview.project(q), p);
      if (at.visible) band.push(await pixelAt(page, at.x, at.y, 1));
      if (band.length >= 3) break;
    }
    for (const g of band) assert.ok(isNeutral(g) && !isHeat(g), `${what}: no counterpart stays grey: ${g}`);
    if (band.length) return;
  }
  assert.fail(`${what}: no standard view shows the bump and the band`);
}

test('the review page: feed by keyboard, a scan with its finding, a comparison in colour, all audited', { skip, timeout: 240_000 }, async (t) => {
  const scans = visitScans();
  const r = await reviewDaemon(t, PORT);
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-11-20_upper.stl'), scans.old);
  writeFileSync(join(r.inbox, 'Roe_Max_2026-11-25_upper.stl'), scans.holed);
  await settled(r, 2);
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-12-02_upper.stl'), scans.fresh);
  const all = await settled(r, 3);
  const byDate = (d: string) => all.find((s) => s.capturedAt?.startsWith(d))!;
  const [old, holed, fresh] = [byDate('2026-11-20'), byDate('2026-11-25'), byDate('2026-12-02')];
  const detail = await apiGet<{ reports: { comparison?: { previous: string; regions: Array<{ centroid: number[] }> } } }>(r, `/scans/${fresh.uid}`);
  assert.equal(detail.reports.comparison?.previous, old.uid, 'the daemon compared the two visits');

  const browser = await launch(t);
  const problems: string[] = [];
  const page = await newPage(browser, problems);
  await signIn(page, r);
  await page.waitForSelector('#feed li.feed-line');

  // The feed: oldest first.
  const dates = await page.$$eval('#feed li.feed-line .date', (els) => els.map((e) => (e as unknown as El).textContent));
  assert.deepEqual(dates, ['2026-11-20', '2026-11-25', '2026-12-02']);
  await keepScreenshot(page, 'review-feed.png');
  // A reviews the first visit, N then F flags the December one, T tags the one left.
  await walkFeedByKeyboard(page);
  // M on the remaining visit: a note.
  await page.keyboard.press('m');
  await page.waitForSelector('#note-text');
  await page.keyboard.type('check the distal surface');
  await page.keyboard.press('Enter');
  await until('the note saved', async () => /Note saved/.test(await text(page, '#feed-status')));
  await page.keyboard.press('?');
  assert.equal(await page.$eval('#help', (el) => (el as unknown as El).hidden), false, '? shows the keys');

  const review = await apiGet<{ visits: Array<{ date: string }> }>(r, '/review');
  assert.deepEqual(review.visits.map((v) => v.date), ['2026-11-25'], 'one visit still waits');

  // Enter opens the patient's timeline; from there, the scan in 3D.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#timeline .visit');
  assert.match(await text(page, '#timeline'), /tracking: poor/);
  assert.match(await text(page, '#timeline'), /note: check the distal surface/);
  await page.click(`li[data-scan="${holed.uid}"] a[href="/review/scans/${holed.uid}"]`);
  await page.waitForSelector('body[data-view-ready="scan"]', { timeout: 60_000 });
  assert.ok(await inkShare(page, '#scan-stage canvas') > 0.03, 'the canvas shows the scan');
  const hole = await page.waitForSelector('#findings li[data-kind="hole"] button');
  assert.match(await hole!.evaluate((el) => (el as unknown as El).textContent ?? ''), /Hole in the surface, border \d+\.\d mm long/);
  assert.match(await text(page, '.facts'), /\d+\.\d × \d+\.\d × \d+\.\d mm/, 'sizes in mm');
  await keepScreenshot(page, 'review-scan.png');
  const before = await page.$eval('#scan-stage canvas', (c) => (c as unknown as El).toDataURL());
  await hole!.click();
  await until('the view flew to the hole', async () => (await page.$eval('#scan-stage canvas', (c) => (c as unknown as El).toDataURL())) !== before);

  // The comparison, from the Doe timeline's link.
  await page.goto(`${r.base}/review/patients/${fresh.patient}`);
  await page.waitForSelector(`a.compare-link[href="/review/scans/${fresh.uid}/compare/${old.uid}"]`);
  await page.click(`a.compare-link[href="/review/scans/${fresh.uid}/compare/${old.uid}"]`);
  await page.waitForSelector('body[data-view-ready="compare"]', { timeout: 60_000 });
  assert.match(await text(page, '#legend'), /−0\.50 mm.*\+0\.50 mm/s, 'the legend reads in mm');
  assert.match(await text(page, '#legend'), /no counterpart/);
  // The per-point values (deviation:values) arrived, one per vertex of the heat-map GLB.
  // The preview's map comes first (a few MiB, not the full scan's), the full one on request.
  assert.match(await text(page, '#load-state'), /[\d,]+ points coloured by their measured distance \(the preview/);
  assert.equal(await page.$eval('#load-full', (el) => (el as unknown as El).hidden), false, 'the full map can be asked for');
  assert.ok(await inkShare(page, '#old-stage canvas') > 0.03 && await inkShare(page, '#new-stage canvas') > 0.03, 'both scans shown');

  const project = (p: number[]) => page.evaluate((q) => window.cuspReview.project(q), p);
  const view = (name: string) => page.evaluate((n) => window.cuspReview.view(n), name);
  // Find a view that shows the bump and part of the band the old scan never covered.
  let bumpColour: [number, number, number] | undefined;
  let bumpSeen: unknown;
  const bandColours: Array<[number, number, number]> = [];
  for (const name of ['reset', 'front', 'left', 'right', 'occlusal']) {
    await view(name);
    const bump = await project(scans.bumpTop);
    const band = [];
    for (const p of scans.beyondOld) {
      const at = await project(p);
      if (at.visible) band.push(at);
      if (band.length >= 6) break;
    }
    if (!bump.visible || band.length < 3) continue;
    bumpColour = await pixelAt(page, bump.x, bump.y);
    bumpSeen = { name, bump };
    for (const at of band) bandColours.push(await pixelAt(page, at.x, at.y, 1));
    await keepScreenshot(page, 'review-compare.png');
    break;
  }
  assert.ok(bumpColour, 'some standard view shows the bump and the uncovered band');
  assert.ok(isHeat(bumpColour) && bumpColour[0] > bumpColour[2], `the 0.3 mm bump is red (outward): ${bumpColour} at ${JSON.stringify(bumpSeen)}`);
  for (const c of bandColours) assert.ok(isNeutral(c) && !isHeat(c), `no counterpart stays grey: ${c}`);

  // A wider range pales the same patch: the colours follow the slider.
  const bumpAt = await project(scans.bumpTop);
  await page.$eval('#range', (el) => {
    (el as unknown as El).value = '2';
    (el as unknown as El).dispatchEvent(new Event('input'));
  });
  assert.match(await text(page, '#legend'), /−2\.00 mm.*\+2\.00 mm/s);
  const paler = await until('the patch recoloured', async () => {
    const c = await pixelAt(page, bumpAt.x, bumpAt.y);
    return c[0] - c[2] < bumpColour![0] - bumpColour![2] - 20 ? c : undefined;
  }, 20_000);
  assert.ok(paler);
  // The changed patch is listed and flies there when clicked.
  assert.match(await text(page, '#regions li'), /Outward: \d+\.\d mm², peak \+0\.\d\d mm, mean \+0\.\d\d mm/);
  const previewPoints = Number((await text(page, '#load-state')).replace(/ points.*$/s, '').replace(/,/g, ''));

  // The full-resolution map on request (at the range of ±0.5 mm again): the same colours
  // where it matters.
  await page.$eval('#range', (el) => {
    (el as unknown as El).value = '0.5';
    (el as unknown as El).dispatchEvent(new Event('input'));
  });
  await page.click('#load-full');
  const fullState = await until('the full map shown', async () => {
    const s = await text(page, '#load-state');
    return /points coloured by their measured distance\.$/.test(s) ? s : undefined;
  }, 60_000);
  // (This molar is under the preview's 100k-triangle budget, so its preview keeps every point.)
  assert.ok(Number(fullState.replace(/ points.*$/s, '').replace(/,/g, '')) >= previewPoints, `${fullState}: no fewer points than the preview's ${previewPoints}`);
  await checkMapColours(page, scans, 'the full map');

  // A comparison made before Cusp wrote the preview's map: the scan's answer then lists no
  // such artifact (as a database of the earlier version holds) and the view shows the full map.
  const detailJson = await page.evaluate(async (u) => (await fetch(`/api/v1/scans/${u}`)).text(), fresh.uid);
  const older = JSON.parse(detailJson) as { artifacts: Array<{ kind: string }> };
  older.artifacts = older.artifacts.filter((a) => !a.kind.endsWith('-preview'));
  await page.setRequestInterception(true);
  const asked: string[] = [];
  page.on('request', (req) => {
    const path = decodeURIComponent(new URL(req.url()).pathname);
    asked.push(path);
    if (path === `/api/v1/scans/${fresh.uid}`) void req.respond({ status: 200, contentType: 'application/json', body: JSON.stringify(older) });
    else void req.continue();
  });
  await page.goto(`${r.base}/review/scans/${fresh.uid}/compare/${old.uid}`);
  await page.waitForSelector('body[data-view-ready="compare"]', { timeout: 60_000 });
  assert.match(await text(page, '#load-state'), /^[\d,]+ points coloured by their measured distance\.$/);
  assert.equal(await page.$eval('#load-full', (el) => (el as unknown as El).hidden), true, 'nothing more to load');
  assert.ok(asked.includes(`/api/v1/scans/${fresh.uid}/artifacts/heatmap-glb:deviation`), 'the full map fetched');
  assert.ok(!asked.some((p) => p.endsWith('-preview')), `no preview map asked for: ${asked.join(' ')}`);
  await checkMapColours(page, scans, 'the full map of an earlier comparison');
  await page.setRequestInterception(false);
  page.removeAllListeners('request');

  // The bridge from practice software: its patient number leads to the timeline; an unknown
  // number says so; a bad link says what it needs.
  const patched = await r.daemon.request('PATCH', `/api/v1/patients/${fresh.patient}`, { token: r.token, body: { externalIds: [{ system: 'pms', value: '4711' }] } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  await page.goto(`${r.base}/review/patients?ext=pms:4711`);
  await page.waitForSelector('#timeline .visit');
  assert.equal(new URL(page.url()).pathname, `/review/patients/${fresh.patient}`);
  assert.match(await text(page, 'header.patient'), /Doe, Jane/);
  await page.goto(`${r.base}/review/patients?ext=pms:9999`);
  await page.waitForSelector('#bridge-none');
  assert.match(await text(page, '#bridge-none'), /No patient in Cusp has the practice number pms:9999/);
  await page.goto(`${r.base}/review/patients?ext=4711`);
  await page.waitForSelector('main [role="alert"]');
  assert.match(await text(page, 'main [role="alert"]'), /needs \?ext=SYSTEM:NUMBER/);
  await page.goto(`${r.base}/review/scans/not-a-scan`);
  assert.match(await page.waitForSelector('main [role="alert"]').then((e) => e!.evaluate((x) => (x as unknown as El).textContent ?? '')), /could not be shown: .*scan uid/);

  // A signed link (as practice software makes with `cusp link --ext pms:4711`) opens that
  // patient's timeline in a browser that never signed in, and nothing of anyone else.
  const made = await r.daemon.request('POST', '/api/v1/review-links', { token: r.token, body: { externalId: 'pms:4711' } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const stranger = await browser.createBrowserContext();
  const linked = await stranger.newPage();
  await linked.goto((made.body as { url: string }).url);
  await linked.waitForSelector('#timeline .visit');
  assert.equal(new URL(linked.url()).pathname, `/review/patients/${fresh.patient}`);
  await linked.goto(`${r.base}/review/patients/${holed.patient}`);
  assert.match(await linked.waitForSelector('main [role="alert"]').then((e) => e!.evaluate((x) => (x as unknown as El).textContent ?? '')), /could not be shown/);
  assert.doesNotMatch(await linked.$eval('main', (m) => (m as unknown as El).textContent ?? ''), /Roe/, 'no name of the other patient');
  await stranger.close();

  // The audit trail holds what the clinician did, under their name, like any API client.
  const reviews = await auditEvents(r, 'visit.review');
  assert.deepEqual(reviews.map((e) => [e.details.state, e.outcome]), [['reviewed', 'success'], ['flagged', 'success']]);
  const actor = reviews[0].actor;
  assert.match(actor, /^principal:\d+$/);
  assert.ok((await auditEvents(r, 'annotation.create')).length >= 2, 'the tag and the note');
  const reads = await auditEvents(r, 'scan.read');
  assert.ok(reads.some((e) => e.object === `scan:${holed.uid}` && e.actor === actor), 'opening the scan was audited');
  const downloads = await auditEvents(r, 'scan.download');
  assert.ok(downloads.some((e) => e.object === `scan:${fresh.uid}` && e.details.what === 'deviation:values'), 'the deviation values the page coloured with');
  assert.ok((await auditEvents(r, 'review.list')).length >= 1);
  assert.deepEqual(problems, [], 'no script error, nothing the CSP refused');
});
