// End to end: `cusp console` in a real terminal (tmux) against a real daemon. A corpus scan
// dropped into the inbox appears on the scans screen with its verdict, read back from the
// captured pane; the detail shows the report; q returns to the shell with status 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { CLI } from '../helpers/daemon.js';
import { consoleDaemon } from './console-helpers.js';
import { tmux } from './tmux.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const skip = !hasTmux ? 'tmux is not installed (apt-get install tmux) — the console end-to-end test needs a real terminal' : !hasCorpus() ? 'no corpus' : false;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('cusp console in tmux shows a dropped scan and its verdict, live', { skip }, async (t) => {
  const { daemon, inbox } = await consoleDaemon(t);
  const term = tmux(`cusp-e2e-${process.pid}`);
  t.after(() => term.kill());
  // Ink prints only a final frame when it thinks it runs in CI: the console resets that itself; CI=true here proves it.
  const command = `env CI=true TERM=xterm-256color ${process.execPath} ${CLI} console --config ${daemon.configPath}; echo "console exited with $?"; sleep 30`;
  term.run('new-session', '-d', '-s', 'console', '-x', '100', '-y', '30', command);

  // The figures come with requests of their own after the health line: wait for them.
  let pane = await term.waitFor(/Daemon\s+ready · v\d[\s\S]*Scans\s+today 0/);
  assert.match(pane, /1 Overview 2 Scans 3 Jobs 4 Folders 5 Access 6 Audit 7 Maintenance \? help q quit/);
  assert.equal(pane.split('\n').filter((l) => l.startsWith('Cusp ▸')).length, 1, `one header, no stale lines:\n${pane}`);

  copyFileSync(corpusPath('dental/openfulljaw_P26_mandible_tooth19_molar.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_lower.stl'));
  // While the scan comes in and its jobs run the screen redraws: no snapshot may catch a torn frame.
  for (let i = 0; i < 60 && !/Scans\s+today 1/.test(pane); i++) {
    pane = term.pane();
    const lines = pane.split('\n');
    assert.match(lines[0], /^Cusp ▸ Overview /, `a whole frame at every moment:\n${pane}`);
    assert.ok(lines.some((l) => l.startsWith('1 Overview 2 Scans')), `a whole frame at every moment:\n${pane}`);
    await sleep(25);
  }
  pane = await term.waitFor(/Scans\s+today 1/, 60_000);

  term.keys('2');
  pane = await term.waitFor(/p_[a-z2-7]{16}\s+lower\s+(validated|analysed)\s+ok\s+Mustermann_Erika_2026-11-20_lower\.stl/, 60_000);
  assert.match(pane, /Cusp ▸ Scans/);

  term.keys('Enter');
  // The patient's name comes with a request of its own, after the scan's ("…" until then).
  pane = await term.waitFor(/Patient: Mustermann, Erika p_[a-z2-7]{16}/);
  assert.match(pane, /Good: no problems found\./);
  assert.equal(pane.split('\n').filter((l) => l.startsWith('Cusp ▸')).length, 1, `one header, no stale lines:\n${pane}`);
  assert.ok(pane.split('\n').every((l) => Array.from(l).length < 100), 'the last column stays free');
  assert.match(pane, /Status: (validated|analysed) · verdict OK/);
  assert.match(pane, /43,980 triangles/);
  assert.match(pane, /Patient: Mustermann, Erika p_[a-z2-7]{16}/);

  term.keys('Escape');
  await term.waitFor(/Cusp ▸ Scans .*\n.*\d+ shown/);
  term.keys('q');
  pane = await term.waitFor(/console exited with 0/);
  assert.doesNotMatch(pane, /Cusp ▸/, 'the alternate screen is gone: the shell is as it was');
});

test('cusp console locks after console.idleLockMinutes of the config and opens again with the word unlock', { skip }, async (t) => {
  const { daemon } = await consoleDaemon(t, 'console:\n  idleLockMinutes: 0.05\n');
  const term = tmux(`cusp-lock-${process.pid}`);
  t.after(() => term.kill());
  term.run('new-session', '-d', '-s', 'console', '-x', '80', '-y', '24', `env TERM=xterm-256color ${process.execPath} ${CLI} console --config ${daemon.configPath}; sleep 30`);
  await term.waitFor(/Daemon\s+ready · v\d/);
  term.keys('4');
  await term.waitFor(/inbox\s+watching/);
  let pane = await term.waitFor(/Console locked/, 20_000);
  assert.match(pane, /Locked after 3s without a key press \(automatic logoff\)/);
  assert.doesNotMatch(pane, /inbox/, 'nothing of the daemon stays on screen');
  assert.match(pane, /To open it, type the word 'unlock' and press Enter\./);
  // Typed fast, in one burst with its Enter: every key counts.
  term.keys('unlock', 'Enter');
  pane = await term.waitFor(/inbox\s+watching/);
  assert.match(pane, /^Cusp ▸ Folders/);
});

test('cusp console in tmux applies every key of a burst, in order, and takes a bracketed paste whole without pressing Enter', { skip }, async (t) => {
  const { daemon } = await consoleDaemon(t);
  const term = tmux(`cusp-burst-${process.pid}`);
  t.after(() => term.kill());
  term.run('new-session', '-d', '-s', 'console', '-x', '80', '-y', '24', `env TERM=xterm-256color ${process.execPath} ${CLI} console --config ${daemon.configPath}; sleep 30`);
  await term.waitFor(/Daemon\s+ready · v\d/);
  term.keys('6');
  let pane = await term.waitFor(/Cusp ▸ Audit[\s\S]*\n\s*Seq\s+Time[\s\S]*#4\s/);
  const rows = (p: string) => p.split('\n').slice(p.split('\n').findIndex((l) => /^\s*Seq\s+Time/.test(l)) + 1).filter((l) => /#\d+/.test(l));
  assert.ok(rows(pane).length >= 4, `at least four events listed:\n${pane}`);
  // j three times in one write: the fourth row is selected.
  term.keys('jjj');
  pane = await term.waitFor(/›/);
  await sleep(500);
  pane = term.pane();

  assert.equal(rows(pane).findIndex((l) => l.includes('›')), 3, `the fourth row is selected:\n${pane}`);

  // Typed ahead with a held Backspace: the field shows what the keys make, in order.
  term.keys('f');
  await term.waitFor(/Filter: from=/);
  term.keys('C-u', 'actorXXX', 'BSpace', 'BSpace', 'BSpace');
  pane = await term.waitFor(/Filter: actor\b/);
  assert.doesNotMatch(pane, /Filter: actorX/);

  // A pasted line (with its line break) fills the field and leaves it open; Enter then submits.
  term.keys('C-u');
  term.run('set-buffer', '-b', 'paste', 'action=daemon.start\n');
  term.run('paste-buffer', '-p', '-b', 'paste', '-t', 'console');
  pane = await term.waitFor(/Filter: action=daemon\.start/);
  await sleep(500);
  pane = term.pane();
  assert.match(pane, /Filter: action=daemon\.start/, `the field is still open after the paste:\n${pane}`);
  term.keys('Enter');
  pane = await term.waitFor(/^Filter action=daemon\.start · page 1 · 1 events/m);
});
