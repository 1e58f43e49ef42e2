// `cusp link` against the real daemon (dist/daemon/cli.js): the URL it prints opens the
// review page for that one patient in a browser, acting as the local administrator, and the
// making and the use of the link are both in the audit trail.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CuspClient } from '../../src/api/client.js';
import { Browser } from '../helpers/browser.js';
import { runCli, startDaemon, writeConfig } from '../helpers/daemon.js';
import { freePortIn } from '../helpers/port-range.js';
import { tempDir } from '../helpers/temp.js';

/** This helper's loopback range (47600–47649). */
const portInRange = () => freePortIn(47600, 47649);

interface AuditEvent { actor: string; object: string | null; source: string | null; details: Record<string, unknown> }

test('cusp link prints a URL that opens the review page for that patient only, and both its making and its use are audited', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(dir, { port: await portInRange(), extraConfig: `store:\n  keyFile: ${keyFile}\n` });
  t.after(() => daemon.stop('SIGKILL'));
  const local = new CuspClient({ socketPath: join(dir, 'data', 'cusp.sock') });
  const mine = await local.call<{ id: string }>('POST', '/patients', { body: { lastName: 'Muster', externalIds: [{ system: 'pms', value: '4711' }] } });
  const other = await local.call<{ id: string }>('POST', '/patients', { body: { lastName: 'Andere' } });

  const r = await runCli(['link', '--ext', 'pms:4711', '--minutes', '30', '--config', daemon.configPath], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const url = r.stdout.trim();
  assert.match(url, new RegExp(`^https://127\\.0\\.0\\.1:${daemon.port}/review/l/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
  assert.equal(r.stdout.split('\n').length, 2, 'the URL alone on stdout, for scripts');
  assert.match(r.stderr, new RegExp(`patient ${mine.id} only.*valid until \\d{4}-`));
  assert.ok(!r.stderr.includes('Muster') && !r.stdout.includes('4711'));

  const browser = new Browser(`https://127.0.0.1:${daemon.port}`, readFileSync(join(dir, 'data', 'tls', 'ca.crt')));
  const opened = await browser.send('GET', new URL(url).pathname, { headers: { Accept: 'text/html' } });
  assert.equal(opened.status, 303);
  assert.equal(opened.headers.location, `/review/patients/${mine.id}`);
  assert.equal(opened.headers['strict-transport-security'], 'max-age=31536000');
  const me = await browser.send('GET', '/api/v1/session');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.principal, { id: 0, name: 'local-admin', role: 'admin' });
  assert.equal(me.body.limitedTo, mine.id);
  const patient = await browser.send('GET', `/api/v1/patients/${mine.id}`);
  assert.equal(patient.status, 200);
  assert.equal(patient.body.lastName, 'Muster');
  const outside = await browser.send('GET', `/api/v1/patients/${other.id}`);
  assert.equal(outside.status, 403);
  assert.equal(outside.body.error.code, 'outside_link');

  const audit = async (action: string) => (await local.call<{ events: AuditEvent[] }>('GET', '/audit', { query: { action } })).events;
  const made = await audit('review.link.create');
  assert.equal(made.length, 1);
  assert.equal(made[0].actor, 'local-admin');
  assert.equal(made[0].source, 'local');
  assert.deepEqual({ object: made[0].object, by: made[0].details.by }, { object: `patient:${mine.id}`, by: 'externalId' });
  const used = await audit('session.start');
  assert.equal(used.length, 1);
  assert.equal(used[0].source, '127.0.0.1');
  assert.deepEqual(used[0].details, { via: 'link', patient: mine.id, target: `patient:${mine.id}` });
  assert.equal((await audit('access.denied')).length, 1, 'the refused read of the other patient');
  assert.ok(!daemon.output().includes(browser.cookie!), 'the cookie never reaches the log');

  const verify = await runCli(['audit', 'verify', '--config', daemon.configPath], { cwd: dir });
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});

test('cusp link: one target and sane minutes are required, and a stopped daemon is said plainly', async (t) => {
  const dir = tempDir(t);
  const config = writeConfig(dir, await portInRange());
  for (const [args, message] of [
    [[], /exactly one of --patient ID, --ext SYSTEM:VALUE, --visit ID, --scan UID/],
    [['--patient', 'p_aaaaaaaaaaaaaaaa', '--scan', 'x'], /exactly one of/],
    [['--visit', 'twelve'], /--visit takes a visit number/],
    [['--patient', 'p_aaaaaaaaaaaaaaaa', '--minutes', '2000'], /--minutes must be a whole number from 1 to 1440/],
  ] as const) {
    const r = await runCli(['link', ...args, '--config', config], { cwd: dir });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  const stopped = await runCli(['link', '--patient', 'p_aaaaaaaaaaaaaaaa', '--config', config], { cwd: dir });
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /^cusp link: the daemon is not running — start it/);
});
