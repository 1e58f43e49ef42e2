// Sessions live in the daemon's memory, links in its database: after a restart a browser's
// old cookie is told to sign in again (never taken for someone), and a link made before the
// restart still opens.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CuspClient } from '../../src/api/client.js';
import { Browser } from '../helpers/browser.js';
import { startDaemon } from '../helpers/daemon.js';
import { freePortIn } from '../helpers/port-range.js';
import { tempDir } from '../helpers/temp.js';

/** This helper's loopback range (47600–47649). */
const portInRange = () => freePortIn(47600, 47649);

test('after a daemon restart the old session cookie is 401 unauthenticated (sign in again), and a link made before still opens', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const port = await portInRange();
  let daemon = await startDaemon(dir, { port, extraConfig: `store:\n  keyFile: ${keyFile}\n` });
  t.after(() => daemon.stop('SIGKILL'));
  const local = new CuspClient({ socketPath: join(dir, 'data', 'cusp.sock') });
  const patient = await local.call<{ id: string }>('POST', '/patients', { body: { lastName: 'Muster' } });
  const link = await local.call<{ url: string }>('POST', '/review-links', { body: { patientId: patient.id } });
  const browser = new Browser(`https://127.0.0.1:${port}`, readFileSync(join(dir, 'data', 'tls', 'ca.crt')));
  assert.equal((await browser.send('GET', new URL(link.url).pathname)).status, 303);
  assert.equal((await browser.send('GET', '/api/v1/session')).status, 200);
  const before = browser.cookie;

  assert.equal(await daemon.stop(), 0);
  daemon = await startDaemon(dir, { port, configPath: daemon.configPath });
  const stale = await browser.send('GET', `/api/v1/patients/${patient.id}`);
  assert.equal(stale.status, 401);
  assert.equal(stale.body.error.code, 'unauthenticated');
  assert.match(stale.body.error.message, /daemon restarted/);

  const again = await browser.send('GET', new URL(link.url).pathname);
  assert.equal(again.status, 303, 'the link secret is in the database: links outlive a restart');
  assert.notEqual(browser.cookie, before);
  assert.equal((await browser.send('GET', `/api/v1/patients/${patient.id}`)).status, 200);
});
