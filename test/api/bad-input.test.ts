// Every kind of bad input gets a clear 4xx with {"error": {"code", "message"}} that names
// the problem — never a 500, never a stack trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestOptions } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';

interface Case {
  what: string;
  method: string;
  path: string;
  options?: RequestOptions;
  status: number;
  code: string;
  /** A word the message must contain: it says what is wrong. */
  says: RegExp;
}

const json = (text: string) => ({ raw: { bytes: Buffer.from(text), contentType: 'application/json' } });

const CASES: Case[] = [
  { what: 'bad JSON', method: 'POST', path: '/principals', options: json('{"name": "a",'), status: 400, code: 'bad_request', says: /not valid JSON/ },
  { what: 'JSON that is not an object', method: 'POST', path: '/principals', options: json('[1,2]'), status: 400, code: 'invalid_input', says: /body/ },
  { what: 'a wrong type', method: 'POST', path: '/principals', options: { body: { name: 42, role: 'admin' } }, status: 400, code: 'invalid_input', says: /body\.name/ },
  { what: 'a wrong type in a nested list', method: 'POST', path: '/folders/test-rule', options: { body: { rule: 'generic', names: ['a.stl', 7] } }, status: 400, code: 'invalid_input', says: /body\.names\.1/ },
  { what: 'an unknown field', method: 'POST', path: '/principals', options: { body: { name: 'a', role: 'admin', isRoot: true } }, status: 400, code: 'invalid_input', says: /unknown field isRoot/ },
  { what: 'a 2 MB JSON body', method: 'POST', path: '/principals', options: { body: { name: 'a', role: 'admin', kind: 'x'.repeat(2 * 1024 * 1024) } }, status: 413, code: 'payload_too_large', says: /larger than/ },
  { what: 'a body that is not JSON', method: 'POST', path: '/principals', options: { raw: { bytes: Buffer.from('name=a'), contentType: 'application/x-www-form-urlencoded' } }, status: 415, code: 'unsupported_media_type', says: /application\/json/ },
  { what: 'path traversal in a folder name', method: 'GET', path: '/folders/..%2F..%2Fetc/quarantine', status: 400, code: 'invalid_input', says: /plain folder name/ },
  { what: 'a folder named ..', method: 'DELETE', path: '/folders/..', status: 400, code: 'invalid_input', says: /plain folder name/ },
  { what: 'path traversal in a patient id', method: 'GET', path: '/patients/..%2F..%2Fetc%2Fpasswd/export', status: 400, code: 'invalid_input', says: /patient id/ },
  { what: 'path traversal in a rule tester name', method: 'POST', path: '/folders/test-rule', options: { body: { rule: 'generic', names: ['../../../etc/shadow'] } }, status: 400, code: 'invalid_input', says: /inside the folder/ },
  { what: 'a non-UUID scan uid', method: 'GET', path: '/scans/not-a-uuid', status: 400, code: 'invalid_input', says: /scan uid/ },
  { what: 'SQL in a scan uid', method: 'GET', path: `/scans/${encodeURIComponent("1' OR '1'='1")}`, status: 400, code: 'invalid_input', says: /scan uid/ },
  { what: 'a token id that is not a number', method: 'DELETE', path: '/tokens/abc', status: 400, code: 'invalid_input', says: /token id/ },
  { what: 'a huge limit', method: 'GET', path: '/changes', options: { query: { limit: 1_000_000 } }, status: 400, code: 'invalid_input', says: /query\.limit/ },
  { what: 'a huge audit limit', method: 'GET', path: '/audit', options: { query: { limit: '99999999999999999999' } }, status: 400, code: 'invalid_input', says: /query\.limit/ },
  { what: 'a negative seq', method: 'GET', path: '/changes', options: { query: { since: -1 } }, status: 400, code: 'invalid_input', says: /query\.since/ },
  { what: 'an unknown query parameter', method: 'GET', path: '/audit', options: { query: { drop: 'table' } }, status: 400, code: 'invalid_input', says: /unknown field drop/ },
  { what: 'a body on GET', method: 'GET', path: '/changes', options: { body: { since: 0 } }, status: 400, code: 'bad_request', says: /takes no body/ },
  { what: 'a bad Last-Event-ID', method: 'GET', path: '/events', options: { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '../1' } }, status: 400, code: 'invalid_input', says: /Last-Event-ID/ },
  { what: 'a plain JSON client on the event stream', method: 'GET', path: '/events', status: 400, code: 'bad_request', says: /text\/event-stream/ },
  { what: 'an unknown export format', method: 'GET', path: '/audit/export', options: { query: { format: 'xml' } }, status: 400, code: 'invalid_input', says: /query\.format/ },
  { what: 'zero retention years', method: 'PUT', path: '/retention', options: { body: { scansYears: 0 } }, status: 400, code: 'invalid_input', says: /at least 1 year/ },
  { what: 'a dry run that is neither true nor false', method: 'POST', path: '/retention/purge', options: { query: { dryRun: 'maybe' } }, status: 400, code: 'invalid_input', says: /query\.dryRun/ },
  { what: 'a hold without a reason', method: 'PUT', path: '/patients/p_aaaaaaaaaaaaaaaa/legal-hold', options: { body: { hold: true } }, status: 400, code: 'invalid_input', says: /reason is required/ },
  { what: 'an erasure of an unknown patient', method: 'DELETE', path: '/patients/p_aaaaaaaaaaaaaaaa', options: { body: { confirm: 'p_aaaaaaaaaaaaaaaa' } }, status: 404, code: 'not_found', says: /no patient/ },
  { what: 'a relative folder path', method: 'POST', path: '/folders', options: { body: { path: 'inbox2' } }, status: 400, code: 'invalid_input', says: /absolute path/ },
];

test('bad input of every kind is a clear 4xx naming the problem, never a 500', async (t) => {
  const api = await apiStack(t);
  const admin = api.as('admin');
  for (const c of CASES) {
    const res = await admin.send(c.method, c.path, c.options);
    const body = res.body as { error?: { code?: string; message?: string } };
    assert.equal(res.status, c.status, `${c.what}: ${c.method} ${c.path} gave ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    assert.equal(body.error?.code, c.code, `${c.what}: error code`);
    assert.match(body.error?.message ?? '', c.says, `${c.what}: the message says what is wrong`);
    assert.doesNotMatch(body.error?.message ?? '', /\n\s+at /, `${c.what}: no stack trace`);
  }
  assert.doesNotMatch(api.captured.text(), /unexpected error/, 'no request ended in a 500');
});
