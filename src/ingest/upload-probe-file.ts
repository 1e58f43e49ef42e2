/**
 * The try-read of an upload's temp file, run in the probe worker: the worker reads the file
 * itself (the main thread hands it a path, not the bytes). A binary STL is checked
 * streaming, 4 MiB at a time — its strict read checks the size (done by the precheck) and
 * that every coordinate is finite, nothing that needs the whole mesh — so a valid 1 GiB
 * STL costs the worker 4 MiB, not 1 GiB plus its mesh. Other formats are read whole with
 * `readMesh`, as a watched folder's files are; the caller limits how many big ones run at once.
 */
import { open, readFile } from 'node:fs/promises';
import type { ProbeResult } from '../jobs/kinds.js';
import { readMesh } from '../mesh/read/index.js';
import { meshRejected } from '../mesh/read/rejection.js';
import { STL_HEADER_BYTES, STL_RECORD_BYTES } from '../mesh/read/stl-binary.js';
import { HEAD_BYTES, precheckUpload } from './upload-precheck.js';

/** Records read per step of the streaming STL check (4 MiB). */
const RECORDS_PER_READ = Math.floor((4 << 20) / STL_RECORD_BYTES);

/** The head of a file (up to HEAD_BYTES) and its size. */
export async function readHead(path: string): Promise<{ head: Uint8Array; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await fh.close();
  }
}

/** Try-read the file at `path` strictly; throws 'mesh_rejected' with the reader's message. */
export async function probeFile(path: string, name: string): Promise<ProbeResult> {
  const { head, size } = await readHead(path);
  const verdict = precheckUpload(head, size, name);
  if (verdict.read === 'binary-stl') {
    await checkStlCoordinates(path, verdict.triangles, name);
    return {
      format: 'stl', variant: 'binary', triangles: verdict.triangles,
      // The soup's corners, as the full read reports them before welding.
      vertices: verdict.triangles * 3,
      warnings: verdict.trailingBytes > 0 ? [`${verdict.trailingBytes} trailing bytes after the last triangle were ignored`] : [],
    };
  }
  const read = await readMesh({ bytes: await readFile(path), name });
  return { format: read.format, variant: read.variant, triangles: read.mesh.indices.length / 3, vertices: read.mesh.positions.length / 3, warnings: read.warnings };
}

/** Every vertex coordinate of a binary STL's `count` records is finite (the reader's message otherwise). */
async function checkStlCoordinates(path: string, count: number, name: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(RECORDS_PER_READ * STL_RECORD_BYTES);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let first = 0; first < count; first += RECORDS_PER_READ) {
      const records = Math.min(RECORDS_PER_READ, count - first);
      const want = records * STL_RECORD_BYTES;
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(buf, got, want - got, STL_HEADER_BYTES + first * STL_RECORD_BYTES + got);
        if (bytesRead === 0) throw meshRejected('stl', 'truncated', `${name} became shorter while it was read — send the file again`);
        got += bytesRead;
      }
      const bad = firstNonFiniteRecord(view, records);
      if (bad >= 0) {
        const at = bad * STL_RECORD_BYTES;
        let value = 0;
        for (let k = 0; k < 9; k++) {
          value = view.getFloat32(at + 12 + 4 * k, true);
          if (value - value !== 0) break;
        }
        throw meshRejected('stl', 'non_finite',
          `${name}: triangle ${first + bad + 1} of ${count} has a non-finite coordinate (${value}) — the export is corrupt; re-export from the scanner`);
      }
    }
  } finally {
    await fh.close();
  }
}

/** The first of `records` whose 9 vertex floats include a NaN or ±Infinity, or -1. */
function firstNonFiniteRecord(view: DataView, records: number): number {
  for (let r = 0, at = 12; r < records; r++, at += STL_RECORD_BYTES) {
    let check = 0;
    for (let k = 0; k < 9; k++) {
      const v = view.getFloat32(at + 4 * k, true);
      check += v - v;
    }
    if (check !== 0) return r;
  }
  return -1;
}
