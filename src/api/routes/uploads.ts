/**
 * Upload of a scan by API: the raw file as the body, read as it streams in with the size
 * limit enforced while reading, then taken in through the same try-read and transaction
 * as a watched folder's files.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { ScanIdentity } from '../../ingest/rules/index.js';
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

/**
 * Read the request body into memory, refusing as soon as it passes `max` bytes: a declared
 * Content-Length over the limit is refused before reading, a chunked body at the chunk that
 * crosses it. The rest is then discarded unread and the connection closed after the answer.
 */
export function readBody(ctx: Context, max: number): Promise<Buffer> {
  const req: IncomingMessage = ctx.req;
  const tooLarge = () => {
    ctx.set('Connection', 'close');
    req.resume(); // drain into nothing, so the answer is not stuck behind unread bytes
    return new CuspError('payload_too_large', `the file is larger than this server accepts (${max} bytes, api.maxUploadBytes)`);
  };
  const declared = ctx.request.length;
  if (declared !== undefined && declared > max) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (fn: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      fn();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) {
        chunks.length = 0;
        done(() => reject(tooLarge()));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => done(() => resolve(Buffer.concat(chunks, total)));
    const onError = (err: Error) => done(() => reject(new CuspError('bad_request', `the upload failed while reading: ${err.message}`)));
    const onClose = () => done(() => reject(new CuspError('bad_request', 'the upload was cut off before its end')));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

export function uploadRoutes(s: ApiServices) {
  return [
    route({
      method: 'POST', path: '/scans', tag: 'scans', access: CLINICAL,
      summary: 'Upload a scan file as the raw body (201 stored; 200 with duplicate: true when the same bytes are stored already; 422 when it cannot be read)',
      query: uploadQuery, produces: 'application/json',
      response: z.object({ duplicate: z.boolean(), scan: scanSchema }),
      handler: async ({ ctx, query, principal, source }) => {
        if (!s.ingest) throw new CuspError('unavailable', 'this server takes no uploads: ingest is not running');
        if (ctx.get('Content-Encoding') && ctx.get('Content-Encoding') !== 'identity') throw new CuspError('unsupported_media_type', 'send the file uncompressed (no Content-Encoding)');
        if (!ctx.get('Content-Type') || !ctx.is(FILE_TYPES)) {
          throw new CuspError('unsupported_media_type', 'send the file\'s raw bytes as the body with Content-Type application/octet-stream (or model/stl, model/obj, model/gltf-binary, …)');
        }
        const name = uploadName(query.name, ctx.get('X-Filename') || undefined);
        if (query.patient && !s.store.patients.getByPseudoId(query.patient)) {
          throw new CuspError('invalid_input', `query.patient: no patient ${query.patient} — create it first with POST /patients`);
        }
        const bytes = await readBody(ctx, s.config.api.maxUploadBytes);
        if (bytes.length === 0) throw new CuspError('invalid_input', 'the body is empty: send the file\'s bytes');
        const identity: Partial<ScanIdentity> = {};
        if (query.patient) identity.patient = { pseudoId: query.patient };
        if (query.jaw) identity.jaw = query.jaw;
        if (query.capturedAt) identity.capturedAt = query.capturedAt;
        const { scan, duplicate } = await s.ingest.ingestBytes({ bytes, name, identity, actor: principal.actor, sourceAddress: source, source: 'upload' });
        ctx.status = duplicate ? 200 : 201;
        return { duplicate, scan: scanDto(s.store, s.store.scans.get(scan.id) ?? scan) };
      },
      audit: (_input, result) => ({ action: 'scan.upload', object: `scan:${result.scan.uid}`, details: { duplicate: result.duplicate, size: result.scan.size } }),
    }),
  ];
}
