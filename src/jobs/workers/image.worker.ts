/**
 * The `image` job's worker: decode a photo, read its EXIF, measure its quality and make
 * its thumbnail (and, for HEIC, a JPEG copy to serve). The API's thread never decodes a
 * photo; it hands the stored bytes here and stores what comes back.
 */
import { CuspError } from '../../errors.js';
import { measurePhoto } from '../../images/measure.js';
import { ownBuffer } from '../artifact-result.js';
import type { ImageJobResult } from '../kinds.js';
import { runWorker } from '../worker-runtime.js';

runWorker<'image'>(async (input, report) => {
  // Typed by the registry, checked still: a job row written by an older version may differ.
  const mediaType: string | undefined = input.options.mediaType;
  if (mediaType !== 'image/jpeg' && mediaType !== 'image/png' && mediaType !== 'image/heic') {
    throw new CuspError('invalid_input', `the image job got no photo format it reads (${String(mediaType)})`);
  }
  const measures = await measurePhoto(new Uint8Array(input.bytes), mediaType, report);
  const thumbnail = ownBuffer(measures.thumbnail);
  const served = measures.served ? ownBuffer(measures.served) : undefined;
  const result: ImageJobResult = { ...measures, thumbnail, served };
  return { result, transfer: served ? [thumbnail, served] : [thumbnail] };
});
