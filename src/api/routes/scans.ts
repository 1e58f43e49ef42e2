/** Scans: list with filters and cursor pages, detail with the report, the original file. */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { CLINICAL, JsonText, route } from '../route.js';
import { ScanFiles, sendFile } from '../scan-files.js';
import { decodeCursor, encodeCursor, jawSchema, SCAN_DTO_JSON, scanDto, scanSchema, statusSchema, verdictSchema } from '../schemas/scan.js';
import type { ApiServices } from '../services.js';

const uidParams = z.strictObject({ uid: z.uuid({ error: 'must be a scan uid' }) });

const listQuery = z.strictObject({
  patient: z.string().min(1).optional().describe('Pseudonymous patient id'),
  unassigned: z.enum(['true', 'false']).optional().describe('Only scans not assigned to a patient'),
  jaw: jawSchema.optional(),
  status: statusSchema.optional(),
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
        reports: z.record(z.string(), z.unknown()),
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
          artifacts: store.artifacts.forScan(scan.id).map((a) => ({ kind: a.kind, mediaType: a.mediaType, size: store.blobs.info(a.blobHash)?.size ?? null })),
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
  ];
}
