import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import { errorMiddleware } from '../../src/api/errors.js';
import { CuspError } from '../../src/errors.js';

function get(port: number, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    }).on('error', reject).end();
  });
}

test('errors leave as {"error": {code, message}} with the status of the one table; internals stay hidden', async (t) => {
  const logged: Array<[string, object | undefined]> = [];
  const app = new Koa();
  app.silent = true;
  app.use(errorMiddleware({ error: (m, meta) => logged.push([m, meta]) }));
  const router = new Router();
  router.get('/rejected', () => { throw new CuspError('mesh_rejected', 'upper.stl is truncated'); });
  router.get('/boom', () => { throw new Error('SQLITE_CORRUPT at /var/lib/cusp/cusp.db'); });
  router.get('/koa', (ctx) => ctx.throw(413, 'too big'));
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  t.after(() => server.close());
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;

  assert.deepEqual(await get(port, '/rejected'), { status: 422, body: { error: { code: 'mesh_rejected', message: 'upper.stl is truncated' } } });
  const boom = await get(port, '/boom');
  assert.equal(boom.status, 500);
  assert.deepEqual(boom.body, { error: { code: 'internal', message: 'internal error — the daemon log has the details' } });
  assert.equal(logged.length, 1, 'the internal error is logged');
  assert.deepEqual(await get(port, '/koa'), { status: 413, body: { error: { code: 'payload_too_large', message: 'too big' } } });
  assert.deepEqual(await get(port, '/nowhere'), { status: 404, body: { error: { code: 'not_found', message: 'no route for GET /nowhere' } } });
});
