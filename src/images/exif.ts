/**
 * What Cusp reads from a photo's EXIF: when it was taken and with which camera, its
 * orientation, and whether it carries a position (only to say so — the position itself is
 * never stored or served). Read with exifr, in the job worker.
 */
import exifr from 'exifr';

export interface PhotoExif {
  /** `YYYY-MM-DDTHH:MM:SS`, with the offset when the camera recorded one; the camera's clock. */
  capturedAt: string | null;
  make: string | null;
  model: string | null;
  /** EXIF orientation 1–8, when given. */
  orientation: number | null;
  /** Whether the original holds a GPS position (it is removed from every served copy). */
  hasLocation: boolean;
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET = /^[+-]\d{2}:\d{2}$/;

/** An EXIF date (`2026:11:20 10:31:02`) as ISO text, with its offset when known; null when not a date. */
export function exifDate(value: unknown, offset: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = EXIF_DATE.exec(value);
  if (!m || m[1] === '0000') return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  return typeof offset === 'string' && OFFSET.test(offset) ? `${iso}${offset}` : iso;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = value.replace(/\0/g, '').trim();
  return t === '' ? null : t.slice(0, 120);
}

/** The EXIF facts of a photo; all null when it has no EXIF or the EXIF cannot be read. */
export async function readPhotoExif(bytes: Uint8Array): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined;
  try {
    // Raw values (no revived Dates): exifr would read the camera's clock in this server's zone.
    tags = await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: false, icc: false, iptc: false, reviveValues: false, translateValues: false, translateKeys: true, mergeOutput: true }) as Record<string, unknown> | undefined;
  } catch {
    tags = undefined;
  }
  if (!tags) return { capturedAt: null, make: null, model: null, orientation: null, hasLocation: false };
  const orientation = typeof tags.Orientation === 'number' && tags.Orientation >= 1 && tags.Orientation <= 8 ? tags.Orientation : null;
  return {
    capturedAt: exifDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? exifDate(tags.CreateDate, tags.OffsetTimeDigitized) ?? exifDate(tags.ModifyDate, tags.OffsetTime),
    make: text(tags.Make),
    model: text(tags.Model),
    orientation,
    hasLocation: tags.GPSLatitude !== undefined || tags.GPSLongitude !== undefined,
  };
}
