/**
 * The audit trail for auditors (and admins): query it, export it (FHIR R4 AuditEvent
 * NDJSON or RFC 5424 syslog lines), verify the chain and its signed checkpoints.
 */
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import { auditExportLines, exportMediaType } from '../../audit/export.js';
import { queryAudit } from '../../audit/query.js';
import { AuditVerification } from '../../audit/verification.js';
import { CuspError } from '../../errors.js';
import { route } from '../route.js';
import { auditExportQuerySchema, auditPageSchema, auditQuerySchema, auditStatusSchema, verifyResultSchema } from '../schemas/audit.js';
import type { ApiServices } from '../services.js';

const AUDITORS = ['admin', 'auditor'] as const;

export function auditRoutes(s: ApiServices) {
  const { store, audit, bus } = s;
  // The verification's single-flight state lives in the service, one per set of routes.
  const verification = new AuditVerification({ rows: store.auditEvents, audit, bus });
  return [
    route({
      method: 'GET', path: '/audit', tag: 'audit', access: AUDITORS, summary: 'Audit events, oldest first, filtered by action (or family like scan.*), actor, object, outcome and time',
      query: auditQuerySchema, response: auditPageSchema,
      handler: ({ query }) => queryAudit(store.auditEvents, query),
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
      audits: 'audit.verify',
      handler: async ({ record }) => {
        const result = await verification.verify();
        record({ audit: { action: 'audit.verify', object: null, outcome: result.ok ? 'success' : 'failure', details: { events: result.events, problems: result.problems.length } } });
        return result;
      },
    }),
    route({
      method: 'GET', path: '/audit/status', tag: 'audit', access: AUDITORS,
      summary: 'The state of the trail: newest event, newest signed checkpoint, last verification and one running now',
      response: auditStatusSchema,
      handler: () => {
        const checkpoint = audit.lastCheckpoint();
        let last;
        try {
          last = verification.last();
        } catch (err) {
          throw new CuspError('internal', (err as Error).message);
        }
        return {
          head: verification.head(),
          lastCheckpoint: checkpoint ? { seq: checkpoint.seq, time: checkpoint.time, keyId: checkpoint.keyId } : null,
          lastVerification: last,
          verifying: verification.progress(),
        };
      },
    }),
  ];
}
