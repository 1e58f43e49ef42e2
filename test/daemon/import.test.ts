import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon, writeConfig, freePort } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const skip = !hasCorpus() && 'no corpus';

test('cusp import takes files in through the running daemon: stored, duplicate and unreadable files each get their line; the files stay where they are', { skip }, async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(dir, { extraConfig: `store:\n  keyFile: ${keyFile}\n` });
  t.after(() => daemon.stop('SIGKILL'));
  const good = join(dir, 'Muster_Max_2026-11-20_upper.stl');
  const again = join(dir, 'copy-of-upper.stl');
  const broken = join(dir, 'Broken_Case_2026-11-21_lower.stl');
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth14_molar.stl'), good);
  copyFileSync(good, again);
  copyFileSync(corpusPath('broken/derived_tooth24_header_overclaims.stl'), broken);

  const r = await runCli(['import', good, broken, again, '--config', daemon.configPath], { cwd: dir });
  assert.equal(r.code, 1, 'one file was not taken in');
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], new RegExp(`^${good}: stored as scan [0-9a-f-]{36} \\(upper, stl\\)$`));
  const uid = /scan ([0-9a-f-]{36})/.exec(lines[0])![1];
  assert.match(lines[1], new RegExp(`^${again}: already stored as scan ${uid}`));
  assert.match(r.stderr, new RegExp(`^${broken}: not taken in: .*(header|triangles|truncated)`, 'm'));
  assert.ok(existsSync(good) && existsSync(broken), 'import never deletes the given files');
  assert.equal(await daemon.stop(), 0);

  const stopped = await runCli(['import', good, '--config', daemon.configPath], { cwd: dir });
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /^cusp import: the daemon is not running — start it/);
});

test('cusp import without files is a usage error', async (t) => {
  const dir = tempDir(t);
  const r = await runCli(['import', '--config', writeConfig(dir, await freePort())], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /name at least one file/);
});
