import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { Connection, describeError, isUnreachable } from '../../tui/connection.js';

test('over the socket the word unlock opens a locked console; nothing else does', () => {
  const c = Connection.socket('/run/cusp/cusp.sock');
  assert.equal(c.locked, false);
  c.lock();
  assert.equal(c.locked, true);
  assert.throws(() => c.client, /locked/);
  assert.equal(c.unlock('open'), false);
  assert.equal(c.unlock(' UNLOCK '), true);
  assert.equal(c.locked, false);
});

test('remotely only the same token opens it again, and the locked console holds no client', () => {
  const token = 'cusp_' + 'a'.repeat(43);
  const c = Connection.remote('https://cusp.clinic.lan:8443', token);
  c.lock();
  assert.equal(c.unlock('unlock'), false);
  assert.equal(c.unlock('cusp_' + 'b'.repeat(43)), false);
  assert.equal(c.locked, true);
  assert.equal(c.unlock(token), true);
  assert.ok(c.client);
});

test('connection failures read as what to do', () => {
  const sock = { mode: 'socket' as const, target: '/run/cusp/cusp.sock' };
  const err = (code: string) => Object.assign(new Error(code), { code });
  assert.match(describeError(err('EACCES'), sock), /permission denied on the admin socket \/run\/cusp\/cusp.sock — run the console as the cusp service user/);
  assert.match(describeError(err('ENOENT'), sock), /the daemon is not running: nothing listens on the admin socket/);
  assert.match(describeError(err('DEPTH_ZERO_SELF_SIGNED_CERT'), { mode: 'remote', target: 'https://x:8443' }), /not trusted — pass --ca/);
  assert.match(describeError(new ApiError(401, 'unauthorized', 'a valid token is needed'), { mode: 'remote', target: 'https://x:8443' }), /refused the token/);
  assert.match(describeError(new ApiError(403, 'forbidden', 'admin only'), sock), /not allowed for your role: admin only/);
  assert.equal(describeError(new ApiError(404, 'not_found', 'no route for GET /api/v1/x'), sock), 'no route for GET /api/v1/x');
  assert.equal(isUnreachable(err('ECONNREFUSED')), true);
  assert.equal(isUnreachable(new ApiError(500, 'internal', 'x')), false);
});
