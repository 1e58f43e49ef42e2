// Which files are photos: by name for the watcher, by content for ingest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCandidate, isIngestCandidate, isPhotoCandidate } from '../../src/ingest/candidates.js';
import { sniffImage } from '../../src/images/media.js';
import { jpeg, png, toothPhoto } from './photos.js';

test('photo names are ingest candidates under the scans\' rules for hidden, temp and Cusp folders', () => {
  for (const p of ['gallery_1.jpg', 'OrthoCAD_Export_1/gallery_#1_penta_front_m.JPG', 'a/b.jpeg', 'IMG_1.HEIC', 'x.heif', 'frontal.png']) {
    assert.equal(isPhotoCandidate(p), true, p);
    assert.equal(isIngestCandidate(p), true, p);
    assert.equal(isCandidate(p), false, `${p} is no scan candidate (a scan's sidecar code relies on that)`);
  }
  for (const p of ['.hidden.jpg', 'photo.jpg.part', '~$photo.jpg', 'quarantine/a.jpg', 'cusp-archive/a.png', 'a.gif', 'a.jpg.crdownload']) {
    assert.equal(isPhotoCandidate(p), false, p);
  }
});

test('photos are told by their first bytes, not their names', () => {
  assert.equal(sniffImage(jpeg(toothPhoto(8, 8))), 'image/jpeg');
  assert.equal(sniffImage(png(toothPhoto(8, 8))), 'image/png');
  assert.equal(sniffImage(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1')), 'image/heic');
  assert.equal(sniffImage(Buffer.from('solid x\nendsolid x\n')), undefined);
  assert.equal(sniffImage(new Uint8Array(0)), undefined);
});
