import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SseParser } from '../../tui/sse.js';

const STREAM = 'retry: 3000\n: connected\n\nid: 7\nevent: scan.received\ndata: {"seq":7}\n\nevent: job.progress\ndata: {"jobId":1,\ndata: "progress":0.5}\n\n: heartbeat\n\n';

test('whole events come out with their name, data lines joined and id; comments and retry are skipped', () => {
  const out = new SseParser().push(STREAM);
  assert.deepEqual(out, [
    { event: 'scan.received', data: '{"seq":7}', id: '7' },
    { event: 'job.progress', data: '{"jobId":1,\n"progress":0.5}', id: '7' },
  ]);
});

test('the same events come out however the bytes are split, with CRLF or LF, and across a split UTF-8 character', () => {
  const text = `${STREAM}event: scan.quarantined\ndata: {"file":"Müller_Jörg.stl"}\n\n`;
  const whole = new SseParser().push(text);
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 300 }), fc.boolean(), (cuts, crlf) => {
    const bytes = Buffer.from(crlf ? text.replace(/\n/g, '\r\n') : text, 'utf8');
    const parser = new SseParser();
    const got = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (cuts[i % cuts.length] === 1) {
        got.push(...parser.push(bytes.subarray(start, i)));
        start = i;
      }
    }
    got.push(...parser.push(bytes.subarray(start)));
    assert.deepEqual(got, whole);
  }), { seed: 7, numRuns: 200 });
  assert.equal(whole[2].data, '{"file":"Müller_Jörg.stl"}');
});

test('an event without a blank line after it is not emitted yet', () => {
  const p = new SseParser();
  assert.deepEqual(p.push('event: a\ndata: 1\n'), []);
  assert.deepEqual(p.push('\n'), [{ event: 'a', data: '1' }]);
});

test('one parser for the console and the client: the console carries the stream\'s last id, the client only an event\'s own', async () => {
  const { parseSse, SseParser: ClientParser } = await import('../../src/api/sse-reader.js');
  assert.equal(ClientParser, SseParser, 'tui/sse.ts is the client\'s parser');
  const own = new SseParser({ ids: 'own' }).push(STREAM);
  assert.deepEqual(own, [{ event: 'scan.received', data: '{"seq":7}', id: '7' }, { event: 'job.progress', data: '{"jobId":1,\n"progress":0.5}' }]);
  assert.deepEqual(parseSse(STREAM.replace(/\n/g, '\r\n')), { events: [{ id: 7, event: 'scan.received', data: { seq: 7 } }, { event: 'job.progress', data: { jobId: 1, progress: 0.5 } }], rest: '' });
  assert.deepEqual(new SseParser().push('event: a\nid: 1\ndata: x\n\ndata: y\n\nid\ndata: z\n\n'), [{ event: 'a', data: 'x', id: '1' }, { event: 'message', data: 'y', id: '1' }, { event: 'message', data: 'z', id: '' }],
    'an empty id line resets the last id (WHATWG), unnamed events are "message"');
});
