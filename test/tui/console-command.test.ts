// `cusp console` as a command: its usage, and the clear one-line refusals before any
// screen is drawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/daemon.js';

test('cusp console --help explains the socket, --url with a token, the lock and the keys', async () => {
  const r = await runCli(['console', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /usage: cusp console \[--config FILE\] \[--socket PATH\]/);
  assert.match(r.stdout, /--url https:\/\/HOST:PORT \[--token-file FILE\] \[--ca FILE\]/);
  assert.match(r.stdout, /never the command line, which every user sees in ps/);
  assert.match(r.stdout, /never opens the database and never holds the database key/);
  assert.match(r.stdout, /console\.idleLockMinutes/);
});

test('wrong combinations and a missing terminal are refused with one line and exit status 2', async () => {
  const cases: Array<[string[], RegExp, NodeJS.ProcessEnv?]> = [
    [['console', '--url', 'http://cusp.lan:8443'], /--url must be https:\/\/ \(the API speaks TLS only\)/, { CUSP_TOKEN: 't' }],
    [['console', '--url', 'not a url'], /--url not a url is not a URL/, { CUSP_TOKEN: 't' }],
    [['console', '--url', 'https://cusp.lan:8443'], /--url needs a token: --token-file FILE or the CUSP_TOKEN variable/, { CUSP_TOKEN: '' }],
    [['console', '--url', 'https://cusp.lan:8443', '--token-file', '/nonexistent/token'], /--token-file \/nonexistent\/token cannot be read: ENOENT/],
    [['console', '--url', 'https://cusp.lan:8443', '--ca', '/nonexistent/ca.crt'], /--ca \/nonexistent\/ca\.crt cannot be read: ENOENT/, { CUSP_TOKEN: 't' }],
    [['console', '--token', 't'], /--token-file, --token and --ca go with --url/],
    [['console', '--url', 'https://cusp.lan:8443', '--token', 't'], /--token would show the token to every user of this machine \(ps\) — put it in a file only you can read and pass --token-file FILE, or set the CUSP_TOKEN variable/],
    [['console', '--url', 'https://cusp.lan:8443', '--socket', '/run/cusp.sock', '--token', 't'], /give --url or --socket, not both/],
    [['console', '--socket', '/run/cusp.sock'], /needs an interactive terminal \(stdin and stdout must be a TTY\)/],
  ];
  for (const [args, message, env] of cases) {
    const r = await runCli(args, { env: { CUSP_CONFIG: '', ...env } });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  }
});
