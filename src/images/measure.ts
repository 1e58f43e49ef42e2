/**
 * Everything Cusp derives from one photo, in one pass over it (the `image` job's work, run
 * in a worker thread): EXIF facts, the decoded size, the quality check, a thumbnail, and —
 * for formats a browser may not show (HEIC) — a JPEG copy to serve.
 */
import { encode as encodeJpeg } from 'jpeg-js';
import { decodeImage } from './decode.js';
import { readPhotoExif, type PhotoExif } from './exif.js';
import type { ImageMediaType } from './media.js';
import { measureQuality, type QualityReport } from './quality.js';
import { orientUpright, rgbaDownscale } from './raster.js';

/** Longer side of a thumbnail, px. */
export const THUMBNAIL_SIDE = 320;
/** JPEG quality of thumbnails and served HEIC copies (jpeg-js scale 1–100). */
export const THUMBNAIL_QUALITY = 80;
export const SERVED_QUALITY = 90;

export interface PhotoMeasures {
  width: number;
  height: number;
  exif: PhotoExif;
  quality: QualityReport;
  /** JPEG, upright, no metadata. */
  thumbnail: Uint8Array;
  thumbnailSize: { width: number; height: number };
  /** A JPEG copy to serve instead of the original (HEIC only), no metadata. */
  served?: Uint8Array;
}

/** Decode, read and measure a photo; `report` is told of the stages. */
export async function measurePhoto(bytes: Uint8Array, mediaType: ImageMediaType, report: (fraction: number, stage: string) => void = () => undefined): Promise<PhotoMeasures> {
  report(0, 'exif');
  const exif = await readPhotoExif(bytes);
  report(0.1, 'decoding');
  const picture = await decodeImage(bytes, mediaType);
  report(0.5, 'measuring');
  const quality = measureQuality(picture);
  report(0.7, 'thumbnail');
  // libheif turns HEIC upright while decoding; JPEG's and PNG's EXIF orientation is applied here.
  const orientation = mediaType === 'image/heic' ? null : exif.orientation;
  const small = orientUpright(rgbaDownscale(picture, THUMBNAIL_SIDE), orientation ?? undefined);
  const thumbnail = new Uint8Array(encodeJpeg({ width: small.width, height: small.height, data: small.data }, THUMBNAIL_QUALITY).data);
  let served: Uint8Array | undefined;
  if (mediaType === 'image/heic') {
    report(0.8, 'converting');
    served = new Uint8Array(encodeJpeg({ width: picture.width, height: picture.height, data: picture.data }, SERVED_QUALITY).data);
  }
  report(1, 'done');
  return { width: picture.width, height: picture.height, exif, quality, thumbnail, thumbnailSize: { width: small.width, height: small.height }, served };
}
