/**
 * The try-read of an upload spooled to a temp file, from the main thread: a first look at
 * its head refuses garbage at once (upload-precheck.ts), and the worker is handed the
 * file's path, never its bytes (upload-probe-file.ts reads it there).
 *
 * A binary STL is checked streaming and costs the worker a few MiB at any size. Every other
 * format needs the whole file and its mesh in the worker — about 2–4× the file size for a
 * real mesh — so full reads of files over BIG_READ_BYTES wait in line, one at a time: three
 * 1 GiB OBJ uploads then peak at one full read, not three.
 */
import type { ProbeResult } from '../jobs/kinds.js';
import type { Probe } from './ingest-service.js';
import { readHead } from './upload-probe-file.js';
import { BIG_READ_BYTES, precheckUpload } from './upload-precheck.js';
import { Slots } from './upload-slots.js';
import type { SpooledFile } from './upload-spool.js';

/** Full reads of big uploads in this process (one, whatever the number of upload slots). */
const bigReads = new Slots(1);

/** Try-read an upload's temp file strictly; throws 'mesh_rejected' with the reader's message. */
export async function probeSpooled(probe: Probe, file: SpooledFile, name: string): Promise<ProbeResult> {
  const { head, size } = await readHead(file.path);
  const verdict = precheckUpload(head, size, name);
  const release = verdict.read === 'full' && size > BIG_READ_BYTES ? await bigReads.take() : undefined;
  try {
    return await probe({ name, bytes: new ArrayBuffer(0), siblings: {}, path: file.path });
  } finally {
    release?.();
  }
}
