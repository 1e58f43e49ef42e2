// Photos made in the test: a tooth-like picture (a dark mouth, a gum band, bright rounded
// teeth with edges, a little sensor noise), a box blur, JPEG/PNG encoding and a hand-built
// EXIF block with GPS, capture time and camera. Seeded: the same picture every run.
import { encode as encodeJpeg } from 'jpeg-js';
import { encode as encodePng } from 'fast-png';
import type { Rgba } from '../../src/images/raster.js';

/** A small seeded PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A frontal-view-like picture: `gain` scales the light (0.15: an underexposed photo),
 * `lift` adds to every channel (120: burnt out).
 */
export function toothPhoto(width: number, height: number, seed = 1, gain = 1, lift = 0): Rgba {
  const random = rng(seed);
  const data = new Uint8Array(width * height * 4);
  const teeth = 8;
  const toothW = width / (teeth + 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = y / height;
      // Lips and cheeks, then gum, then teeth in two rows, a dark gap between them.
      let r = 170;
      let g = 90;
      let b = 90;
      if (v > 0.2 && v < 0.8) { r = 200; g = 110; b = 120; }
      const col = Math.floor(x / toothW) - 1;
      const inRow = col >= 0 && col < teeth;
      const fx = (x / toothW) % 1;
      const upper = v > 0.28 && v < 0.49;
      const lower = v > 0.51 && v < 0.72;
      if (inRow && (upper || lower) && fx > 0.06 && fx < 0.94) {
        const shade = 0.85 + 0.15 * Math.sin(fx * Math.PI);
        r = 235 * shade; g = 228 * shade; b = 205 * shade;
      } else if (v >= 0.49 && v <= 0.51) {
        r = 40; g = 20; b = 25;
      }
      const n = (random() - 0.5) * 6;
      const i = (y * width + x) * 4;
      data[i] = clamp(r * gain + lift + n);
      data[i + 1] = clamp(g * gain + lift + n);
      data[i + 2] = clamp(b * gain + lift + n);
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A box blur of radius `r` (separable, two passes): an out-of-focus photo. */
export function blur(src: Rgba, r: number): Rgba {
  const { width: w, height: h } = src;
  const pass = (from: Uint8Array | Uint8ClampedArray, horizontal: boolean): Uint8Array => {
    const out = new Uint8Array(from.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 4; c++) {
          let sum = 0;
          let n = 0;
          for (let k = -r; k <= r; k++) {
            const xx = horizontal ? x + k : x;
            const yy = horizontal ? y : y + k;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
            sum += from[(yy * w + xx) * 4 + c];
            n++;
          }
          out[(y * w + x) * 4 + c] = Math.round(sum / n);
        }
      }
    }
    return out;
  };
  return { width: w, height: h, data: pass(pass(src.data, true), false) };
}

/** The picture as a JPEG. */
export function jpeg(picture: Rgba, quality = 90): Uint8Array {
  return new Uint8Array(encodeJpeg({ width: picture.width, height: picture.height, data: picture.data }, quality).data);
}

/** The picture as an 8-bit RGBA PNG. */
export function png(picture: Rgba): Uint8Array {
  return encodePng({ width: picture.width, height: picture.height, data: picture.data, channels: 4, depth: 8 });
}

/** What `withExif` writes. */
export interface ExifFacts {
  dateTimeOriginal?: string;
  offset?: string;
  make?: string;
  model?: string;
  /** Latitude and longitude in degrees (north and east positive). */
  gps?: { latitude: number; longitude: number };
  orientation?: number;
  /** A name in ImageDescription / Artist, as phones and cameras sometimes write. */
  artist?: string;
}

/**
 * A JPEG with an EXIF APP1 segment built by hand (big-endian TIFF): IFD0 with Make,
 * Model, Orientation, Artist, pointers to the EXIF IFD (DateTimeOriginal, OffsetTime-
 * Original) and the GPS IFD (latitude/longitude as degrees, minutes, seconds rationals).
 */
export function withExif(jpegBytes: Uint8Array, facts: ExifFacts): Uint8Array {
  type Entry = { tag: number; type: number; count: number; data: number[] };
  const ascii = (s: string) => [...Buffer.from(`${s}\0`, 'latin1')];
  const u16 = (v: number) => [v >> 8, v & 0xff];
  const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const rational = (num: number, den: number) => [...u32(num), ...u32(den)];
  const dms = (deg: number) => {
    const a = Math.abs(deg);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 1000);
    return [...rational(d, 1), ...rational(m, 1), ...rational(s, 1000)];
  };
  const ifd0: Entry[] = [];
  if (facts.make) ifd0.push({ tag: 0x010f, type: 2, count: facts.make.length + 1, data: ascii(facts.make) });
  if (facts.model) ifd0.push({ tag: 0x0110, type: 2, count: facts.model.length + 1, data: ascii(facts.model) });
  if (facts.orientation) ifd0.push({ tag: 0x0112, type: 3, count: 1, data: [...u16(facts.orientation), 0, 0] });
  if (facts.artist) ifd0.push({ tag: 0x013b, type: 2, count: facts.artist.length + 1, data: ascii(facts.artist) });
  const exifIfd: Entry[] = [];
  if (facts.dateTimeOriginal) exifIfd.push({ tag: 0x9003, type: 2, count: 20, data: ascii(facts.dateTimeOriginal) });
  if (facts.offset) exifIfd.push({ tag: 0x9011, type: 2, count: 7, data: ascii(facts.offset) });
  const gpsIfd: Entry[] = [];
  if (facts.gps) {
    gpsIfd.push({ tag: 0x0001, type: 2, count: 2, data: [...ascii(facts.gps.latitude >= 0 ? 'N' : 'S'), 0, 0] });
    gpsIfd.push({ tag: 0x0002, type: 5, count: 3, data: dms(facts.gps.latitude) });
    gpsIfd.push({ tag: 0x0003, type: 2, count: 2, data: [...ascii(facts.gps.longitude >= 0 ? 'E' : 'W'), 0, 0] });
    gpsIfd.push({ tag: 0x0004, type: 5, count: 3, data: dms(facts.gps.longitude) });
  }
  // Pointers are filled in once the offsets are known.
  if (exifIfd.length) ifd0.push({ tag: 0x8769, type: 4, count: 1, data: u32(0) });
  if (gpsIfd.length) ifd0.push({ tag: 0x8825, type: 4, count: 1, data: u32(0) });
  ifd0.sort((a, b) => a.tag - b.tag);
  const out: number[] = [0x4d, 0x4d, 0x00, 0x2a, ...u32(8)];
  const writeIfd = (entries: Entry[], at: number): number => {
    // Layout: count, entries, next-IFD offset, then the values that do not fit in 4 bytes.
    let extra = at + 2 + entries.length * 12 + 4;
    const head: number[] = [...u16(entries.length)];
    const tail: number[] = [];
    for (const e of entries) {
      head.push(...u16(e.tag), ...u16(e.type), ...u32(e.count));
      const bytes = e.data.length <= 4 ? [...e.data, 0, 0, 0, 0].slice(0, 4) : undefined;
      if (bytes) head.push(...bytes);
      else {
        head.push(...u32(extra));
        tail.push(...e.data);
        if (e.data.length % 2) tail.push(0);
        extra += e.data.length + (e.data.length % 2);
      }
    }
    head.push(...u32(0));
    out.splice(at, 0, ...head, ...tail);
    return extra;
  };
  // IFD0 first (its pointers patched after the other IFDs are placed).
  let end = writeIfd(ifd0, 8);
  const patch = (tag: number, value: number) => {
    const idx = ifd0.findIndex((e) => e.tag === tag);
    const at = 8 + 2 + idx * 12 + 8;
    out.splice(at, 4, ...u32(value));
  };
  if (exifIfd.length) { patch(0x8769, end); end = writeIfd(exifIfd, end); }
  if (gpsIfd.length) { patch(0x8825, end); end = writeIfd(gpsIfd, end); }
  const body = [...ascii('Exif'), 0, ...out];
  const length = body.length + 2;
  const app1 = [0xff, 0xe1, length >> 8, length & 0xff, ...body];
  const result = new Uint8Array(jpegBytes.length + app1.length);
  result.set(jpegBytes.subarray(0, 2), 0);
  result.set(app1, 2);
  result.set(jpegBytes.subarray(2), 2 + app1.length);
  return result;
}
