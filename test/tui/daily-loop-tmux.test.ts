// The daily loop of clinic IT, in a real terminal (tmux) against a real daemon, as issue 21
// describes it: the morning overview, a quarantined file fixed and retried, a token revoked,
// a legal hold lifted — each checked on the screen and through the API afterwards, with the
// same ids on every screen (the audit trail's principal:N and the patient's p_… beside the name).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { CLI } from '../helpers/daemon.js';
import { until } from '../helpers/until.js';
import { consoleDaemon, Connection } from './console-helpers.js';
import { hasTmux, tmux } from './tmux.js';

const skip = !hasTmux ? 'tmux is not installed (apt-get install tmux)' : !hasCorpus() ? 'no corpus' : false;

test('the daily loop in tmux: overview, a quarantined file fixed and retried, a token revoked, a hold lifted', { skip, timeout: 240_000 }, async (t) => {
  const { daemon, inbox, dir, socketPath } = await consoleDaemon(t);
  const admin = Connection.socket(socketPath).client;
  // Yesterday's state: a client with a token the practice no longer uses, a patient on hold, a cut-short export.
  const client = await admin.createPrincipal('old-pms', 'integration');
  const { token } = await admin.issueToken(client.id, 'front desk');
  assert.equal((await daemon.request('GET', '/api/v1/scans', { token })).status, 200);
  const erika = await admin.createPatient({ lastName: 'Mustermann', firstName: 'Erika', birthDate: '1961-05-05' });
  await admin.setLegalHold(erika.id, true, 'claim 2026-17');
  const whole = corpusBytes('dental/openfulljaw_P26_mandible_tooth19_molar.stl');
  const name = 'Schmidt_Jan_2026-11-21_upper.stl';
  writeFileSync(join(inbox, name), whole.subarray(0, 4000));
  const quarantine = join(dir, 'data', 'quarantine', 'inbox');
  await until('the cut-short export quarantined', () => existsSync(join(quarantine, name)), 60_000);

  const term = tmux(`cusp-loop-${process.pid}`);
  t.after(() => term.kill());
  term.run('new-session', '-d', '-s', 'console', '-x', '80', '-y', '24', `env TERM=xterm-256color ${process.execPath} ${CLI} console --config ${daemon.configPath}; echo "console exited with $?"; sleep 30`);

  // Morning overview: the quarantined file is there and named as an error.
  let pane = await term.waitFor(/1 in quarantine/);
  assert.match(pane, /✗ \d\d:\d\d quarantined Schmidt_Jan_2026-11-21_upper\.stl \(inbox\)/);

  // The quarantined file: whose it is, why; re-exported whole (over the quarantined copy), then retried.
  term.keys('4');
  await term.waitFor(/›inbox\s+watching/);
  term.keys('Enter');
  pane = await term.waitFor(/Whose: Schmidt, Jan · no record yet \(a retry creates one\)/);
  assert.match(pane, /truncated/);
  writeFileSync(join(quarantine, name), whole);
  term.keys('r');
  await term.waitFor(/✓ 1 file back in inbox/);
  const sha = createHash('sha256').update(whole).digest('hex');
  await until('the fixed file stored', async () => (await admin.listScans()).scans.some((s) => s.sha256 === sha), 60_000);
  await term.waitFor(/the quarantine is empty/, 60_000);

  // The old client's token: found by the id the audit trail shows, revoked after a question.
  // Escape, and only once the folder list is back the next key: an ESC and a '5' that reach
  // the console in one read are Alt+5, which no screen takes (the full run failed so once).
  term.keys('Escape');
  await term.waitFor(/›inbox\s+watching/);
  term.keys('5');
  pane = await term.waitFor(new RegExp(`old-pms\\s+client\\s+integration\\s+\\d{4}-\\d\\d-\\d\\d principal:${client.id}`));
  term.keys('Down');
  await term.waitFor(/Tokens of old-pms/);
  term.keys('Tab');
  term.keys('x');
  await term.waitFor(/Revoke token \d+ "front desk" of old-pms/);
  term.keys('y');
  await term.waitFor(/#\d+\s+front desk\s+revoked/);
  assert.equal((await daemon.request('GET', '/api/v1/scans', { token })).status, 401, 'the API refuses the revoked token');
  // The audit screen names the token's calls by the same id.
  term.keys('6');
  await term.waitFor(new RegExp(`principal:${client.id}\\s+scan\\.`));

  // The hold: listed by name and birth date with the id, lifted after a question.
  term.keys('7');
  pane = await term.waitFor(new RegExp(`›Mustermann, Erika \\(1961-05-05\\)\\s+${erika.id} "claim 2026-17"`));
  term.keys('l');
  await term.waitFor(/Lift the hold on Mustermann, Erika \(1961-05-05\)\?/);
  term.keys('y');
  await term.waitFor(/no patient is on legal hold/);
  assert.equal((await admin.legalHold(erika.id)).hold, false, 'the API says the hold is lifted');

  term.keys('q');
  await term.waitFor(/console exited with 0/);
});
