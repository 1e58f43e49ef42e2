// Shared set-up of the review page's browser tests: Debian's chromium or firefox-esr driven
// by puppeteer-core (no browser download), the real daemon with a clinician token, and the
// scans a test needs written into its drop folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { runCli, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { randomBytes } from 'node:crypto';
import { decode } from 'fast-png';

/** The browsers the review page is tested in (Edge is Chromium on Linux: chromium covers its engine). */
export type BrowserName = 'chromium' | 'firefox';

/** Debian's chromium (CI installs it with apt), or CUSP_CHROMIUM. */
export const CHROMIUM = process.env.CUSP_CHROMIUM ?? '/usr/bin/chromium';
/** Debian's firefox-esr (CI installs it with apt), or CUSP_FIREFOX. */
export const FIREFOX = process.env.CUSP_FIREFOX ?? '/usr/bin/firefox-esr';
/** The X server headless Firefox draws its WebGL through (package xvfb). */
const XVFB = '/usr/bin/Xvfb';

/** A skip reason when the browser tests cannot run here in `name`, else false. */
export function browserSkip(name: BrowserName = 'chromium'): string | false {
  if (name === 'chromium') {
    if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt-get install chromium, or set CUSP_CHROMIUM)`;
    return false;
  }
  if (!existsSync(FIREFOX)) return `no firefox-esr at ${FIREFOX} (apt-get install firefox-esr, or set CUSP_FIREFOX)`;
  if (!process.env.DISPLAY && !existsSync(XVFB)) return `no X display and no ${XVFB}: headless Firefox has no WebGL without one (apt-get install xvfb)`;
  return false;
}

/** Headless `name` with software WebGL, closed after the test. */
export async function launch(t: TestContext, name: BrowserName = 'chromium'): Promise<Browser> {
  if (name === 'firefox') {
    const xvfb = process.env.DISPLAY ? undefined : await startXvfb();
    const browser = await launchFirefox(xvfb?.display ?? process.env.DISPLAY!).catch((err: unknown) => {
      xvfb?.stop();
      throw err;
    });
    t.after(async () => {
      try {
        await browser.close();
      } finally {
        xvfb?.stop(); // after the browser that draws on it
      }
    });
    return browser;
  }
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-certificate-errors', '--window-size=1280,720'],
    defaultViewport: { width: 1280, height: 720 },
  });
  t.after(() => browser.close());
  return browser;
}

/**
 * Headless firefox-esr over WebDriver BiDi. On Linux, headless Firefox finds no GL driver
 * without an X display ("tryNativeGL … FEATURE_FAILURE_WEBGL_EXHAUSTED_DRIVERS", with or
 * without `webgl.force-enabled`, software GL or sandboxes off); given one — even a virtual
 * Xvfb — it gets WebGL 2 from Mesa's llvmpipe, still headless (no window is drawn). So a
 * private Xvfb is started when no DISPLAY is set, on a display number it picks itself.
 * The daemon's certificate is self-signed: `acceptInsecureCerts`.
 */
function launchFirefox(display: string): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    env: { ...process.env, DISPLAY: display },
    extraPrefsFirefox: {
      // Mesa's llvmpipe is software: Firefox would refuse it as a "major performance caveat" where a page asks.
      'webgl.disable-fail-if-major-performance-caveat': true,
      'webgl.force-enabled': true,
    },
    defaultViewport: { width: 1280, height: 720 },
  });
}

/** A private Xvfb (`-displayfd`: it picks a free display and says which); `stop` ends it. */
async function startXvfb(): Promise<{ display: string; stop: () => void }> {
  const xvfb = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const stop = () => {
    xvfb.kill('SIGTERM');
  };
  let errors = '';
  xvfb.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb named no display within 30 s: ${errors.trim()}`)), 30_000);
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.trim());
      }
    });
    xvfb.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb ended (${code}) before naming a display: ${errors.trim()}`));
    });
  }).catch((err: unknown) => {
    stop();
    throw err;
  });
  return { display: `:${number}`, stop };
}

/**
 * A page that fails the test on any CSP violation or uncaught script error. Chromium prints
 * a violation to the console ("… violates the following Content Security Policy directive");
 * Firefox over WebDriver BiDi reports it as a page error ("Content-Security-Policy: The
 * page's settings blocked …"), which the first listener catches.
 */
export async function newPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err instanceof Error ? err.message : String(err)}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return page;
}

export interface ReviewDaemon {
  daemon: RunningDaemon;
  inbox: string;
  token: string;
  base: string;
  dir: string;
  auditorToken?: string;
}

/** The real daemon on a port of this work's range, with a drop folder and a clinician's token. */
export async function reviewDaemon(t: TestContext, port: number, extraConfig = ''): Promise<ReviewDaemon> {
  const dir = tempDir(t, 'cusp-web-');
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    port,
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: chairside\n    stabilitySeconds: 0.3\n${extraConfig}`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  const made = await runCli(['token', 'create', '--name', 'dr-weiss', '--role', 'clinician', '--user', '--config', daemon.configPath], { cwd: dir });
  if (made.code !== 0) throw new Error(`token create failed: ${made.stderr}`);
  return { daemon, inbox, token: made.stdout.trim(), base: `https://127.0.0.1:${port}`, dir };
}

/** Audit events recorded so far, as an auditor reads them (`GET /audit`). */
export async function auditEvents(r: ReviewDaemon, action: string): Promise<Array<{ action: string; actor: string; object: string | null; outcome: string; details: Record<string, unknown> }>> {
  r.auditorToken ??= await token(r, 'privacy-officer', 'auditor');
  const res = await r.daemon.request('GET', `/api/v1/audit?action=${encodeURIComponent(action)}&limit=1000`, { token: r.auditorToken });
  if (res.status !== 200) throw new Error(`GET /audit: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { events: never[] }).events;
}

async function token(r: ReviewDaemon, name: string, role: string): Promise<string> {
  const made = await runCli(['token', 'create', '--name', name, '--role', role, '--user', '--config', r.daemon.configPath], { cwd: r.dir });
  if (made.code !== 0) throw new Error(`token create failed: ${made.stderr}`);
  return made.stdout.trim();
}

/** Mean RGB of a small square of the page around (x, y) (CSS pixels), from a screenshot. */
export async function pixelAt(page: Page, x: number, y: number, size = 3): Promise<[number, number, number]> {
  const png = await page.screenshot({ clip: { x: Math.round(x - size / 2), y: Math.round(y - size / 2), width: size, height: size }, type: 'png' });
  const img = decode(png);
  const channels = img.channels;
  const sum = [0, 0, 0];
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) sum[k] += img.data[i * channels + k];
  return sum.map((s) => s / n) as [number, number, number];
}

/** Share of an element's screenshot that is not the white background. */
export async function inkShare(page: Page, selector: string): Promise<number> {
  const el = await page.$(selector);
  if (!el) throw new Error(`no ${selector} on the page`);
  const img = decode(await el.screenshot({ type: 'png' }));
  let ink = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const o = i * img.channels;
    if (img.data[o] < 245 || img.data[o + 1] < 245 || img.data[o + 2] < 245) ink++;
  }
  return ink / (img.width * img.height);
}

/** A heat-map colour (clearly red or blue), not the neutral greys of "no change" and "no counterpart". */
export function isHeat([r, g, b]: [number, number, number]): boolean {
  return Math.abs(r - b) > 40 && (r - g > 30 || b - g > 30);
}

/** A neutral grey (no counterpart, or no change). */
export function isNeutral([r, g, b]: [number, number, number]): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) < 16;
}

/** Where the screenshots for the README go when CUSP_REVIEW_SCREENSHOTS names a folder (docs/img). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.CUSP_REVIEW_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) as `${string}.png`, type: 'png' });
}

/** Open the app at `/` and sign in through its form with the clinician's token. */
export async function signIn(page: Page, r: ReviewDaemon): Promise<void> {
  await page.goto(`${r.base}/`);
  await page.waitForSelector('#token');
  if (new URL(page.url()).pathname !== '/review/feed') throw new Error(`/ led to ${page.url()}, not the feed`);
  await page.type('#token', r.token);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#feed');
}
