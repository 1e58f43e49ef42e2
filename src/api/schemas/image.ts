/** The API's image resource: an intraoral photo of a visit, one shape for lists and detail. */
import { z } from 'zod';
import { IMAGE_KINDS } from '../../images/kind.js';
import type { Image } from '../../store/images.js';
import type { Store } from '../../store/store.js';

export const imageKindSchema = z.enum(IMAGE_KINDS).describe('The view: frontal, left, right, upper-occlusal, lower-occlusal, or other when the name does not say');
export const qualityVerdictSchema = z.enum(['ok', 'blurry', 'dark', 'overexposed', 'low-resolution']);

export const imageSchema = z.object({
  uid: z.string().describe('The image id used everywhere in the API'),
  patient: z.string().nullable().describe('Pseudonymous patient id; null while unassigned'),
  visit: z.number().int().nullable(),
  scan: z.string().nullable().describe('uid of the scan whose export held the photo'),
  kind: imageKindSchema,
  kindSource: z.enum(['name', 'upload', 'none']).describe('Where the kind was read: the file name, the upload, or nowhere (other)'),
  mediaType: z.enum(['image/jpeg', 'image/png', 'image/heic']).describe('Of the stored original; GET …/file serves JPEG for HEIC'),
  size: z.number().int().describe('Bytes of the stored original'),
  sha256: z.string().describe('Of the stored original (the served copy is stripped of metadata and differs)'),
  capturedAt: z.string().nullable().describe('EXIF capture time (camera clock, offset when recorded), else the date of the name, scan, upload or file'),
  capturedAtSource: z.enum(['exif', 'name', 'scan', 'file', 'upload']).nullable(),
  camera: z.object({ make: z.string().nullable(), model: z.string().nullable() }),
  hadLocation: z.boolean().describe('The original carries a GPS position; no served copy does'),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  status: z.enum(['received', 'measured', 'unreadable']).describe('received: not measured yet; unreadable: its bytes do not decode (they stay stored)'),
  reason: z.string().nullable().describe('Why an image is unreadable'),
  quality: z.object({
    verdict: qualityVerdictSchema,
    findings: z.array(qualityVerdictSchema),
    figures: z.object({
      width: z.number().int(), height: z.number().int(),
      sharpness: z.number().describe('Variance of the Laplacian of the grey picture downscaled to 512 px'),
      meanLuma: z.number().describe('0–255'),
      clippedDark: z.number().describe('Share of pixels with luma ≤ 8'),
      clippedBright: z.number().describe('Share of pixels with luma ≥ 247'),
    }),
  }).nullable(),
  thumbnail: z.boolean().describe('GET /images/{uid}/thumbnail has a picture'),
  receivedAt: z.string(),
  source: z.object({ folder: z.string().nullable(), originalName: z.string() }),
}).meta({ id: 'Image', description: 'A photo: kind, capture time, camera, quality' });
export type ImageDto = z.infer<typeof imageSchema>;

/** The API shape of a stored image. */
export function imageDto(store: Store, image: Image): ImageDto {
  return {
    uid: image.uid,
    patient: image.patientId === null ? null : store.patients.pseudoIdOf(image.patientId) ?? null,
    visit: image.visitId,
    scan: image.scanId === null ? null : store.scans.uidOf(image.scanId) ?? null,
    kind: image.kind,
    kindSource: image.kindSource,
    mediaType: image.mediaType,
    size: image.size,
    sha256: image.sha256,
    capturedAt: image.capturedAt,
    capturedAtSource: image.capturedAtSource,
    camera: { make: image.cameraMake, model: image.cameraModel },
    hadLocation: image.hadLocation,
    width: image.width,
    height: image.height,
    status: image.status,
    reason: image.reason,
    quality: image.quality,
    thumbnail: image.thumbnailHash !== null,
    receivedAt: image.receivedAt,
    source: { folder: image.sourceFolder, originalName: image.originalName },
  };
}
