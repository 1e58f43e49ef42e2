// Point 3 of the security brief: connections are bounded. Bodies trickled a byte every 5 s
// and headers trickled a line every 5 s are cut (with the config's default limits), while
// the API keeps answering others.
import assert from 'node:assert/strict';
import { connect, type TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { apiStack } from '../helpers/api.js';
import { until } from '../helpers/until.js';

interface Trickler {
  socket: TLSSocket;
  /** Trickled bytes written before the server closed the connection. */
  sent: number;
  closed: boolean;
}

function trickle(port: number, ca: Buffer, head: string, drip: string, everyMs: number): Promise<Trickler> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const t: Trickler = { socket, sent: 0, closed: false };
      socket.write(head);
      const timer = setInterval(() => {
        if (!socket.writable) return;
        socket.write(drip);
        t.sent++;
      }, everyMs);
      socket.on('close', () => {
        t.closed = true;
        clearInterval(timer);
      });
      resolve(t);
    });
    socket.on('error', () => { /* the server cut us: that is the point */ });
    socket.once('error', reject);
  });
}

test('trickled bodies and trickled headers are cut within 60 s with the default limits; others are still served', { timeout: 180_000 }, async (t) => {
  const api = await apiStack(t);
  const body = `POST /api/v1/principals HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${api.tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`;
  const bodies = await Promise.all(Array.from({ length: 25 }, () => trickle(api.port, api.ca, body, ' ', 5000)));
  const headers = await Promise.all(Array.from({ length: 25 }, () => trickle(api.port, api.ca, 'GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n', 5000)));
  t.after(() => [...bodies, ...headers].forEach((x) => x.socket.destroy()));

  assert.equal((await api.as('clinician').send('GET', '/scans')).status, 200, 'the API answers while 50 slow clients hold connections');
  await until('every slow connection is cut', () => [...bodies, ...headers].every((x) => x.closed), 150_000);
  // A byte every 5 s: 12 bytes would be a minute. Counted, not timed.
  const most = (list: Trickler[]) => Math.max(...list.map((x) => x.sent));
  assert.ok(most(bodies) <= 12, `bodies cut after at most 12 trickled bytes (≤ 60 s), saw ${most(bodies)}`);
  assert.ok(most(headers) <= 12, `headers cut after at most 12 trickled lines (≤ 60 s), saw ${most(headers)}`);
  assert.equal(api.store.principals.list().length, 4, 'no trickled request created anything');
  assert.equal((await api.as('clinician').send('GET', '/scans')).status, 200);
});
