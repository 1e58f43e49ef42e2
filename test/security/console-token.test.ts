// Point 7 of the security brief: the console takes its token from a file or CUSP_TOKEN, not
// from the command line that ps shows every user; --token still works but warns.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { consoleToken } from '../../daemon/commands/console.js';
import { runCli } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const TOKEN = `cusp_${'Q'.repeat(43)}`;

function io(env: NodeJS.ProcessEnv = {}) {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  return { io: { env, stderr }, warnings: () => text };
}

test('the console token comes from --token-file or CUSP_TOKEN silently; --token is refused, since ps shows it', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'token');
  writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
  const a = io();
  assert.equal(consoleToken({ 'token-file': file }, a.io), TOKEN);
  assert.equal(a.warnings(), '');
  chmodSync(file, 0o644);
  const loose = io();
  assert.equal(consoleToken({ 'token-file': file }, loose.io), TOKEN);
  assert.match(loose.warnings(), /readable by other users — chmod 600 it/);
  const env = io({ CUSP_TOKEN: TOKEN });
  assert.equal(consoleToken({}, env.io), TOKEN);
  assert.equal(env.warnings(), '');
  assert.throws(() => consoleToken({ token: TOKEN }, io().io), /--token would show the token to every user of this machine \(ps\) — put it in a file only you can read and pass --token-file FILE, or set the CUSP_TOKEN variable/);
  writeFileSync(file, 'two words\n');
  assert.throws(() => consoleToken({ 'token-file': file }, io().io), /must hold the token alone on one line/);

  // The real command: with --token-file the token is on no command line, and it gets as far
  // as the terminal check; --token stops before anything is sent.
  chmodSync(file, 0o600);
  writeFileSync(file, `${TOKEN}\n`);
  const viaFile = await runCli(['console', '--url', 'https://127.0.0.1:19720', '--token-file', file], { env: { CUSP_CONFIG: '', CUSP_TOKEN: '' } });
  assert.equal(viaFile.code, 2);
  assert.match(viaFile.stderr, /^cusp console: needs an interactive terminal/);
  const viaArgv = await runCli(['console', '--url', 'https://127.0.0.1:19720', '--token', TOKEN], { env: { CUSP_CONFIG: '', CUSP_TOKEN: '' } });
  assert.equal(viaArgv.code, 2);
  assert.match(viaArgv.stderr, /^cusp console: --token would show the token to every user/);
});
