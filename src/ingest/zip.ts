/**
 * Unpacking a scanner's ZIP export (several scans plus a manifest) without trusting it:
 * limits on entries, sizes and compression ratio checked while inflating (the sizes a zip
 * declares can lie), no path that leaves the archive, no links, no encryption. Pure: bytes in,
 * entries out.
 */
import { Inflate } from 'fflate';
import { crc32 } from 'node:zlib';
import { CuspError } from '../errors.js';

export interface ZipLimits {
  /** Entries in the central directory, folders and junk included. */
  maxEntries: number;
  /** Unpacked bytes of one entry. */
  maxEntryBytes: number;
  /** Unpacked bytes of all entries together. */
  maxTotalBytes: number;
  /** Unpacked size over packed size of one entry; bombs reach ~1000. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 200, maxEntryBytes: 2 * 1024 ** 3, maxTotalBytes: 4 * 1024 ** 3, maxRatio: 200 };

/** Small entries (a manifest of blanks) may compress far better than any mesh; the ratio counts past this. */
const RATIO_GRACE_BYTES = 1024 * 1024;
/** Compressed bytes per inflate step: one step can grow at most ~1032× this before a limit is checked. */
const STEP = 16 * 1024;
const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  packed: number;
  size: number;
  offset: number;
  host: number;
  attrs: number;
}

function mib(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

/** Entry names are UTF-8 when flagged (or valid UTF-8 anyway, as many tools write), else IBM code page 437. */
function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      return Array.from(raw, (b) => (b < 128 ? String.fromCharCode(b) : CP437_HIGH[b - 128])).join('');
    }
  }
  return new TextDecoder().decode(raw);
}

class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly fail: (what: string) => CuspError) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(at: number): number {
    if (at < 0 || at + 2 > this.bytes.length) throw this.fail('is cut short');
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) throw this.fail('is cut short');
    return this.view.getUint32(at, true);
  }
  u64(at: number): number {
    const value = this.u32(at) + this.u32(at + 4) * 2 ** 32;
    if (!Number.isSafeInteger(value)) throw this.fail('declares an impossible size');
    return value;
  }
}

/** The end-of-central-directory record (and its Zip64 form): where the directory is and how many entries. */
function findDirectory(r: Reader): { count: number; offset: number; size: number } {
  const b = r.bytes;
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 0xffff); at--) {
    if (r.u32(at) !== 0x06054b50) continue;
    if (r.u16(at + 4) !== 0 || r.u16(at + 6) !== 0) throw r.fail('is a split (multi-part) archive — export it as one .zip');
    let count = r.u16(at + 10);
    let size = r.u32(at + 12);
    let offset = r.u32(at + 16);
    if ((count === 0xffff || size === 0xffffffff || offset === 0xffffffff) && at >= 20 && r.u32(at - 20) === 0x07064b50) {
      const z = r.u64(at - 12);
      if (r.u32(z) !== 0x06064b50) throw r.fail('has a damaged Zip64 directory');
      count = r.u64(z + 32);
      size = r.u64(z + 40);
      offset = r.u64(z + 48);
    }
    return { count, offset, size };
  }
  throw r.fail('is not a ZIP archive or is cut short (no end-of-central-directory record)');
}

/** Reads the central directory, the one list of entries a zip has (local headers can disagree). */
function readDirectory(r: Reader, limits: ZipLimits): Entry[] {
  const dir = findDirectory(r);
  if (dir.count > limits.maxEntries) throw r.fail(`holds ${dir.count} entries, more than the limit of ${limits.maxEntries}`);
  if (dir.offset + dir.size > r.bytes.length) throw r.fail('is cut short: its directory lies past the end of the file');
  const entries: Entry[] = [];
  let at = dir.offset;
  for (let i = 0; i < dir.count; i++) {
    if (r.u32(at) !== 0x02014b50) throw r.fail(`has a damaged central directory at entry ${i + 1}`);
    const nameLength = r.u16(at + 28);
    const extraLength = r.u16(at + 30);
    const entry: Entry = {
      name: decodeName(r.bytes.subarray(at + 46, at + 46 + nameLength), (r.u16(at + 8) & 0x800) !== 0),
      flags: r.u16(at + 8),
      method: r.u16(at + 10),
      crc: r.u32(at + 16),
      packed: r.u32(at + 20),
      size: r.u32(at + 24),
      offset: r.u32(at + 42),
      host: r.u16(at + 4) >> 8,
      attrs: r.u32(at + 38),
    };
    readExtras(r, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + r.u16(at + 32);
  }
  return entries;
}

/** Zip64 sizes and offset (0x0001) and Info-ZIP's UTF-8 name (0x7075). */
function readExtras(r: Reader, start: number, length: number, entry: Entry): void {
  for (let at = start; at + 4 <= start + length; ) {
    const id = r.u16(at);
    const size = r.u16(at + 2);
    let p = at + 4;
    if (id === 0x0001) {
      if (entry.size === 0xffffffff) {
        entry.size = r.u64(p);
        p += 8;
      }
      if (entry.packed === 0xffffffff) {
        entry.packed = r.u64(p);
        p += 8;
      }
      if (entry.offset === 0xffffffff) entry.offset = r.u64(p);
    } else if (id === 0x7075 && size > 5) {
      entry.name = new TextDecoder().decode(r.bytes.subarray(at + 9, at + 4 + size));
    }
    at += 4 + size;
  }
}

/** The entry's path as a safe relative POSIX path, or why it is refused. Backslashes count as separators. */
function safePath(name: string): { path: string } | { problem: string } {
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')) return { problem: 'has a control character in its name' };
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return { problem: 'has an absolute path' };
  if (/^[A-Za-z]:/.test(slashed)) return { problem: 'has a drive letter' };
  if (slashed.includes(':')) return { problem: "has a ':' in its name (a Windows stream or drive)" };
  const segments = slashed.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { problem: "has a '..' segment that leads out of the archive" };
  return { path: segments.join('/').normalize('NFC') };
}

function isSymlink(e: Entry): boolean {
  const unixMode = e.attrs >>> 16;
  // Unix (3) and macOS (19) keep the file mode in the high half; DOS-style hosts flag reparse points (0x400).
  if ((e.host === 3 || e.host === 19) && (unixMode & 0o170000) === 0o120000) return true;
  return (e.host === 0 || e.host === 10 || e.host === 11) && (e.attrs & 0x400) !== 0;
}

/** Where the entry's packed data lies, checked against the local header. */
function dataRange(r: Reader, e: Entry, fail: (what: string) => CuspError): [number, number] {
  if (r.u32(e.offset) !== 0x04034b50) throw fail('has no local header where the directory points');
  if ((r.u16(e.offset + 6) & 0x1) !== 0) throw fail('is encrypted — export without a password');
  const start = e.offset + 30 + r.u16(e.offset + 26) + r.u16(e.offset + 28);
  const end = start + e.packed;
  if (end > r.bytes.length) throw fail('is cut short: its data runs past the end of the archive');
  return [start, end];
}

/** Inflates one entry, counting real output against every limit as it grows. */
function inflate(packed: Uint8Array, e: Entry, limits: ZipLimits, totalSoFar: number, fail: (what: string) => CuspError): Uint8Array {
  const out = new Uint8Array(e.size);
  let written = 0;
  let crc = 0;
  const take = (chunk: Uint8Array): void => {
    const next = written + chunk.length;
    if (next > limits.maxEntryBytes) throw fail(`unpacks to more than ${mib(limits.maxEntryBytes)}, the limit for one entry`);
    if (totalSoFar + next > limits.maxTotalBytes) throw fail(`takes the archive past ${mib(limits.maxTotalBytes)} unpacked, the limit for one archive`);
    if (next > RATIO_GRACE_BYTES && next > packed.length * limits.maxRatio) {
      throw fail(`inflates more than ${limits.maxRatio}× its packed size — refused as a zip bomb`);
    }
    if (next > e.size) throw fail(`unpacks to more than the ${e.size} bytes its header declares — the archive is damaged or forged`);
    out.set(chunk, written);
    written = next;
    crc = crc32(chunk, crc);
  };
  if (e.method === 0) {
    take(packed);
  } else {
    const inflater = new Inflate((chunk) => take(chunk));
    try {
      for (let p = 0; p < packed.length || p === 0; p += STEP) inflater.push(packed.subarray(p, p + STEP), p + STEP >= packed.length);
    } catch (err) {
      if (err instanceof CuspError) throw err;
      throw fail(`is damaged (${(err as Error).message}) — copy the export again`);
    }
  }
  if (written !== e.size) throw fail(`unpacks to ${written} bytes, not the ${e.size} its header declares — the archive is damaged or forged`);
  if (crc >>> 0 !== e.crc) throw fail('fails its CRC check — the archive is damaged; copy the export again');
  return out;
}

/**
 * Unpacks a ZIP held in memory. Folders and `__MACOSX/`, `.DS_Store`, `Thumbs.db` entries are
 * skipped. Throws CuspError('mesh_rejected') for too many entries, an entry or total over the
 * limits (counted while inflating), a ratio over the limit, unsafe paths (absolute, `..`,
 * drive letters, `:`), symlinks, encryption, unknown compression, overlapping entries (a
 * known bomb trick), and damage (truncation, wrong sizes, CRC).
 */
export function unpackZip(bytes: Uint8Array, name: string, limits: Partial<ZipLimits> = {}): Array<{ path: string; bytes: Uint8Array }> {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const r = new Reader(bytes, (what) => new CuspError('mesh_rejected', `${name} ${what}`));
  const entries = readDirectory(r, lim);
  const planned: Array<{ e: Entry; path: string; range: [number, number] }> = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const fail = (what: string) => new CuspError('mesh_rejected', `${name}: entry '${e.name}' ${what}`);
    const safe = safePath(e.name);
    if ('problem' in safe) throw fail(`${safe.problem} — the archive is refused`);
    if ((e.flags & 0x41) !== 0 || e.method === 99) throw fail('is encrypted — export without a password');
    if (isSymlink(e)) throw fail('is a symbolic link — archives with links are refused');
    const isDirectory = e.name.endsWith('/') || e.name.endsWith('\\') || safe.path === '' || (e.attrs & 0x10) !== 0;
    if (isDirectory || JUNK.test(safe.path)) continue;
    if (e.method !== 0 && e.method !== 8) throw fail(`uses compression method ${e.method}, which Cusp cannot unpack — re-export as a standard (Deflate) ZIP`);
    if (e.size > lim.maxEntryBytes) throw fail(`declares ${mib(e.size)} unpacked, over the limit of ${mib(lim.maxEntryBytes)} for one entry`);
    if (e.size > RATIO_GRACE_BYTES && e.size > e.packed * lim.maxRatio) throw fail(`declares more than ${lim.maxRatio}× its packed size — refused as a zip bomb`);
    const key = safe.path.toLowerCase();
    if (seen.has(key)) throw fail('appears twice in the archive — refused as ambiguous');
    seen.add(key);
    planned.push({ e, path: safe.path, range: dataRange(r, e, fail) });
  }
  const declaredTotal = planned.reduce((sum, p) => sum + p.e.size, 0);
  if (declaredTotal > lim.maxTotalBytes) throw r.fail(`declares ${mib(declaredTotal)} unpacked, over the limit of ${mib(lim.maxTotalBytes)} for one archive`);
  const byOffset = [...planned].sort((a, b) => a.range[0] - b.range[0]);
  for (let i = 1; i < byOffset.length; i++) {
    if (byOffset[i].e.offset < byOffset[i - 1].range[1]) {
      throw r.fail(`has entries '${byOffset[i - 1].e.name}' and '${byOffset[i].e.name}' sharing data — refused as a forged archive (zip bomb)`);
    }
  }
  let total = 0;
  return planned.map(({ e, path, range }) => {
    const fail = (what: string) => new CuspError('mesh_rejected', `${name}: entry '${e.name}' ${what}`);
    const data = inflate(bytes.subarray(range[0], range[1]), e, lim, total, fail);
    total += data.length;
    return { path, bytes: data };
  });
}
