// The bite view in a real browser: a visit's upper and lower jaw together in 3D, the lower
// coloured by its clearance to the upper. The two scans are made here so the answer is
// known: the lower is a surface with one round bump that reaches 0.3 mm past the upper's
// flat surface 1 mm above it — contact (≤ 0 mm) within 1.09 mm of the bump's axis, near
// contact (0–0.5 mm) out to 2.07 mm, more than 0.5 mm everywhere else. The test checks the
// contact colour is there and nowhere else, the near band around it, both jaws drawn (the
// upper hides the near band until U takes it away), the keys, the legend in mm, and Cusp's own
// analysis of the full scans listed beside it — in Chromium and in Firefox.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decode } from 'fast-png';
import type { Page } from 'puppeteer-core';
import type { IndexedMesh } from '../../src/mesh/mesh.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { until } from '../helpers/until.js';
import { browserSkip, inkShare, keepScreenshot, launch, newPage, pixelAt, reviewDaemon, signIn, type BrowserName } from './browser.js';
import { settled } from './review-data.js';

const PORTS: Record<BrowserName, number> = { chromium: 47952, firefox: 47953 };
const REAL_PORT = 47954;

const HALF = 7.5; // mm: each jaw is a 15 × 15 mm surface
const STEP = 0.25;
const GAP = 1.0; // the upper surface's height above the lower's base
const BUMP: [number, number] = [2, 1]; // off centre, so "nowhere else" means something
const PEAK = 1.3;
const SIGMA2 = 2.25; // bump height PEAK·exp(−r²/(2·SIGMA2))
const CONTACT_R = Math.sqrt(2 * SIGMA2 * Math.log(PEAK / GAP)); // 1.09 mm: the bump at or above the upper surface
const NEAR_R = Math.sqrt(2 * SIGMA2 * Math.log(PEAK / (GAP - 0.5))); // 2.07 mm: within 0.5 mm of it

const bumpZ = (x: number, y: number) => PEAK * Math.exp(-((x - BUMP[0]) ** 2 + (y - BUMP[1]) ** 2) / (2 * SIGMA2));

/** A grid surface z = f(x, y), its triangles facing +z (`up`) or −z. */
function surface(f: (x: number, y: number) => number, up: boolean): IndexedMesh {
  const n = Math.round((2 * HALF) / STEP) + 1;
  const positions = new Float32Array(n * n * 3);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const x = -HALF + i * STEP, y = -HALF + j * STEP;
    positions.set([x, y, f(x, y)], 3 * (j * n + i));
  }
  const indices: number[] = [];
  for (let j = 0; j < n - 1; j++) for (let i = 0; i < n - 1; i++) {
    const a = j * n + i, b = a + 1, c = a + n, d = c + 1;
    if (up) indices.push(a, b, d, a, d, c);
    else indices.push(a, d, b, a, c, d);
  }
  return { positions, indices: Uint32Array.from(indices) };
}

/** The DOM as the page functions below use it (this project compiles without the DOM library). */
interface El { textContent: string | null }
interface ReviewHook { cuspReview: { project(p: number[]): { x: number; y: number; visible: boolean } } }
declare const window: ReviewHook;
declare const performance: { getEntriesByName(name: string): Array<{ duration: number }> };

const text = (page: Page, selector: string) => page.$eval(selector, (el) => (el as unknown as El).textContent ?? '');
type Rgb = [number, number, number];
/** The bands' colours as lit on screen: dark red, light amber, ivory (ratios survive the lighting). */
const isContact = ([r, g, b]: Rgb) => r > 80 && g < 0.45 * r && b < 0.5 * r;
const isNear = ([r, g, b]: Rgb) => r > 120 && g > 0.55 * r && g < 0.9 * r && b < 0.65 * r;
const isClear = ([r, g, b]: Rgb) => r > 120 && g > 0.85 * r && b > 0.75 * r;

for (const name of ['chromium', 'firefox'] as const) test(`the bite in 3D (${name}): both jaws, the contact colour where they touch and nowhere else, the near band around it`, { skip: browserSkip(name), timeout: 240_000 }, async (t) => {
  const r = await reviewDaemon(t, PORTS[name]);
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-12-02_lower.stl'), writeStlBinary(surface(bumpZ, true)));
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-12-02_upper.stl'), writeStlBinary(surface(() => GAP, false)));
  const scans = await settled(r, 2);
  assert.deepEqual(scans.map((s) => s.jaw).sort(), ['lower', 'upper']);

  const browser = await launch(t, name);
  const problems: string[] = [];
  const page = await newPage(browser, problems);
  await signIn(page, r);
  // From the patient's timeline, the visit's bite link.
  await page.goto(`${r.base}/review/patients/${scans[0].patient}`);
  await page.waitForSelector('a.bite-link');
  await page.click('a.bite-link');
  await page.waitForSelector('body[data-view-ready="bite"]', { timeout: 60_000 });
  assert.match(new URL(page.url()).pathname, /^\/review\/visits\/\d+\/bite$/);
  assert.match(await text(page, '#legend'), /0 mm or less.*0–0\.50 mm.*more than 0\.50 mm/s, 'the legend reads in mm');
  // Measured on the previews: the contact disk is π·1.09² ≈ 3.7 mm².
  const measured = await text(page, '#bite-measured');
  const contactArea = Number(/contact (\d+\.\d) mm²/.exec(measured)?.[1]);
  assert.ok(contactArea > 2.5 && contactArea < 5.5, `contact area on the previews: ${measured}`);
  assert.match(measured, /closest −0\.\d\d mm|closest -0\.\d\d mm/, 'the bump overlaps the upper');
  // Cusp's analysis of the full scans, beside the view.
  assert.match(await text(page, '#contacts-lower'), /Contact \d+\.\d mm², tightest -0\.\d\d mm/);

  const project = (p: number[]) => page.evaluate((q) => window.cuspReview.project(q), p);
  const bumpTop = [BUMP[0], BUMP[1], PEAK];
  const ring = (radius: number, k: number) => [BUMP[0] + radius * Math.cos(k), BUMP[1] + radius * Math.sin(k), bumpZ(BUMP[0] + radius * Math.cos(k), BUMP[1] + radius * Math.sin(k))];
  const nearPoint = ring((CONTACT_R + NEAR_R) / 2, 0);
  // Both jaws: from above, the upper surface hides the lower's near band (the bump's top
  // pierces it)…
  await page.click('[data-view="biting"]'); // the lower's biting surface: the upper taken away
  assert.equal(await page.$eval('#show-upper', (el) => (el as unknown as { checked: boolean }).checked), false);
  await page.keyboard.press('u');
  assert.equal(await page.$eval('#show-upper', (el) => (el as unknown as { checked: boolean }).checked), true, 'U shows the upper again');
  const hidden = await project(nearPoint);
  assert.equal(hidden.visible, false, 'the upper jaw covers the near band');
  const over = await pixelAt(page, hidden.x, hidden.y);
  assert.ok(!isNear(over) && !isContact(over), `the upper's surface is drawn over the lower: ${over}`);
  // …which shows in its colour once U hides the upper, the contact colour at the bump.
  await page.keyboard.press('u');
  assert.ok((await project(nearPoint)).visible);
  assert.ok(isNear(await pixelAt(page, hidden.x, hidden.y)), 'the near band shows without the upper');
  const top = await project(bumpTop);
  assert.ok(top.visible, 'the bump is in view');
  const contact = await pixelAt(page, top.x, top.y);
  assert.ok(isContact(contact), `contact colour at the bump: ${contact}`);
  // The near band, on a ring between the two radii, and clear beyond.
  for (let k = 0; k < 6; k++) {
    const at = await project(ring((CONTACT_R + NEAR_R) / 2, k));
    const c = await pixelAt(page, at.x, at.y);
    assert.ok(isNear(c), `near-contact colour at ${((CONTACT_R + NEAR_R) / 2).toFixed(2)} mm from the bump: ${c}`);
  }
  for (const [x, y] of [[-5, -5], [-5, 5], [5, -5], [5, 5], [-3, 0], [5.5, 1]]) {
    const at = await project([x, y, bumpZ(x, y)]);
    const c = await pixelAt(page, at.x, at.y);
    assert.ok(isClear(c) && !isContact(c), `clear colour at (${x}, ${y}): ${c}`);
  }
  // Nowhere else: every pixel of the canvas in the contact colour lies on the contact disk
  // (its radius on screen, plus a triangle's width of colour blending).
  const canvas = await page.$('#bite-stage canvas');
  const box = (await canvas!.boundingBox())!;
  const img = decode(await canvas!.screenshot({ type: 'png' }));
  const edge = await project([BUMP[0] + CONTACT_R + 0.4, BUMP[1], bumpZ(BUMP[0] + CONTACT_R + 0.4, BUMP[1])]);
  const limit = Math.hypot(edge.x - top.x, edge.y - top.y);
  const sx = img.width / box.width, sy = img.height / box.height;
  let red = 0, farthest = 0;
  for (let py = 0; py < img.height; py++) for (let px = 0; px < img.width; px++) {
    const o = (py * img.width + px) * img.channels;
    if (!isContact([img.data[o], img.data[o + 1], img.data[o + 2]])) continue;
    red++;
    farthest = Math.max(farthest, Math.hypot(box.x + px / sx - top.x, box.y + py / sy - top.y));
  }
  assert.ok(red > 50, `the contact disk is drawn (${red} pixels)`);
  assert.ok(farthest <= limit, `contact colour only on the contact disk: a pixel ${farthest.toFixed(0)} px from the bump, the disk reaches ${limit.toFixed(0)} px`);
  const [spent] = await page.evaluate(() => performance.getEntriesByName('cusp-bite-clearance').map((e) => e.duration));
  t.diagnostic(`${name}: clearance of ${(2 * HALF / STEP) ** 2 * 2} triangles to as many measured in ${spent.toFixed(0)} ms`);
  assert.deepEqual(problems, [], 'no script error, nothing the CSP refused');
});

// Real teeth: the upper and lower left first molars (#14, #19) of one patient, segmented from
// one CBCT, so in one frame as a scanner exports a bite. The analyse job finds them 0.01 mm
// apart at the closest: the lower shows near contact and no contact colour.
test('the bite in 3D of two real opposing molars: near contact where they meet, no contact colour', { skip: browserSkip() || (!hasCorpus() && 'no corpus'), timeout: 240_000 }, async (t) => {
  const r = await reviewDaemon(t, REAL_PORT);
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-12-02_upper.stl'), corpusBytes('dental/openfulljaw_P26_maxilla_tooth14_molar.stl'));
  writeFileSync(join(r.inbox, 'Doe_Jane_2026-12-02_lower.stl'), corpusBytes('dental/openfulljaw_P26_mandible_tooth19_molar.stl'));
  const scans = await settled(r, 2);
  const browser = await launch(t);
  const problems: string[] = [];
  const page = await newPage(browser, problems);
  await signIn(page, r);
  await page.goto(`${r.base}/review/patients/${scans[0].patient}`);
  await page.waitForSelector('a.bite-link');
  await page.click('a.bite-link');
  await page.waitForSelector('body[data-view-ready="bite"]', { timeout: 60_000 });
  assert.ok(await inkShare(page, '#bite-stage canvas') > 0.03, 'both teeth drawn');
  assert.match(await text(page, '#bite-measured'), /closest 0\.0\d mm, contact 0\.0 mm², near contact \d+\.\d mm²/);
  await keepScreenshot(page, 'review-bite.png');
  // Cusp's contact on the lower molar, listed beside the view, flies there when clicked.
  const before = await page.$eval('#bite-stage canvas', (c) => (c as unknown as { toDataURL(): string }).toDataURL());
  await page.click('#contacts-lower button');
  await until('the view flew to the contact', async () => (await page.$eval('#bite-stage canvas', (c) => (c as unknown as { toDataURL(): string }).toDataURL())) !== before);
  await page.keyboard.press('b');
  const img = decode(await (await page.$('#bite-stage canvas'))!.screenshot({ type: 'png' }));
  let near = 0, contact = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const rgb: Rgb = [img.data[i * img.channels], img.data[i * img.channels + 1], img.data[i * img.channels + 2]];
    if (isNear(rgb)) near++;
    if (isContact(rgb)) contact++;
  }
  assert.ok(near > 50, `the near-contact patch shows on the lower molar's biting surface (${near} pixels)`);
  assert.equal(contact, 0, 'no contact colour: the molars do not touch');
  assert.deepEqual(problems, []);
});
