/**
 * Upload of a scan by API: the raw file as the body, streamed to a temp file with the size
 * limit enforced while reading, then taken in through the same try-read and transaction
 * as a watched folder's files. At most api.maxConcurrentUploads run at once; one more is
 * a 503 with Retry-After before its body is read.
 */
import { rm } from 'node:fs/promises';
import type { Context } from 'koa';
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { ScanIdentity } from '../../rules/index.js';
import { Slots } from '../../ingest/upload-slots.js';
import { spoolBody, uploadDir, type SpooledFile } from '../../ingest/upload-spool.js';
import { CLINICAL, route } from '../route.js';
import { pseudoIdSchema } from '../schemas/patient.js';
import { jawSchema, scanDto, scanSchema } from '../schemas/scan.js';
import type { ApiServices } from '../services.js';

const uploadQuery = z.strictObject({
  name: z.string().optional().describe('The file name (or send it in X-Filename)'),
  patient: pseudoIdSchema.optional().describe('Pseudonymous id of the patient the scan belongs to'),
  jaw: jawSchema.optional(),
  capturedAt: z.iso.date('must be a date like 2026-11-20').optional(),
});

/** Media types a scan file may be sent as: raw bytes, never JSON or a form. */
const FILE_TYPES = ['application/octet-stream', 'model/*', 'application/sla', 'application/vnd.ms-pki.stl', 'application/ply', 'text/plain'];

/**
 * The uploaded file's name: a plain name, no folders. `X-Filename` is percent-encoded
 * (header values are Latin-1) and decoded before the check, so `..%2Fx.stl` is caught;
 * `?name=` arrives decoded already.
 */
export function uploadName(query: string | undefined, header: string | undefined): string {
  let name = query;
  if (name === undefined && header) {
    try {
      name = decodeURIComponent(header);
    } catch {
      throw new CuspError('invalid_input', 'X-Filename is not valid percent-encoding: encode the name with encodeURIComponent');
    }
  }
  if (name === undefined || name === '') throw new CuspError('invalid_input', 'name the file: send X-Filename: upper.stl or ?name=upper.stl');
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..') {
    throw new CuspError('invalid_input', 'the file name must be a plain name like upper.stl — no folders, "..", NUL or control characters');
  }
  if (Buffer.byteLength(name) > 255) throw new CuspError('invalid_input', 'the file name is longer than 255 bytes');
  return name;
}

/** How long a refused upload's connection stays open for the client to read the answer. */
const LINGER_MS = 2000;

/**
 * Refuse a body the client is still sending: answer with `Connection: close`, drain what
 * keeps coming into nothing, and close gently. Node would destroy the socket right after
 * the answer; the client's next write would then meet a reset that can discard the answer
 * unread (it saw EPIPE instead of the 503). So, as Apache's lingering close does, only our
 * sending side is closed at once and the socket is destroyed LINGER_MS later: the client
 * reads the answer and the end of the stream, and stops sending.
 */
function refuseBody(ctx: Context): void {
  ctx.set('Connection', 'close');
  ctx.req.resume();
  const socket = ctx.req.socket;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

function tooLarge(ctx: Context, max: number): CuspError {
  refuseBody(ctx);
  return new CuspError('payload_too_large', `the file is larger than this server accepts (${max} bytes, api.maxUploadBytes)`);
}

/**
 * The upload slots of one daemon: keyed by its ingest service, because the HTTPS API and
 * the admin socket are two apps over the same services and must share one limit.
 */
const slotsByIngest = new WeakMap<object, Slots>();

function uploadSlots(s: ApiServices): Slots {
  let slots = slotsByIngest.get(s.ingest!);
  if (!slots) {
    slots = new Slots(() => s.config.api.maxConcurrentUploads);
    slotsByIngest.set(s.ingest!, slots);
  }
  return slots;
}

/** Seconds a client refused for lack of a slot is asked to wait. */
const RETRY_AFTER_SECONDS = 30;

/**
 * A slot for one upload, or a 503 before a byte of the body is read: the answer closes the
 * connection, so a client sending 1 GiB stops instead of sending it into nothing.
 */
function takeSlot(ctx: Context, s: ApiServices): () => void {
  const slots = uploadSlots(s);
  const release = slots.tryTake();
  if (release) return release;
  ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  refuseBody(ctx);
  throw new CuspError('unavailable', `${slots.running} uploads are running, as many as this server takes at once (api.maxConcurrentUploads) — send the file again in ${RETRY_AFTER_SECONDS} seconds`);
}

/**
 * Stream the body to a temp file under the data folder, hashing it on the way (nothing of it
 * stays in memory), then take it in from there; the temp file is removed whatever happens.
 */
async function receive(ctx: Context, s: ApiServices, take: (file: SpooledFile) => Promise<Result>): Promise<Result> {
  const max = s.config.api.maxUploadBytes;
  const declared = ctx.request.length;
  if (declared !== undefined && declared > max) throw tooLarge(ctx, max);
  const release = takeSlot(ctx, s);
  try {
    const file = await spoolBody(ctx.req, uploadDir(s.config.dataDir), max, () => tooLarge(ctx, max));
    try {
      if (file.size === 0) throw new CuspError('invalid_input', 'the body is empty: send the file\'s bytes');
      return await take(file);
    } finally {
      await rm(file.path, { force: true });
    }
  } finally {
    release();
  }
}

type Result = Awaited<ReturnType<NonNullable<ApiServices['ingest']>['ingestBytes']>>;

export function uploadRoutes(s: ApiServices) {
  return [
    route({
      method: 'POST', path: '/scans', tag: 'scans', access: CLINICAL,
      upload: { mediaTypes: FILE_TYPES, description: 'The scan file\'s bytes as the scanner wrote them (STL, PLY, OBJ, glTF/GLB or a ZIP of them); name it in X-Filename or ?name=', limit: 'api.maxUploadBytes',
        headers: { 'X-Filename': 'The file name, percent-encoded (encodeURIComponent); or send ?name=' } },
      answers: { 201: 'Stored', 200: 'The same bytes are stored already (duplicate: true)', 422: 'The file cannot be read as a scan: the message says why', 503: 'As many uploads are running as api.maxConcurrentUploads allows: Retry-After says when to send again' },
      summary: 'Upload a scan file as the raw body (201 stored; 200 with duplicate: true when the same bytes are stored already; 422 when it cannot be read; 413 over api.maxUploadBytes; 503 with Retry-After while api.maxConcurrentUploads uploads are running)',
      query: uploadQuery, produces: 'application/json',
      response: z.object({ duplicate: z.boolean(), scan: scanSchema }).meta({ id: 'ScanUpload' }),
      // The scan is stored with its own audit event (scan.ingest or scan.duplicate) in the
      // transaction that stores it; the call's event follows once that outcome is known.
      audits: 'scan.upload',
      handler: async ({ ctx, query, principal, source, record }) => {
        if (!s.ingest) throw new CuspError('unavailable', 'this server takes no uploads: ingest is not running');
        if (ctx.get('Content-Encoding') && ctx.get('Content-Encoding') !== 'identity') throw new CuspError('unsupported_media_type', 'send the file uncompressed (no Content-Encoding)');
        if (!ctx.get('Content-Type') || !ctx.is(FILE_TYPES)) {
          throw new CuspError('unsupported_media_type', 'send the file\'s raw bytes as the body with Content-Type application/octet-stream (or model/stl, model/obj, model/gltf-binary, …)');
        }
        const name = uploadName(query.name, ctx.get('X-Filename') || undefined);
        if (query.patient && !s.store.patients.getByPseudoId(query.patient)) {
          throw new CuspError('invalid_input', `query.patient: no patient ${query.patient} — create it first with POST /patients`);
        }
        const identity: Partial<ScanIdentity> = {};
        if (query.patient) identity.patient = { pseudoId: query.patient };
        if (query.jaw) identity.jaw = query.jaw;
        if (query.capturedAt) identity.capturedAt = query.capturedAt;
        const ingest = s.ingest;
        const { scan, duplicate } = await receive(ctx, s, (file) => ingest.ingestBytes({ file, name, identity, actor: principal.actor, sourceAddress: source, source: 'upload' }));
        const dto = scanDto(s.store, s.store.scans.get(scan.id) ?? scan);
        record({ audit: { action: 'scan.upload', object: `scan:${dto.uid}`, details: { duplicate, size: dto.size } } });
        ctx.status = duplicate ? 200 : 201;
        return { duplicate, scan: dto };
      },
    }),
  ];
}
