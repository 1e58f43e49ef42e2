/**
 * `GET /events`: the live event stream (Server-Sent Events) — every change of the changes
 * feed with its sequence number as the event id, and job progress at least every 2 s while
 * a job runs. A client that reconnects with `Last-Event-ID` loses nothing. Job events name
 * their scan by uid (`scan`) and its patient by pseudonymous id (`patient`), as the API does.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { scanRefs } from '../../events/api-ids.js';
import { LiveStream } from '../live-stream.js';
import { ALL_ROLES, route } from '../route.js';
import type { ApiServices } from '../services.js';

const seq = z.coerce.number({ error: 'must be a change sequence number' }).int('must be a whole number').min(0, 'must be 0 or more').max(Number.MAX_SAFE_INTEGER);

export function eventRoutes(s: ApiServices) {
  const { store } = s;
  const refs = scanRefs(store.scans);
  return [
    route({
      method: 'GET', path: '/events', tag: 'changes', access: ALL_ROLES, produces: 'text/event-stream',
      summary: 'Live events (Server-Sent Events): every change with its seq as id, job progress at least every 2 s; Last-Event-ID resumes',
      query: z.strictObject({ since: seq.optional().describe('Replay changes after this seq first (Last-Event-ID wins when both are sent)') }),
      handler: ({ ctx, query, principal }) => {
        // A client that does not take an event stream (a plain JSON client) would wait forever.
        if (!ctx.accepts('text/event-stream')) throw new CuspError('bad_request', 'GET /events is a Server-Sent Events stream: send "Accept: text/event-stream" (GET /changes is the same feed for polling)');
        const header = ctx.get('Last-Event-ID');
        if (header && !/^\d{1,15}$/.test(header)) throw new CuspError('invalid_input', 'Last-Event-ID must be the id of an event this stream sent (a whole number)');
        const since = header ? Number(header) : query.since ?? store.changes.lastSeq();
        const live = new LiveStream({ bus: s.bus, changes: store.changes, running: s.dispatcher ? () => s.dispatcher!.running() : undefined, since, role: principal.role, scanRefs: refs }).start();
        ctx.req.socket.setTimeout(0);
        ctx.req.socket.setNoDelay(true);
        ctx.req.on('close', () => live.close());
        ctx.status = 200;
        ctx.type = 'text/event-stream';
        ctx.set('X-Accel-Buffering', 'no');
        ctx.body = live.stream;
        return undefined;
      },
      audit: ({ ctx, query }) => ({ action: 'events.subscribe', object: null, details: { since: ctx.get('Last-Event-ID') || query.since || null } }),
    }),
  ];
}
