// unpackZip: scanner ZIP exports unpacked with real corpus meshes; bombs, lies, escapes, links and damage refused.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { deflateSync, strToU8, zipSync, type Zippable } from 'fflate';
import { isCuspError } from '../../src/errors.js';
import { unpackZip } from '../../src/ingest/zip.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';

const NO_CORPUS = !hasCorpus() && 'corpus not present';
const MIB = 1024 * 1024;

/** Asserts unpackZip refuses `zip` with mesh_rejected and a message matching `message`. */
function refuses(zip: Uint8Array, message: RegExp, limits?: Parameters<typeof unpackZip>[2]): void {
  assert.throws(
    () => unpackZip(zip, 'export.zip', limits),
    (err: unknown) => {
      assert.ok(isCuspError(err), String(err));
      assert.equal(err.code, 'mesh_rejected');
      assert.match(err.message, /^export\.zip/);
      assert.match(err.message, message);
      return true;
    },
  );
}

/** Offsets of each entry's central-directory record and local header, read independently of the code under test. */
function layout(zip: Uint8Array): Array<{ cd: number; local: number }> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const out: Array<{ cd: number; local: number }> = [];
  let at = v.getUint32(eocd + 16, true);
  for (let i = 0; i < v.getUint16(eocd + 10, true); i++) {
    out.push({ cd: at, local: v.getUint32(at + 42, true) });
    at += 46 + v.getUint16(at + 28, true) + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return out;
}

/** A copy of `zip` with entry `index` patched in both its central record and local header. */
function patch(zip: Uint8Array, index: number, edit: (v: DataView, header: number, isCentral: boolean) => void): Uint8Array {
  const copy = zip.slice();
  const v = new DataView(copy.buffer);
  const { cd, local } = layout(copy)[index];
  edit(v, cd, true);
  edit(v, local, false);
  return copy;
}

/** Field offsets differ between central (46-byte) and local (30-byte) headers. */
const at = (header: number, isCentral: boolean, central: number, local: number) => header + (isCentral ? central : local);
const setSize = (size: number) => (v: DataView, h: number, c: boolean) => v.setUint32(at(h, c, 24, 22), size, true);

/** A hand-written zip (stored or deflated, optionally Zip64 records) for shapes fflate will not write. */
function handZip(files: Array<{ name: string; data: Uint8Array; zip64?: boolean; offsetOf?: number }>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const offsets: number[] = [];
  let pos = 0;
  for (const f of files) {
    const packed = deflateSync(f.data);
    const name = strToU8(f.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, 8, true);
    lv.setUint32(14, crc32(f.data), true);
    lv.setUint32(18, packed.length, true);
    lv.setUint32(22, f.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    offsets.push(f.offsetOf === undefined ? pos : offsets[f.offsetOf]);
    if (f.offsetOf === undefined) {
      parts.push(local, packed);
      pos += local.length + packed.length;
    }
    const extra = f.zip64 ? 28 : 0;
    const rec = new Uint8Array(46 + name.length + extra);
    const cv = new DataView(rec.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 0x031e, true);
    cv.setUint16(6, 45, true);
    cv.setUint16(10, 8, true);
    cv.setUint32(16, crc32(f.data), true);
    cv.setUint32(20, f.zip64 ? 0xffffffff : packed.length, true);
    cv.setUint32(24, f.zip64 ? 0xffffffff : f.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra, true);
    cv.setUint32(38, (0o100644 << 16) >>> 0, true);
    cv.setUint32(42, f.zip64 ? 0xffffffff : offsets.at(-1)!, true);
    rec.set(name, 46);
    if (f.zip64) {
      const e = 46 + name.length;
      cv.setUint16(e, 0x0001, true);
      cv.setUint16(e + 2, 24, true);
      cv.setBigUint64(e + 4, BigInt(f.data.length), true);
      cv.setBigUint64(e + 12, BigInt(packed.length), true);
      cv.setBigUint64(e + 20, BigInt(offsets.at(-1)!), true);
    }
    central.push(rec);
  }
  const cdSize = central.reduce((s, r) => s + r.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, pos, true);
  const out = new Uint8Array(pos + cdSize + 22);
  let p = 0;
  for (const part of [...parts, ...central, end]) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

describe('unpackZip with real scans', { skip: NO_CORPUS }, () => {
  const upper = corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl');
  const lower = corpusBytes('dental/openfulljaw_P26_mandible_tooth24_incisor.stl');
  const ply = corpusBytes('dental/derived_tooth24_big_endian.ply');
  const manifest = strToU8(JSON.stringify({ patientId: '4711', scans: ['upper.stl', 'lower.stl'] }));

  test('unpacks every scan and the manifest byte for byte, skipping folders and macOS/Windows junk', () => {
    const zip = zipSync({
      'OrthoCAD_Export_76392642/': {},
      'OrthoCAD_Export_76392642/76392642_shell_occlusion_u.stl': upper,
      'OrthoCAD_Export_76392642/76392642_shell_occlusion_l.stl': [lower, { level: 0 }],
      'OrthoCAD_Export_76392642/bite.ply': [ply, { level: 9 }],
      'OrthoCAD_Export_76392642/cusp.json': manifest,
      '__MACOSX/OrthoCAD_Export_76392642/._76392642_shell_occlusion_u.stl': strToU8('junk'),
      'OrthoCAD_Export_76392642/.DS_Store': strToU8('junk'),
      'OrthoCAD_Export_76392642/Thumbs.db': strToU8('junk'),
    } as Zippable);
    const files = unpackZip(zip, 'export.zip');
    assert.deepEqual(
      files.map((f) => f.path),
      ['76392642_shell_occlusion_u.stl', '76392642_shell_occlusion_l.stl', 'bite.ply', 'cusp.json'].map((n) => `OrthoCAD_Export_76392642/${n}`),
    );
    assert.deepEqual(files.map((f) => Buffer.from(f.bytes)), [upper, lower, ply, Buffer.from(manifest)]);
  });

  test('an entry over the per-entry limit is refused from its declared size', () => {
    refuses(zipSync({ 'upper.stl': upper }), /entry 'upper\.stl' declares 1\.4 MiB unpacked, over the limit of 1\.0 MiB for one entry/, { maxEntryBytes: MIB });
  });

  test('entries over the total limit are refused', () => {
    refuses(zipSync({ 'a.stl': upper, 'b.stl': lower }), /declares 2\.\d MiB unpacked, over the limit of 2\.0 MiB for one archive/, { maxTotalBytes: 2 * MIB });
  });

  test('a Zip64 directory is read', () => {
    const files = unpackZip(handZip([{ name: 'scan/upper.stl', data: upper, zip64: true }, { name: 'scan/lower.stl', data: lower }]), 'export.zip');
    assert.deepEqual(files.map((f) => [f.path, Buffer.from(f.bytes).equals(f.path.endsWith('upper.stl') ? upper : lower)]), [['scan/upper.stl', true], ['scan/lower.stl', true]]);
  });

  test('sizes left out of local headers (data descriptors, as macOS and Java write) are taken from the directory', () => {
    const streamed = patch(zipSync({ 'upper.stl': upper, 'lower.stl': lower }), 0, (v, h, c) => {
      v.setUint16(at(h, c, 8, 6), v.getUint16(at(h, c, 8, 6), true) | 0x8, true);
      if (!c) for (const field of [14, 18, 22]) v.setUint32(h + field, 0, true);
    });
    assert.deepEqual(unpackZip(streamed, 'export.zip').map((f) => Buffer.from(f.bytes)), [upper, lower]);
  });

  test('a damaged deflate stream or CRC is refused', () => {
    const zip = zipSync({ 'upper.stl': upper });
    const { local } = layout(zip)[0];
    const dataStart = local + 30 + 'upper.stl'.length;
    const flipped = zip.slice();
    for (let i = 100; i < 140; i++) flipped[dataStart + i] ^= 0xa5;
    refuses(flipped, /entry 'upper\.stl' (is damaged|fails its CRC check|unpacks to)/);
    refuses(patch(zip, 0, (v, h, c) => v.setUint32(at(h, c, 16, 14), 0x12345678, true)), /fails its CRC check/);
  });
});

describe('unpackZip refuses bombs and lies', () => {
  const zeros = new Uint8Array(20 * MIB);
  const bomb = zipSync({ 'upper.stl': zeros }, { level: 9 });

  test('a real zip bomb: a few KB declaring 20 MiB is refused by its ratio', () => {
    assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} bytes`);
    refuses(bomb, /entry 'upper\.stl' declares more than 200× its packed size — refused as a zip bomb/);
  });

  test('the same bomb whose header claims 1 MiB is stopped while inflating', () => {
    refuses(patch(bomb, 0, setSize(MIB)), /entry 'upper\.stl' inflates more than 200× its packed size — refused as a zip bomb/);
  });

  test('a bomb under a generous ratio still stops at the entry limit, counted on real output', () => {
    refuses(patch(bomb, 0, setSize(MIB)), /unpacks to more than 4\.0 MiB, the limit for one entry/, { maxRatio: 10_000, maxEntryBytes: 4 * MIB });
  });

  test('an entry whose header claims fewer bytes than it holds is refused', () => {
    const noise = randomBytes(300_000);
    refuses(patch(zipSync({ 'scan.ply': noise }), 0, setSize(1000)), /entry 'scan\.ply' unpacks to more than the 1000 bytes its header declares/);
  });

  test('an entry whose header claims more bytes than it holds is refused', () => {
    refuses(patch(zipSync({ 'scan.ply': randomBytes(3000) }), 0, setSize(5000)), /unpacks to 3000 bytes, not the 5000 its header declares/);
  });

  test('entries sharing one packed stream (overlap bomb) are refused', () => {
    const data = new Uint8Array(1000).fill(7);
    refuses(handZip([{ name: 'a.stl', data }, { name: 'b.stl', data, offsetOf: 0 }]), /entries 'a\.stl' and 'b\.stl' sharing data — refused as a forged archive/);
  });

  test('too many entries are refused before any is inflated', () => {
    const many: Zippable = {};
    for (let i = 0; i < 201; i++) many[`scan_${i}.stl`] = strToU8('solid x\nendsolid x\n');
    refuses(zipSync(many), /holds 201 entries, more than the limit of 200/);
    refuses(zipSync({ 'a.stl': strToU8('a'), 'b.stl': strToU8('b'), 'c/': {} }), /holds 3 entries, more than the limit of 2/, { maxEntries: 2 });
  });
});

describe('unpackZip refuses unsafe entries', () => {
  const data = strToU8('solid x\nendsolid x\n');
  const CASES: Array<[string, RegExp]> = [
    ['../evil.stl', /'\.\.\/evil\.stl' has a '\.\.' segment that leads out of the archive/],
    ['scans/../../evil.stl', /has a '\.\.' segment/],
    ['..\\..\\Windows\\evil.stl', /has a '\.\.' segment/],
    ['scans\\..\\..\\evil.stl', /has a '\.\.' segment/],
    ['/etc/cron.d/evil', /has an absolute path/],
    ['\\\\server\\share\\evil.stl', /has an absolute path/],
    ['C:/Windows/evil.stl', /has a drive letter/],
    ['C:evil.stl', /has a drive letter/],
    ['scan.stl:hidden', /has a ':' in its name/],
    ['scan\u0000.stl', /has a control character/],
  ];
  for (const [name, message] of CASES) {
    test(`'${JSON.stringify(name)}' is refused`, () => refuses(zipSync({ [name]: data }), message));
  }

  test('backslashes from Windows tools are read as folders', () => {
    assert.deepEqual(unpackZip(zipSync({ 'Smith_John\\upper.stl': data }), 'export.zip').map((f) => f.path), ['Smith_John/upper.stl']);
  });

  test('a symbolic link entry is refused', () => {
    const link = zipSync({ 'upper.stl': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] } as Zippable);
    refuses(link, /entry 'upper\.stl' is a symbolic link/);
  });

  test('an encrypted entry is refused', () => {
    const zip = zipSync({ 'upper.stl': data });
    refuses(patch(zip, 0, (v, h, c) => v.setUint16(at(h, c, 8, 6), v.getUint16(at(h, c, 8, 6), true) | 1, true)), /entry 'upper\.stl' is encrypted/);
  });

  test('an unknown compression method is refused', () => {
    refuses(patch(zipSync({ 'upper.stl': data }), 0, (v, h, c) => v.setUint16(at(h, c, 10, 8), 14, true)), /uses compression method 14/);
  });

  test('two entries that are one file on Windows or macOS are refused', () => {
    refuses(zipSync({ 'Scan/upper.stl': data, 'scan/UPPER.stl': data }), /entry 'scan\/UPPER\.stl' appears twice/);
  });

  test('a code-page-437 name (old Windows zip) is decoded', () => {
    const zip = patch(zipSync({ 'Mxller.stl': data }), 0, (v, h, c) => v.setUint8(h + (c ? 46 : 30) + 1, 0x81));
    assert.deepEqual(unpackZip(zip, 'export.zip').map((f) => f.path), ['Müller.stl']);
  });
});

describe('unpackZip refuses what is not a whole zip', () => {
  const zip = zipSync({ 'upper.stl': strToU8('solid x\nendsolid x\n'.repeat(200)) });

  test('a truncated archive', () => refuses(zip.subarray(0, zip.length - 30), /is not a ZIP archive or is cut short/));
  test('an archive cut inside its data', () => refuses(zip.subarray(0, 60), /is not a ZIP archive or is cut short/));
  test('random bytes', () => refuses(new Uint8Array(randomBytes(4096)), /is not a ZIP archive or is cut short/));
  test('an empty file', () => refuses(new Uint8Array(0), /is not a ZIP archive or is cut short/));
  test('a directory pointing past the end', () => {
    const bad = zip.slice();
    const v = new DataView(bad.buffer);
    v.setUint32(bad.length - 22 + 16, bad.length, true);
    refuses(bad, /is cut short: its directory lies past the end of the file/);
  });
  test('an empty archive unpacks to nothing', () => assert.deepEqual(unpackZip(zipSync({}), 'export.zip'), []));
});
