/**
 * Images: the intraoral photos of a visit. Listing by visit, metadata, the photo itself —
 * always a copy without identifying metadata (EXIF/XMP/IPTC, GPS, comments, PNG text; HEIC
 * served as a JPEG), never the stored original — its thumbnail, upload, and deletion.
 * Same roles as scans: clinical roles read and upload, only an administrator deletes (and
 * not while the patient is on legal hold). Every read is audited with the patient's
 * pseudonymous id, so a GDPR export lists it.
 *
 * Uploads are their own route (`POST /images`, not `POST /scans`): a photo has other
 * parameters (kind, visit), another answer and no try-read as a mesh.
 */
import { readFile, rm } from 'node:fs/promises';
import type { Context } from 'koa';
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { servedPhoto } from '../../images/strip.js';
import { spoolBody, uploadDir } from '../../ingest/upload-spool.js';
import { removeImages } from '../../retention/remove-images.js';
import type { Image } from '../../store/images.js';
import { CLINICAL, route } from '../route.js';
import { imageDto, imageKindSchema, imageSchema } from '../schemas/image.js';
import { pseudoIdSchema, visitIdSchema } from '../schemas/patient.js';
import type { ApiServices } from '../services.js';
import { uploadName } from './uploads.js';

const uidParams = z.strictObject({ uid: z.uuid({ error: 'must be an image uid' }) });

const uploadQuery = z.strictObject({
  name: z.string().optional().describe('The file name (or send it in X-Filename); the kind is read from it unless `kind` is given'),
  patient: pseudoIdSchema.optional().describe('Pseudonymous id of the patient the photo belongs to'),
  visit: visitIdSchema.optional().describe('The visit the photo belongs to (its patient is the visit\'s)'),
  kind: imageKindSchema.optional(),
  capturedAt: z.iso.date('must be a date like 2026-11-20').optional().describe('When taken, if the photo\'s EXIF does not say'),
});

/** Media types a photo may be sent as. */
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'application/octet-stream'];

/** The largest photo taken (or api.maxUploadBytes when smaller): a 48 MP HEIC is ~15 MB. */
export const MAX_PHOTO_BYTES = 256 * 1024 * 1024;

const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

/** Answer with image bytes shown in place, named by the image's uid and kind (never the original name: it may name the patient). */
function sendImage(ctx: Context, image: Image, bytes: Uint8Array, mediaType: string, what: string): void {
  ctx.set('Content-Type', mediaType);
  ctx.set('Content-Length', String(bytes.length));
  ctx.set('Content-Disposition', `inline; filename="image-${image.uid}-${image.kind}${what}.${EXTENSION[mediaType] ?? 'bin'}"`);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function imageRoutes(s: ApiServices) {
  const { store } = s;
  const find = (uid: string): Image => {
    const image = store.images.getByUid(uid);
    if (!image) throw new CuspError('not_found', `no image ${uid}`);
    return image;
  };
  const patientOf = (image: Image) => (image.patientId === null ? null : store.patients.pseudoIdOf(image.patientId) ?? null);
  const read = async (hash: string, uid: string): Promise<Uint8Array> => {
    const bytes = await store.blobs.readArrayBuffer(hash);
    if (!bytes) throw new CuspError('not_found', `the stored bytes of image ${uid} are missing`);
    return new Uint8Array(bytes);
  };
  return [
    route({
      method: 'GET', path: '/visits/:id/images', tag: 'images', access: CLINICAL, summary: 'The photos of a visit, by kind, with their quality check',
      params: z.strictObject({ id: visitIdSchema }),
      response: z.object({ visit: z.number().int(), patient: z.string(), images: z.array(imageSchema) }),
      handler: ({ params }) => {
        const visit = store.visits.get(params.id);
        if (!visit) throw new CuspError('not_found', `no visit ${params.id}`);
        return { visit: visit.id, patient: store.patients.pseudoIdOf(visit.patientId)!, images: store.images.forVisit(visit.id).map((i) => imageDto(store, i)) };
      },
      audit: ({ params }, result) => ({ action: 'image.list', object: `visit:${params.id}`, details: { patient: result.patient, count: result.images.length } }),
    }),
    route({
      method: 'GET', path: '/images/counts', tag: 'images', access: CLINICAL, summary: 'How many photos arrived (since `from`), how many wait to be measured, cannot be decoded, have a quality finding or no patient — counts only, for the console',
      query: z.strictObject({ from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Received at or after') }),
      response: z.object({ total: z.number().int(), pending: z.number().int(), unreadable: z.number().int(), toCheck: z.number().int(), unassigned: z.number().int() }),
      handler: ({ query }) => {
        const from = query.from === undefined ? '' : new Date(query.from).toISOString();
        const c = store.images.counts(from);
        return { total: c.total, pending: c.received, unreadable: c.unreadable, toCheck: c.flagged, unassigned: c.unassigned };
      },
    }),
    route({
      method: 'GET', path: '/images/:uid', tag: 'images', access: CLINICAL, summary: 'One photo: kind, capture time, camera, size, quality figures and verdict',
      params: uidParams, response: imageSchema,
      handler: ({ params }) => imageDto(store, find(params.uid)),
      audit: ({ params }, result) => ({ action: 'image.read', object: `image:${params.uid}`, details: { patient: result.patient } }),
    }),
    route({
      method: 'GET', path: '/images/:uid/file', tag: 'images', access: CLINICAL, produces: 'image/jpeg',
      answers: { 409: 'A HEIC photo whose JPEG copy is not made yet, or a stored photo too malformed to copy without its metadata' },
      summary: 'The photo without identifying metadata (no EXIF/GPS/XMP/IPTC/comments; orientation kept). JPEG and PNG as stored minus metadata; HEIC as a JPEG copy (409 until it is made)',
      params: uidParams,
      handler: async ({ params, ctx }) => {
        const image = find(params.uid);
        if (image.mediaType === 'image/heic') {
          if (!image.servedHash) throw new CuspError('conflict', `image ${image.uid} is HEIC and its JPEG copy is not made yet (status ${image.status}) — try again shortly`);
          sendImage(ctx, image, await read(image.servedHash, image.uid), 'image/jpeg', '');
          return undefined;
        }
        const original = await read(image.sha256, image.uid);
        const stripped = servedPhoto(original, image.mediaType);
        sendImage(ctx, image, stripped, image.mediaType, '');
        return undefined;
      },
      audit: ({ params }) => {
        const image = store.images.getByUid(params.uid);
        return { action: 'image.download', object: `image:${params.uid}`, details: { what: 'file', patient: image ? patientOf(image) : null } };
      },
    }),
    route({
      method: 'GET', path: '/images/:uid/thumbnail', tag: 'images', access: CLINICAL, produces: 'image/jpeg',
      answers: { 409: 'The image job has not made the thumbnail yet' },
      summary: 'A small upright JPEG of the photo (longer side 320 px), no metadata; 409 until the image job made it',
      params: uidParams,
      handler: async ({ params, ctx }) => {
        const image = find(params.uid);
        if (!image.thumbnailHash) {
          throw new CuspError('conflict', image.status === 'unreadable'
            ? `image ${image.uid} cannot be decoded, so it has no thumbnail: ${image.reason ?? 'unreadable'}`
            : `the thumbnail of image ${image.uid} is not made yet — try again shortly`);
        }
        sendImage(ctx, image, await read(image.thumbnailHash, image.uid), 'image/jpeg', '-thumbnail');
        return undefined;
      },
      audit: ({ params }) => {
        const image = store.images.getByUid(params.uid);
        return { action: 'image.download', object: `image:${params.uid}`, details: { what: 'thumbnail', patient: image ? patientOf(image) : null } };
      },
    }),
    route({
      method: 'POST', path: '/images', tag: 'images', access: CLINICAL, produces: 'application/json',
      upload: { mediaTypes: PHOTO_TYPES, description: 'The photo\'s bytes as the camera or export wrote them', limit: 'api.maxUploadBytes',
        headers: { 'X-Filename': 'The file name, percent-encoded (encodeURIComponent); or send ?name=' } },
      answers: { 201: 'Stored', 200: 'The same bytes are stored already (duplicate: true)', 503: 'As many uploads are running as api.maxConcurrentUploads allows: Retry-After says when to send again' },
      summary: 'Upload a photo (JPEG, PNG, HEIC) as the raw body: 201 stored; 200 with duplicate: true when the same bytes are stored already; 400 when it is no photo; 413 when too large',
      query: uploadQuery,
      response: z.object({ duplicate: z.boolean(), image: imageSchema }).meta({ id: 'ImageUpload' }),
      // The photo is stored with its own audit event (image.ingest or image.duplicate) in the
      // transaction that stores it; the call's event follows once that outcome is known.
      audits: 'image.upload',
      handler: async ({ ctx, query, principal, source, record }) => {
        if (!s.photos) throw new CuspError('unavailable', 'this server takes no photos: ingest is not running');
        if (ctx.get('Content-Encoding') && ctx.get('Content-Encoding') !== 'identity') throw new CuspError('unsupported_media_type', 'send the photo uncompressed (no Content-Encoding)');
        if (!ctx.get('Content-Type') || !ctx.is(PHOTO_TYPES)) throw new CuspError('unsupported_media_type', 'send the photo\'s raw bytes as the body with Content-Type image/jpeg, image/png or image/heic');
        const name = uploadName(query.name, ctx.get('X-Filename') || undefined);
        const patient = query.patient ? store.patients.getByPseudoId(query.patient) : undefined;
        if (query.patient && !patient) throw new CuspError('invalid_input', `query.patient: no patient ${query.patient} — create it first with POST /patients`);
        const max = Math.min(MAX_PHOTO_BYTES, s.config.api.maxUploadBytes);
        const declared = ctx.request.length;
        const tooLarge = () => new CuspError('payload_too_large', `the photo is larger than this server takes (${max} bytes)`);
        if (declared !== undefined && declared > max) {
          ctx.set('Connection', 'close');
          throw tooLarge();
        }
        const file = await spoolBody(ctx.req, uploadDir(s.config.dataDir), max, tooLarge);
        let bytes: Uint8Array;
        try {
          bytes = await readFile(file.path);
        } finally {
          await rm(file.path, { force: true });
        }
        if (bytes.length === 0) throw new CuspError('invalid_input', 'the body is empty: send the photo\'s bytes');
        const { image, duplicate } = await s.photos.ingestUpload({
          bytes, name, patientId: patient?.id ?? null, visitId: query.visit ?? null, kind: query.kind, capturedAt: query.capturedAt ?? null,
          actor: principal.actor, sourceAddress: source,
        });
        const dto = imageDto(store, store.images.get(image.id) ?? image);
        record({ audit: { action: 'image.upload', object: `image:${dto.uid}`, details: { duplicate, size: dto.size, patient: dto.patient } } });
        ctx.status = duplicate ? 200 : 201;
        return { duplicate, image: dto };
      },
    }),
    route({
      method: 'DELETE', path: '/images/:uid', tag: 'images', access: ['admin'],
      answers: { 409: 'Its patient is on legal hold' },
      summary: 'Delete a photo for good (administrators; refused while its patient is on legal hold); answers with what was deleted',
      params: uidParams, response: z.object({ image: z.string(), patient: z.string().nullable(), blobs: z.number().int() }),
      audits: 'image.delete',
      handler: async ({ params, record }) => {
        const image = find(params.uid);
        const patient = image.patientId === null ? undefined : store.patients.get(image.patientId);
        if (patient?.legalHold) throw new CuspError('conflict', `patient ${patient.pseudoId} is on legal hold — an auditor or administrator must lift the hold before their photos can be deleted`);
        for (const job of store.images.jobs(image.id)) if (job.state === 'queued' || job.state === 'running') s.dispatcher?.cancel(job.id);
        let chunks: string[] = [];
        const blobs = store.transaction(() => {
          // Read the hold again inside the transaction: one may have been placed meanwhile.
          if (image.patientId !== null && store.patients.get(image.patientId)?.legalHold) throw new CuspError('conflict', `patient ${patient?.pseudoId} is on legal hold — nothing was deleted`);
          const removed = removeImages(store, [image]);
          chunks = removed.chunks;
          record({
            audit: { action: 'image.delete', object: `image:${image.uid}`, details: { patient: patient?.pseudoId ?? null, blobs: removed.counts.blobs } },
            changes: [{ type: 'image.deleted', objectType: 'image', objectId: image.uid, data: { patient: patient?.pseudoId ?? null } }],
          });
          return removed.counts.blobs;
        });
        await store.blobs.freeChunks(chunks);
        return { image: image.uid, patient: patient?.pseudoId ?? null, blobs };
      },
    }),
  ];
}
