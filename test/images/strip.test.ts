// The served copy of a photo: GPS, camera, names and text removed, pixels and orientation kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import exifr from 'exifr';
import { decode as decodeJpeg } from 'jpeg-js';
import { decode as decodePng } from 'fast-png';
import { stripJpeg, stripPng } from '../../src/images/strip.js';
import { jpeg, png, toothPhoto, withExif } from './photos.js';

const FACTS = {
  dateTimeOriginal: '2026:11:20 10:31:02', offset: '+01:00', make: 'Canon', model: 'EOS R6', orientation: 6,
  gps: { latitude: 47.3769, longitude: 8.5417 }, artist: 'Dr. Anna Meier',
};

test('a JPEG with EXIF GPS is served without position, camera or names, its pixels and orientation unchanged', async () => {
  const plain = jpeg(toothPhoto(320, 240, 3));
  const original = withExif(plain, FACTS);
  // The hand-built EXIF reads back as a camera would have written it.
  const before = await exifr.parse(original, { gps: true }) as Record<string, unknown>;
  assert.equal(before.Make, 'Canon');
  assert.ok(Math.abs((before.latitude as number) - 47.3769) < 1e-3, 'GPS latitude is in the original');
  const served = stripJpeg(original);
  const after = await exifr.parse(served, { gps: true, tiff: true, exif: true, xmp: true, iptc: true }) as Record<string, unknown> | undefined;
  assert.equal(after?.latitude, undefined, 'no GPS in the served copy');
  assert.equal(after?.GPSLatitude, undefined);
  assert.equal(after?.Make, undefined);
  assert.equal(after?.Artist, undefined);
  assert.equal(after?.DateTimeOriginal, undefined);
  assert.equal(await exifr.orientation(served), 6, 'the orientation alone stays, so the photo still shows upright');
  assert.equal(Buffer.from(served).includes(Buffer.from('Meier')), false, 'the name is nowhere in the bytes');
  assert.deepEqual(decodeJpeg(served, { useTArray: true }).data, decodeJpeg(original, { useTArray: true }).data, 'pixels untouched');
});

test('a JPEG without EXIF is served as it is (minus nothing)', () => {
  const plain = jpeg(toothPhoto(64, 48, 4));
  assert.deepEqual(stripJpeg(plain), plain);
});

test('a PNG loses its EXIF and text chunks, keeps its pixels', async () => {
  const plain = png(toothPhoto(64, 48, 5));
  // Insert tEXt (a name) and eXIf (the GPS block of a JPEG's APP1) after IHDR.
  const exifBody = withExif(jpeg(toothPhoto(8, 8)), FACTS);
  const tiffAt = Buffer.from(exifBody).indexOf(Buffer.from('MM\0*'));
  const app1Length = (exifBody[4] << 8) | exifBody[5];
  const tiff = exifBody.subarray(tiffAt, 4 + app1Length);
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    return out; // CRC left zero: fast-png does not check it, the stripper does not read it
  };
  const withMeta = Buffer.concat([plain.subarray(0, 33), chunk('tEXt', Buffer.from('Author\0Anna Meier')), chunk('eXIf', tiff), plain.subarray(33)]);
  const before = await exifr.parse(withMeta, { gps: true }) as Record<string, unknown> | undefined;
  assert.ok(before?.latitude !== undefined, 'exifr reads the PNG\'s GPS');
  const served = stripPng(withMeta);
  assert.equal(Buffer.from(served).includes(Buffer.from('Meier')), false);
  const after = await exifr.parse(served, { gps: true }).catch(() => undefined) as Record<string, unknown> | undefined;
  assert.equal(after?.latitude, undefined);
  assert.deepEqual(decodePng(served).data, decodePng(plain).data);
});

test('bytes that are no JPEG are refused with a clear error', () => {
  assert.throws(() => stripJpeg(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 1, 2])), /not a well-formed JPEG/);
});
