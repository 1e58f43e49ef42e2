/** The API's audit resources: query, export and verify. */
import { z } from 'zod';

const seq = z.coerce.number({ error: 'must be an event sequence number' }).int('must be a whole number').min(0, 'must be 0 or more').max(Number.MAX_SAFE_INTEGER);
const time = z.iso.datetime({ offset: true }).or(z.iso.date());

export const auditQuerySchema = z.strictObject({
  since: seq.default(0).describe('Events after this sequence number (the `next` of the previous page)'),
  action: z.string().regex(/^[a-z][a-z_]*(\.[a-z_]+)*(\.\*)?$/, 'must be an action like scan.read, or a family like scan.*').optional(),
  actor: z.string().regex(/^[\w:.-]{1,80}$/, 'must be an actor like principal:3, local-admin or system').optional(),
  object: z.string().regex(/^[a-z]+:[\w:.-]{1,120}$/, 'must be an object like scan:<uid> or patient:<id>').optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: time.optional().describe('At or after (ISO date or time)'),
  to: time.optional().describe('Before (ISO date or time)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const auditEventSchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  actor: z.string(),
  action: z.string(),
  object: z.string().nullable(),
  outcome: z.enum(['success', 'failure', 'denied']),
  source: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
}).meta({ id: 'AuditEvent' });

export const auditPageSchema = z.object({ events: z.array(auditEventSchema), next: z.number().int().nullable() });

export const auditExportQuerySchema = z.strictObject({
  format: z.enum(['fhir', 'syslog']).default('fhir').describe('fhir: FHIR R4 AuditEvent NDJSON; syslog: RFC 5424 lines'),
  since: seq.default(0).describe('Only events after this sequence number'),
});

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  checkpoints: z.number().int(),
  fileCheckpoints: z.number().int(),
  lastCheckpoint: z.object({ seq: z.number(), hash: z.string(), time: z.string(), keyId: z.string(), signature: z.string() }).optional(),
  problems: z.array(z.object({ seq: z.number().nullable(), message: z.string() })),
}).meta({ id: 'AuditVerification' });
export type VerifyResultDto = z.infer<typeof verifyResultSchema>;

export const auditStatusSchema = z.object({
  head: z.object({ seq: z.number().int(), time: z.string() }).nullable().describe('The newest event; null for an empty trail'),
  lastCheckpoint: z.object({ seq: z.number().int(), time: z.string(), keyId: z.string() }).nullable().describe('The newest signed checkpoint'),
  lastVerification: z.object({
    time: z.string(), actor: z.string(), ok: z.boolean(), events: z.number().int().nullable(),
  }).nullable().describe('The newest audit.verify event (API, console or `cusp audit verify`)'),
  verifying: z.object({ done: z.number().int(), total: z.number().int() }).nullable().describe('A verification running now, and how far it got'),
}).meta({ id: 'AuditStatus' });
export type AuditStatusDto = z.infer<typeof auditStatusSchema>;
