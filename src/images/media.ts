/**
 * Which photo formats Cusp takes in, told by content (the first bytes), not by name: a
 * `.jpg` that holds something else is not a photo. Pure.
 */

export type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/heic';

/** File extensions of photos, compared lower-case. */
export const PHOTO_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.heic', '.heif'];

/** The photo format of `bytes` by their signature, or undefined when they are none Cusp reads. */
export function sniffImage(bytes: Uint8Array): ImageMediaType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a) return 'image/png';
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(4, 8)) === 'ftyp') {
    // HEIF brands (as heic-decode checks them): still images and sequences.
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
  }
  return undefined;
}

/** Whether a file name has a photo extension. */
export function hasPhotoExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot !== -1 && PHOTO_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}
