/**
 * The `image` job's worker: decode a photo, read its EXIF, measure its quality and make
 * its thumbnail (and, for HEIC, a JPEG copy to serve). The API's thread never decodes a
 * photo; it hands the stored bytes here and stores what comes back.
 */
import { CuspError } from '../../errors.js';
import type { ImageMediaType } from '../../images/media.js';
import { measurePhoto, type PhotoMeasures } from '../../images/measure.js';
import { ownBuffer } from '../artifact-result.js';
import { runWorker } from '../worker-runtime.js';

/** What the worker posts back: the measures, with the JPEG bytes as transferred buffers. */
export interface ImageJobResult extends Omit<PhotoMeasures, 'thumbnail' | 'served'> {
  thumbnail: ArrayBuffer;
  served?: ArrayBuffer;
}

runWorker<ImageJobResult>(async (input, report) => {
  const mediaType = input.options.mediaType as ImageMediaType | undefined;
  if (mediaType !== 'image/jpeg' && mediaType !== 'image/png' && mediaType !== 'image/heic') {
    throw new CuspError('invalid_input', `the image job got no photo format it reads (${String(mediaType)})`);
  }
  const measures = await measurePhoto(new Uint8Array(input.bytes), mediaType, report);
  const thumbnail = ownBuffer(measures.thumbnail);
  const served = measures.served ? ownBuffer(measures.served) : undefined;
  const result: ImageJobResult = { ...measures, thumbnail, served };
  return { result, transfer: served ? [thumbnail, served] : [thumbnail] };
});
