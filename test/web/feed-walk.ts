// The review feed worked by keyboard, as a clinician does it in the morning — the same walk
// in every browser the page is tested in (review-page.test.ts: Chromium, firefox.test.ts).
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { until } from '../helpers/until.js';

interface El { textContent: string | null }

/** The text of the first element matching `selector`. */
export const text = (page: Page, selector: string): Promise<string> => page.$eval(selector, (el) => (el as unknown as El).textContent ?? '');

/**
 * On a feed of the three visits of 2026-11-20, 11-25 and 12-02 (oldest first, the first
 * selected): A marks the first reviewed and the next is selected; N moves on, F flags the
 * December visit; T tags the one left "tracking: poor". Each step is checked on the page.
 */
export async function walkFeedByKeyboard(page: Page): Promise<void> {
  await page.keyboard.press('a');
  await until('the first visit left the feed', async () => (await page.$$('#feed li.feed-line')).length === 2);
  assert.match(await text(page, '#feed-status'), /marked reviewed/);
  assert.equal(await text(page, '#feed li.selected .date'), '2026-11-25');
  await page.keyboard.press('n');
  assert.equal(await text(page, '#feed li.selected .date'), '2026-12-02');
  await page.keyboard.press('f');
  await until('the flagged visit left the feed', async () => (await page.$$('#feed li.feed-line')).length === 1);
  await page.keyboard.press('t');
  await page.waitForSelector('#tag-form');
  await page.select('#tag-name', 'tracking');
  await page.select('#tag-value', 'poor');
  await page.keyboard.press('Enter');
  await until('the tag saved', async () => /Tagged tracking: poor/.test(await text(page, '#feed-status')));
}
