/**
 * Scans: list with filters and cursor pages, detail with the report, the original file, and
 * assigning a scan to its patient — which completes the visit: the comparison with the
 * patient's previous scan of that jaw and the bite with the visit's other jaw are queued.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { record } from '../../events/record.js';
import { CLINICAL, JsonText, route } from '../route.js';
import { nextScan, queueVisitAnalyses } from '../../jobs/handlers/visit-analyses.js';
import { ScanFiles, sendFile } from '../scan-files.js';
import { pseudoIdSchema } from '../schemas/patient.js';
import { meshReportSchema } from '../schemas/mesh-report.js';
import { decodeCursor, encodeCursor, jawSchema, SCAN_DTO_JSON, scanDto, scanSchema, statusSchema, verdictSchema } from '../schemas/scan.js';
import type { ApiServices } from '../services.js';
import { visitOfDay } from '../../ingest/visit-of-day.js';

const uidParams = z.strictObject({ uid: z.uuid({ error: 'must be a scan uid' }) });

const assignBody = z.strictObject({
  patient: pseudoIdSchema,
  jaw: jawSchema.optional(),
  capturedAt: z.iso.date('must be a date like 2026-11-20').optional(),
  move: z.literal(true).optional().describe('Move a scan filed under another patient (a misfiled scan) to this one; without it such a scan is a 409'),
});

const listQuery = z.strictObject({
  patient: z.string().min(1).optional().describe('Pseudonymous patient id'),
  unassigned: z.enum(['true', 'false']).optional().describe('Only scans not assigned to a patient'),
  jaw: jawSchema.optional(),
  status: statusSchema.optional().describe('validated: every scan that passed validation, analysed ones included; analysed: those whose analyses have all ended'),
  verdict: verdictSchema.optional(),
  folder: z.string().min(1).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Received at or after'),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Received before'),
  sort: z.enum(['received', 'captured']).default('received'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('The `next` value of the previous page'),
});

export function scanRoutes(s: ApiServices) {
  const { store } = s;
  const files = new ScanFiles(s);
  const find = (uid: string) => files.scan(uid);
  return [
    route({
      method: 'GET', path: '/scans', tag: 'scans', access: CLINICAL, summary: 'List scans, newest first, with filters and cursor pages',
      query: listQuery,
      response: z.object({ scans: z.array(scanSchema), next: z.string().nullable() }),
      handler: ({ query }) => {
        let patientId: number | undefined;
        if (query.patient) {
          const patient = store.patients.getByPseudoId(query.patient);
          if (!patient) return new JsonText('{"scans":[],"next":null}', 0);
          patientId = patient.id;
        }
        const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
        if (query.cursor !== undefined && !after) throw new CuspError('invalid_input', 'query.cursor: not a cursor this API gave out — start again without it');
        const page = store.scans.listAs({
          patientId, unassigned: query.unassigned === 'true', jaw: query.jaw, status: query.status, verdict: query.verdict, source: query.folder,
          receivedFrom: query.from, receivedTo: query.to, sort: query.sort, order: query.order, limit: query.limit, after,
        }, SCAN_DTO_JSON);
        const next = page.next ? encodeCursor(page.next) : null;
        return new JsonText(`{"scans":[${page.rows.join(',')}],"next":${JSON.stringify(next)}}`, page.rows.length);
      },
      audit: (_input, result) => ({ action: 'scan.list', details: { count: result.items }, object: null }),
    }),
    route({
      method: 'GET', path: '/scans/:uid', tag: 'scans', access: CLINICAL, summary: 'One scan with its validation report, arrivals and jobs',
      params: uidParams,
      response: scanSchema.extend({
        reports: z.object({ validation: meshReportSchema.optional() }).catchall(z.unknown())
          .describe('The reports by kind: validation (documented), preview, comparison, thickness, occlusion, …'),
        arrivals: z.array(z.object({ folder: z.string().nullable(), originalName: z.string(), duplicate: z.boolean(), arrivedAt: z.string() })),
        jobs: z.array(z.object({ id: z.number(), kind: z.string(), state: z.string(), progress: z.number(), error: z.string().nullable() })),
        artifacts: z.array(z.object({ kind: z.string(), mediaType: z.string(), size: z.number().nullable() })),
      }),
      handler: ({ params }) => {
        const scan = find(params.uid);
        return {
          ...scanDto(store, scan),
          reports: Object.fromEntries(store.reports.forScan(scan.id).map((r) => [r.kind, r.body])),
          arrivals: store.scans.arrivals(scan.id).map((a) => ({ folder: a.sourceFolder, originalName: a.originalName, duplicate: a.duplicate, arrivedAt: a.arrivedAt })),
          jobs: store.jobs.forScan(scan.id).map((j) => ({ id: j.id, kind: j.kind, state: j.state, progress: j.progress, error: j.error })),
          artifacts: store.artifacts.forScan(scan.id).map((a) => ({ kind: a.kind, mediaType: a.mediaType, size: store.blobs.size(a.blobHash) ?? null })),
        };
      },
      audit: ({ params }) => ({ action: 'scan.read', object: `scan:${params.uid}` }),
    }),
    route({
      method: 'GET', path: '/scans/:uid/original', tag: 'scans', access: CLINICAL, summary: 'Download the scan exactly as the scanner wrote it',
      params: uidParams, produces: 'application/octet-stream',
      handler: async ({ params, ctx }) => {
        const scan = find(params.uid);
        sendFile(ctx, await files.original(scan), scan.sha256);
        return undefined;
      },
      audit: ({ params }) => ({ action: 'scan.download', object: `scan:${params.uid}`, details: { what: 'original' } }),
    }),
    route({
      method: 'PUT', path: '/scans/:uid/patient', tag: 'scans', access: CLINICAL,
      answers: { 409: 'The scan belongs to another patient (send "move": true to move a misfiled scan), or that patient is on legal hold' },
      summary: 'Assign a scan to a patient (optionally with its jaw and capture date), correct its jaw or date, or move a misfiled scan from another patient ("move": true; not while that patient is under a legal hold); queues the comparison with the patient\'s previous scan of that jaw and the bite with the visit\'s other jaw',
      params: uidParams, body: assignBody, response: scanSchema.extend({ queued: z.array(z.object({ id: z.number().int(), kind: z.string(), scan: z.string() })).describe('The analysis jobs this assignment queued') }),
      audits: 'scan.assign',
      handler: ({ params, body, principal, record: recordCall }) => {
        const scan = find(params.uid);
        const patient = store.patients.getByPseudoId(body.patient);
        if (!patient) throw new CuspError('not_found', `no patient ${body.patient}`);
        const from = scan.patientId !== null && scan.patientId !== patient.id ? store.patients.get(scan.patientId) : undefined;
        if (from && !body.move) {
          throw new CuspError('conflict', `scan ${scan.uid} belongs to patient ${from.pseudoId} — if it was filed under the wrong patient, send "move": true to move it to ${patient.pseudoId}`);
        }
        if (from?.legalHold) throw new CuspError('conflict', `scan ${scan.uid} belongs to patient ${from.pseudoId}, whose records are under a legal hold — lift the hold first to move it`);
        const capturedAt = body.capturedAt ?? scan.capturedAt;
        const { assigned, queued } = store.transaction(() => {
          // A misfiled scan leaves its patient's timeline: the scan that was compared with it
          // there is compared again with the one before it.
          const leftBehind = from ? nextScan(store, scan) : undefined;
          if (from) {
            record(s, { changes: [{ type: 'scan.reassigned', objectType: 'scan', objectId: scan.uid, data: { from: from.pseudoId, to: patient.pseudoId } }] });
            store.images.moveWithScan(scan.id);
          }
          // A scan someone placed in a visit of that day (a split) stays there.
          const current = scan.patientId === patient.id && scan.visitId !== null ? store.visits.get(scan.visitId) : undefined;
          const visit = current && capturedAt?.slice(0, 10) === current.date ? current : capturedAt ? visitOfDay(s, patient.id, capturedAt, 'assignment') : null;
          const updated = store.scans.assign(scan.id, { patientId: patient.id, visitId: visit?.id ?? null, jaw: body.jaw ?? scan.jaw, capturedAt });
          record(s, { changes: [{ type: 'scan.assigned', objectType: 'scan', objectId: scan.uid, data: { patient: patient.pseudoId, jaw: updated.jaw, visit: visit?.id ?? null } }] });
          store.images.followScan(scan.id, patient.id, visit?.id ?? null);
          // A scan waiting in identity review is decided by this assignment.
          const review = store.identity.openForScan(scan.id);
          if (review) {
            store.identity.resolve(review.id, principal.actor, patient.id, 'existing');
            store.identity.setMatch(scan.id, 'resolved');
            record(s, { changes: [{ type: 'identity.resolved', objectType: 'scan', objectId: scan.uid, data: { review: review.id, patient: patient.pseudoId, resolution: 'existing' } }] });
          }
          const jobs = queueVisitAnalyses(s, updated);
          if (leftBehind) jobs.push(...queueVisitAnalyses(s, store.scans.get(leftBehind.id)!));
          recordCall({ audit: { action: 'scan.assign', object: `scan:${params.uid}`, details: { patient: body.patient, ...(body.move ? { moved: true } : {}), jobs: jobs.map((j) => j.kind) } } });
          return { assigned: updated, queued: jobs };
        });
        if (queued.length) s.dispatcher?.notify();
        return { ...scanDto(store, store.scans.get(assigned.id)!), queued: queued.map((j) => ({ id: j.id, kind: j.kind, scan: store.scans.uidOf(j.scanId!)! })) };
      },
    }),
  ];
}
