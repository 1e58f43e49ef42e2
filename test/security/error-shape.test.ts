// Point 7 of the security brief: every answer, the router's own 405 and 501 included, is
// the JSON error shape {"error": {"code", "message"}}.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { test } from 'node:test';
import { apiStack } from '../helpers/api.js';

function send(port: number, ca: Buffer, method: string, path: string, token?: string) {
  return new Promise<{ status: number; type: string; allow?: string; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, ca, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), allow: res.headers.allow, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('TRACE, PROPFIND and a method a route does not take answer the JSON error shape', async (t) => {
  const api = await apiStack(t);
  const cases: Array<[string, string, number, string]> = [
    ['TRACE', '/api/v1/scans', 501, 'not_implemented'],
    ['PROPFIND', '/api/v1/scans', 501, 'not_implemented'],
    ['DELETE', '/api/v1/changes', 405, 'method_not_allowed'],
    ['PUT', '/api/v1/health', 405, 'method_not_allowed'],
    ['GET', '/api/v1/nowhere', 404, 'not_found'],
  ];
  for (const [method, path, status, code] of cases) {
    const res = await send(api.port, api.ca, method, path, api.tokens.admin);
    assert.equal(res.status, status, `${method} ${path}: ${res.body}`);
    assert.match(res.type, /^application\/json/, `${method} ${path} answers JSON`);
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    assert.equal(body.error.code, code);
    assert.ok(body.error.message.length > 10, body.error.message);
    if (status === 405) {
      assert.ok(res.allow, 'a 405 keeps its Allow header');
      assert.match(body.error.message, new RegExp(`${method} is not allowed on ${path} — allowed: .*GET`));
    }
  }
});
