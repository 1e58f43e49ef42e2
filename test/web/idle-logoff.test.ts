// Automatic logoff in the browser: after review.idleLogoffMinutes without a key, a click or
// a request, the page ends its session itself (DELETE /session, audited), shows the sign-in
// form saying why, and the old cookie opens nothing any more. A wrong token is refused with
// a plain message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from '../helpers/until.js';
import { auditEvents, browserSkip, launch, newPage, reviewDaemon, signIn } from './browser.js';

const skip = browserSkip();
const PORT = 47652;

interface El { textContent: string | null }

test('signed out after the idle time: the form says so, the session is gone and audited', { skip, timeout: 120_000 }, async (t) => {
  // 0.1 minutes: six seconds of nobody at the keyboard.
  const r = await reviewDaemon(t, PORT, 'review:\n  idleLogoffMinutes: 0.1\n');
  const browser = await launch(t);
  const problems: string[] = [];
  const page = await newPage(browser, problems);

  await page.goto(`${r.base}/review/feed`);
  await page.waitForSelector('#token');
  await page.type('#token', 'not-a-token');
  await page.keyboard.press('Enter');
  await until('the wrong token refused', async () => /not accepted/.test(await page.$eval('#sign-in .error', (e) => (e as unknown as El).textContent ?? '')));

  await signIn(page, r);
  // The feed is in the page at once, its rows once the review list has come back.
  await until('the empty feed shown', async () => /Nothing waiting for review/.test(await page.$eval('#feed', (e) => (e as unknown as El).textContent ?? '')));
  const [started] = await auditEvents(r, 'session.start');
  assert.ok(started, 'the sign-in was audited');
  const signedOut = await page.waitForSelector('#signed-out', { timeout: 60_000 });
  assert.match(await signedOut!.evaluate((e) => (e as unknown as El).textContent ?? ''), /Signed out after 6 seconds idle/);
  assert.ok(await page.$('#token'), 'the sign-in form is back');
  // The browser's cookie no longer opens anything.
  const status = await page.evaluate(() => fetch('/api/v1/review').then((res) => res.status));
  assert.equal(status, 401);
  const ended = [...await auditEvents(r, 'session.end'), ...await auditEvents(r, 'session.expired')].filter((e) => e.object === started.object);
  assert.equal(ended.length, 1, `the session ended once, on the record: ${JSON.stringify(ended)}`);
  assert.deepEqual(problems, []);
});
