/**
 * A binary STL read and welded in one pass, a chunk of the file at a time, for the commands
 * that check or compare a big scan (`cusp inspect`, `cusp compare`).
 *
 * The general path holds the whole file (100 MB at 2M triangles), then the triangle soup
 * (three vertices of its own per triangle, 96 MB), then welds the soup. Here each chunk of
 * records is read into one small reused buffer and every corner goes straight into the
 * welding table, so only the welded mesh is ever allocated: a third of the memory, and no
 * time spent copying and first touching pages that are thrown away.
 *
 * The result is exactly `weldForChecks(readStlBinary(file))`: the same vertices in the same
 * order (first occurrence; +0 and -0 one point, the first one's bits kept), the same
 * indices, the same rejections. Files this path does not take (not a plain binary STL,
 * facet colours, no triangles) get `undefined`: the caller reads them the general way.
 * Unlike the other readers, which take bytes, this one reads its file, through `FileSource`.
 */
import { CuspError } from '../../errors.js';
import { mortonCode, mortonGrid, sortMortonCodes, type MortonGrid, type MortonOrder } from '../bvh/linear-bvh.js';
import { canonical, hash, markWelded, same } from '../weld.js';
import { firstNonBlank, formatNamedByHead } from './detect.js';
import type { ReadResult } from './index.js';
import { meshRejected } from './rejection.js';
import { markFinite, assertSoundMesh } from './sound-mesh.js';
import { STL_HEADER_BYTES, STL_RECORD_BYTES, materialiseColorAt, nonFiniteRejected } from './stl-binary.js';

/** A file to read: its size when opened, and a positioned read (like `fs.readSync`). */
export interface FileSource {
  size: number;
  /** Read up to `into.length` bytes at `position` into `into`; the number read, 0 at the end. */
  read(into: Uint8Array, position: number): number;
}

/** Records per chunk: 200 KB, which stays in the CPU's cache while it is welded. */
const CHUNK_RECORDS = 4096;

/** How much of a file's start decides its format (as `detectFormat` looks at the whole). */
const HEAD_BYTES = 1024;

/**
 * Read `source` (named `name` in messages) as a welded binary STL, or undefined when it is
 * not one this path takes. `shared`: the positions and indices in SharedArrayBuffers, for
 * another thread to read without a copy.
 */
export function readStlBinaryWelded(source: FileSource, name: string, shared = false): WeldedRead | undefined {
  const plain = plainBinaryStl(source);
  if (!plain) return undefined;
  const { head, count } = plain;
  // Materialise's colour header: facet colours follow; the general path reads them.
  if (materialiseColorAt(head) >= 0) return undefined;

  const Memory = shared ? SharedArrayBuffer : ArrayBuffer;
  // Room for every corner to be a vertex of its own; pages never written are never taken.
  const positions = new Float32Array(new Memory(count * 9 * 4));
  const indices = new Uint32Array(new Memory(count * 3 * 4));
  const welded = weldRecords(source, name, count, positions, indices, Memory);
  if (welded.colored) return undefined;

  const mesh = { positions: positions.subarray(0, welded.unique * 3), indices };
  markFinite(mesh.positions);
  markWelded(mesh.positions);
  assertSoundMesh(mesh, name, 'stl');
  const spare = welded.table.buffer instanceof SharedArrayBuffer ? welded.table.buffer : undefined;
  return { mesh, format: 'stl', variant: 'binary', warnings: [], spare };
}

/** The head and triangle count of `source` when it is a plain binary STL (`isPlainBinaryStl`). */
function plainBinaryStl(source: FileSource): { head: Uint8Array; count: number } | undefined {
  const head = new Uint8Array(Math.min(source.size, HEAD_BYTES));
  if (readFully(source, head, 0) < head.length || !isPlainBinaryStl(head, source.size)) return undefined;
  return { head, count: new DataView(head.buffer).getUint32(80, true) };
}

/**
 * The Morton order `buildLinearBvh` gives the triangles of the file's mesh, computed from the
 * file itself (two passes of a chunk at a time: the box of every corner, then each
 * triangle's code), or undefined when it is not a plain binary STL or ends early. A second
 * thread can make it while the first welds the same file: the codes are the same to the
 * bit (the same corners summed in the same order; a welded vertex keeps its first corner's
 * value, and +0 and −0 fall in the same cell), so the tree is too.
 */
export function stlMortonOrder(source: FileSource): MortonOrder | undefined {
  const plain = plainBinaryStl(source);
  if (!plain) return undefined;
  const { count } = plain;
  const chunk = new Uint8Array(CHUNK_RECORDS * STL_RECORD_BYTES);
  const view = new DataView(chunk.buffer);
  // Each chunk's records are decoded by a function of their own, called per chunk, that
  // carries no double in a local from one record to the next. The same loop inlined here,
  // one long loop compiled while it runs (on-stack replacement), boxed every double it kept
  // across iterations: a heap allocation per corner, three times slower (see `growBox`).
  const box = Float64Array.of(Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity);
  for (let first = 0; first < count; first += CHUNK_RECORDS) {
    const records = readRecords(source, chunk, first, count);
    if (records < 0) return undefined;
    growCornerBounds(view, records, box);
  }
  const grid = mortonGrid(box);
  const codes = new Uint32Array(count);
  for (let first = 0; first < count; first += CHUNK_RECORDS) {
    const records = readRecords(source, chunk, first, count);
    if (records < 0) return undefined;
    centreCodes(view, records, grid, codes.subarray(first, first + records));
  }
  return sortMortonCodes(codes);
}

/**
 * `box` (min xyz, max xyz) grown by every corner of the `records` records in `view`,
 * compared as `positionBounds` compares vertices. Its own loop over the records rather than
 * `positionBounds`' over decoded corners: decoding each chunk first made the Morton pass
 * 20–25% slower (1M triangles: 122–125 against 89–121 ms). The bounds live in `box`, as in
 * `growBox` (../mesh.ts), which says why.
 */
function growCornerBounds(view: DataView, records: number, box: Float64Array): void {
  for (let r = 0, at = 12; r < records; r++, at += STL_RECORD_BYTES) {
    for (let corner = at; corner < at + 36; corner += 12) {
      const x = view.getFloat32(corner, true), y = view.getFloat32(corner + 4, true), z = view.getFloat32(corner + 8, true);
      if (x < box[0]) box[0] = x;
      if (x > box[3]) box[3] = x;
      if (y < box[1]) box[1] = y;
      if (y > box[4]) box[4] = y;
      if (z < box[2]) box[2] = z;
      if (z > box[5]) box[5] = z;
    }
  }
}

/** The Morton code of each of the `records` records in `view` into `codes`: its corners summed in order, in doubles. */
function centreCodes(view: DataView, records: number, grid: MortonGrid, codes: Uint32Array): void {
  for (let r = 0, at = 12; r < records; r++, at += STL_RECORD_BYTES) {
    const x = view.getFloat32(at, true) + view.getFloat32(at + 12, true) + view.getFloat32(at + 24, true);
    const y = view.getFloat32(at + 4, true) + view.getFloat32(at + 16, true) + view.getFloat32(at + 28, true);
    const z = view.getFloat32(at + 8, true) + view.getFloat32(at + 20, true) + view.getFloat32(at + 32, true);
    codes[r] = mortonCode(grid, x, y, z);
  }
}

/** Read the chunk of records from `first` on into `chunk`; how many, or -1 when the file ended early. */
function readRecords(source: FileSource, chunk: Uint8Array, first: number, count: number): number {
  const records = Math.min(CHUNK_RECORDS, count - first);
  const want = records * STL_RECORD_BYTES;
  return readFully(source, chunk.subarray(0, want), STL_HEADER_BYTES + first * STL_RECORD_BYTES) < want ? -1 : records;
}

/**
 * True when the general reader would read a file of `size` bytes that starts with `head`
 * as a binary STL with triangles: the size is exactly what the header's count says, and
 * the start does not name another format (`detectFormat`'s order).
 */
export function isPlainBinaryStl(head: Uint8Array, size: number): boolean {
  if (size < STL_HEADER_BYTES || head.length < Math.min(size, HEAD_BYTES)) return false;
  const count = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(80, true);
  if (count === 0 || STL_HEADER_BYTES + STL_RECORD_BYTES * count !== size) return false;
  // A start that is blank all through the head could still open a JSON glTF further on.
  if (firstNonBlank(head) === head.length) return false;
  return formatNamedByHead(head) === undefined;
}

/** What the welded read returns. */
export interface WeldedRead extends ReadResult {
  /**
   * Read `shared`: the welding table's memory, all of it touched and none of it needed any
   * more, as an arena for the self-intersection tree (see `LinearBvhMemory`).
   */
  spare?: SharedArrayBuffer;
}

interface Welded {
  /** Number of distinct positions (vertices) written to `positions`. */
  unique: number;
  /** The welding table, done with. */
  table: Int32Array;
  /** The attribute words carry VisCAM/SolidView facet colours (see `readFacetColors`). */
  colored: boolean;
}

/**
 * Weld every corner of the `count` records into `positions` (distinct vertices, first
 * occurrence order) and `indices`, as `weldInto` does for a soup; rejects the first
 * non-finite coordinate as `readStlBinary` does.
 */
function weldRecords(source: FileSource, name: string, count: number, positions: Float32Array, indices: Uint32Array, Memory: ArrayBufferConstructor | SharedArrayBufferConstructor): Welded {
  const bits = new Uint32Array(positions.buffer, positions.byteOffset, positions.length);
  // A closed scan has about one vertex per two triangles: the table starts at most half full
  // and doubles whenever it gets there.
  let capacity = 1024;
  while (capacity < count) capacity *= 2;
  let mask = capacity - 1;
  // Slot k: (vertex index) + 1, 0 when empty; the key is the vertex's bits in `positions`.
  // Four bytes a slot rather than the key beside the index (16): a probe reads the vertex
  // too, but in a scan's file order the vertex a corner repeats was written a few triangles
  // before and is still in the cache, while a table a quarter of the size misses the cache
  // less (1M triangles, alternating in one process: 109 against 141 ms median, and 176
  // against 199 with the triangles shuffled).
  let table: Int32Array = new Int32Array(new Memory(4 * capacity));
  const chunk = new Uint8Array(CHUNK_RECORDS * STL_RECORD_BYTES);
  const view = new DataView(chunk.buffer);
  let unique = 0;
  let out = 0;
  // The first record's attribute word, then whether any other differs or has bit 15 set.
  let word = -1;
  let varies = false;
  let flagged = false;

  for (let first = 0; first < count; first += CHUNK_RECORDS) {
    const records = Math.min(CHUNK_RECORDS, count - first);
    const want = records * STL_RECORD_BYTES;
    const got = readFully(source, chunk.subarray(0, want), STL_HEADER_BYTES + first * STL_RECORD_BYTES);
    if (got < want) throw shrank(name, source.size, STL_HEADER_BYTES + first * STL_RECORD_BYTES + got);
    for (let r = 0, at = 12; r < records; r++, at += STL_RECORD_BYTES) {
      for (let corner = at; corner < at + 36; corner += 12) {
        const rx = view.getUint32(corner, true);
        const ry = view.getUint32(corner + 4, true);
        const rz = view.getUint32(corner + 8, true);
        if ((rx & 0x7f800000) === 0x7f800000 || (ry & 0x7f800000) === 0x7f800000 || (rz & 0x7f800000) === 0x7f800000) {
          throw nonFiniteRejected(name, first + r, count, firstNonFinite(view, at));
        }
        const x = canonical(rx);
        const y = canonical(ry);
        const z = canonical(rz);
        let slot = hash(x, y, z) & mask;
        while (true) {
          const entry = table[slot];
          if (entry === 0) {
            table[slot] = unique + 1;
            bits[3 * unique] = rx;
            bits[3 * unique + 1] = ry;
            bits[3 * unique + 2] = rz;
            indices[out++] = unique++;
            if (2 * unique > capacity) {
              capacity *= 2;
              mask = capacity - 1;
              table = rehash(table, bits, new Int32Array(new Memory(4 * capacity)));
            }
            break;
          }
          const v3 = 3 * (entry - 1);
          if (same(bits[v3], bits[v3 + 1], bits[v3 + 2], x, y, z)) {
            indices[out++] = entry - 1;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
      const a = view.getUint16(at + 36, true);
      if (word < 0) word = a;
      else if (a !== word) varies = true;
      if (a & 0x8000) flagged = true;
    }
  }
  return { unique, table, colored: varies && flagged };
}

/** The first NaN or infinite one of the nine coordinates of the record whose vertices start at `at`. */
function firstNonFinite(view: DataView, at: number): number {
  for (let k = 0; k < 9; k++) {
    const v = view.getFloat32(at + 4 * k, true);
    if (v - v !== 0) return v;
  }
  return NaN;
}

/** `table`'s entries (vertices of `bits`) put into the bigger, empty table `grown`. */
function rehash(table: Int32Array, bits: Uint32Array, grown: Int32Array): Int32Array {
  const mask = grown.length - 1;
  for (let from = 0; from < table.length; from++) {
    const entry = table[from];
    if (entry === 0) continue;
    const at = 3 * (entry - 1);
    let slot = hash(canonical(bits[at]), canonical(bits[at + 1]), canonical(bits[at + 2])) & mask;
    while (grown[slot] !== 0) slot = (slot + 1) & mask;
    grown[slot] = entry;
  }
  return grown;
}

/** Fill `into` from `position` on; the number of bytes read (fewer only at the file's end). */
function readFully(source: FileSource, into: Uint8Array, position: number): number {
  let at = 0;
  for (let n = 1; at < into.length && n > 0; at += n) n = source.read(into.subarray(at), position + at);
  return at;
}

/** The file was cut short after it was opened (a copy still being written over it). */
function shrank(name: string, size: number, ended: number): CuspError {
  return meshRejected(
    'stl',
    'truncated',
    `${name} became shorter while it was read (${size} bytes when opened, ended at ${ended}) — something is writing over it; wait until the copy is done and read it again`,
  );
}
