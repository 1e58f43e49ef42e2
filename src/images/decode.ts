/**
 * Decoding a stored photo to 8-bit RGBA, in a job worker only (never on the API's
 * thread): JPEG with jpeg-js, PNG with fast-png, HEIC with heic-decode (libheif compiled
 * to WebAssembly) — all pure JavaScript/wasm, nothing native for the single executable.
 */
import decodeHeic from 'heic-decode';
import { decode as decodeJpegRaw } from 'jpeg-js';
import { convertIndexedToRgb, decode as decodePngRaw } from 'fast-png';
import { CuspError } from '../errors.js';
import type { ImageMediaType } from './media.js';
import type { Rgba } from './raster.js';

/** Photos larger than this (megapixels) are not decoded: a 48 MP phone photo is the largest expected. */
export const MAX_MEGAPIXELS = 120;

function unreadable(what: string, err: unknown): CuspError {
  const why = err instanceof Error ? err.message : String(err);
  return new CuspError('invalid_input', `the photo cannot be decoded as ${what}: ${why.slice(0, 200)} — take or export it again`);
}

/** A PNG's pixels as 8-bit RGBA, whatever its depth, channels or palette. */
function pngToRgba(bytes: Uint8Array): Rgba {
  const png = decodePngRaw(bytes);
  const { width, height } = png;
  const pixels = width * height;
  let src: ArrayLike<number> = png.data;
  let channels = png.channels;
  let shift = png.depth === 16 ? 8 : 0;
  if (png.palette) {
    src = convertIndexedToRgb(png);
    channels = src.length / pixels;
    shift = 0;
  } else if (png.depth < 8) {
    // fast-png unpacks sub-byte grey to one value a sample, 0..2^depth-1: scale to 0..255.
    const scale = 255 / ((1 << png.depth) - 1);
    src = Uint8Array.from(png.data as Uint8Array, (v) => v * scale);
  }
  const out = new Uint8Array(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    const r = src[s] >> shift;
    out[i * 4] = r;
    out[i * 4 + 1] = grey ? r : src[s + 1] >> shift;
    out[i * 4 + 2] = grey ? r : src[s + 2] >> shift;
    out[i * 4 + 3] = channels === 2 || channels === 4 ? src[s + channels - 1] >> shift : 255;
  }
  return { width, height, data: out };
}

/** Decode a photo of a known format to RGBA; invalid_input when its bytes do not decode. */
export async function decodeImage(bytes: Uint8Array, mediaType: ImageMediaType): Promise<Rgba> {
  if (mediaType === 'image/jpeg') {
    try {
      const img = decodeJpegRaw(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 2048 });
      return { width: img.width, height: img.height, data: img.data };
    } catch (err) {
      throw unreadable('JPEG', err);
    }
  }
  if (mediaType === 'image/png') {
    try {
      return pngToRgba(bytes);
    } catch (err) {
      throw unreadable('PNG', err);
    }
  }
  try {
    const img = await decodeHeic({ buffer: bytes });
    return { width: img.width, height: img.height, data: img.data };
  } catch (err) {
    throw unreadable('HEIC', err);
  }
}
