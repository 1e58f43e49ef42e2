/**
 * The audit trail for auditors (and admins): query it, export it (FHIR R4 AuditEvent
 * NDJSON or RFC 5424 syslog lines), verify the chain and its signed checkpoints.
 */
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import { auditExportLines, exportMediaType } from '../../audit/export.js';
import { queryAudit } from '../../audit/query.js';
import { verifyAuditAsync, type VerifyResult } from '../../audit/verify.js';
import { CuspError } from '../../errors.js';
import { route } from '../route.js';
import { auditExportQuerySchema, auditPageSchema, auditQuerySchema, auditStatusSchema, verifyResultSchema } from '../schemas/audit.js';
import type { ApiServices } from '../services.js';

const AUDITORS = ['admin', 'auditor'] as const;

/** How often a running verification reports its progress on the event bus. */
const VERIFY_PROGRESS_MS = 250;

export function auditRoutes(s: ApiServices) {
  const { store, audit, bus } = s;
  const lastVerify = store.db.prepare<[], { time: string; actor: string; outcome: string; details: string }>(
    "SELECT time, actor, outcome, details FROM audit_events WHERE action = 'audit.verify' ORDER BY seq DESC LIMIT 1",
  );
  const headEvent = store.db.prepare<[], { seq: number; time: string }>('SELECT seq, time FROM audit_events ORDER BY seq DESC LIMIT 1');
  /** The verification under way (one at a time: a second request waits for the same pass). */
  let verifying: { promise: Promise<VerifyResult>; done: number; total: number } | undefined;
  const verify = (): Promise<VerifyResult> => {
    if (verifying) return verifying.promise;
    let lastEmit = 0;
    const run: { promise: Promise<VerifyResult>; done: number; total: number } = { promise: Promise.resolve(undefined as never), done: 0, total: 0 };
    run.promise = verifyAuditAsync(store.db, {
      ...audit.verifyOptions(),
      onProgress: (done, total) => {
        run.done = done;
        run.total = total;
        const now = Date.now();
        if (now - lastEmit >= VERIFY_PROGRESS_MS || done === total) {
          lastEmit = now;
          bus.emit('audit.verify.progress', { done, total });
        }
      },
    }).finally(() => {
      verifying = undefined;
    });
    verifying = run;
    return run.promise;
  };
  return [
    route({
      method: 'GET', path: '/audit', tag: 'audit', access: AUDITORS, summary: 'Audit events, oldest first, filtered by action (or family like scan.*), actor, object, outcome and time',
      query: auditQuerySchema, response: auditPageSchema,
      handler: ({ query }) => queryAudit(store.db, query),
      audit: ({ query }, result) => ({
        action: 'audit.query', object: null,
        details: { count: result.events.length, filter: Object.fromEntries(Object.entries(query).filter(([k, v]) => v !== undefined && k !== 'limit')) },
      }),
    }),
    route({
      method: 'GET', path: '/audit/export', tag: 'audit', access: AUDITORS, produces: 'application/fhir+ndjson',
      summary: 'The audit trail as FHIR R4 AuditEvent NDJSON (format=fhir) or RFC 5424 syslog lines (format=syslog), streamed',
      query: auditExportQuerySchema,
      handler: ({ ctx, query }) => {
        const source = { instanceId: store.meta.get('instance_id') ?? 'unknown', hostname: hostname(), version: s.version };
        ctx.type = exportMediaType(query.format);
        ctx.set('Content-Disposition', `attachment; filename="cusp-audit.${query.format === 'fhir' ? 'ndjson' : 'log'}"`);
        ctx.body = Readable.from(auditExportLines(audit, query.format, source, query.since));
        return undefined;
      },
      audit: ({ query }) => ({ action: 'audit.export', object: null, details: { format: query.format, since: query.since } }),
    }),
    route({
      method: 'POST', path: '/audit/verify', tag: 'audit', access: AUDITORS,
      summary: 'Verify every event hash, link and signed checkpoint (database and file); names the first bad event',
      response: verifyResultSchema,
      handler: () => verify(),
      audit: (_input, result) => ({ action: 'audit.verify', object: null, outcome: result.ok ? 'success' : 'failure', details: { events: result.events, problems: result.problems.length } }),
    }),
    route({
      method: 'GET', path: '/audit/status', tag: 'audit', access: AUDITORS,
      summary: 'The state of the trail: newest event, newest signed checkpoint, last verification and one running now',
      response: auditStatusSchema,
      handler: () => {
        const head = headEvent.get();
        const checkpoint = audit.lastCheckpoint();
        const last = lastVerify.get();
        let events: number | null = null;
        if (last) {
          try {
            const n = (JSON.parse(last.details) as { events?: unknown }).events;
            events = typeof n === 'number' ? n : null;
          } catch {
            throw new CuspError('internal', 'the last audit.verify event has unreadable details');
          }
        }
        return {
          head: head ?? null,
          lastCheckpoint: checkpoint ? { seq: checkpoint.seq, time: checkpoint.time, keyId: checkpoint.keyId } : null,
          lastVerification: last ? { time: last.time, actor: last.actor, ok: last.outcome === 'success', events } : null,
          verifying: verifying ? { done: verifying.done, total: verifying.total } : null,
        };
      },
    }),
  ];
}
