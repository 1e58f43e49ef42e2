/**
 * The files of a scan a client may download — the original, a converted format, a derived
 * artifact — for the download routes and the signed links alike. Conversions run in a
 * worker thread and are kept as `converted:<format>` artifacts, so the second download of
 * the same format is a plain read.
 */
import { Readable } from 'node:stream';
import type { Context } from 'koa';
import { CuspError, isCuspError } from '../errors.js';
import type { ConvertOptions } from '../jobs/kinds.js';
import { servedPhoto } from '../images/strip.js';
import { corruptScanError } from '../store/blobs.js';
import type { Scan } from '../store/scans.js';
import type { ApiServices } from './services.js';
import { meshInput } from '../jobs/mesh-input.js';

export const CONVERT_FORMATS = ['stl', 'ply', 'obj', 'glb'] as const;
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];

/** `converted:glb`, `converted:stl-ascii`, …: the artifact kind of a conversion. */
export const CONVERTED_KIND = /^converted:(stl|ply|obj|glb)(-ascii)?$/;

const MEDIA_TYPES: Record<string, string> = {
  stl: 'model/stl', ply: 'application/ply', obj: 'model/obj', glb: 'model/gltf-binary', zip: 'application/zip',
  png: 'image/png', json: 'application/json',
};

export interface ScanFile {
  /** The bytes, or a stream of stored chunks (read a chunk per turn of the event loop). */
  body: Buffer | Readable;
  size: number;
  mediaType: string;
  filename: string;
}

/** The artifact kind of a conversion. */
export function convertedKind(format: ConvertFormat, ascii: boolean): string {
  return `converted:${format}${ascii ? '-ascii' : ''}`;
}

/** The scan's file name without folders or extension. */
function baseName(scan: Scan): string {
  const name = scan.originalName.slice(scan.originalName.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Answer with a file, named for saving. */
export function sendFile(ctx: Context, file: ScanFile, sha256?: string): void {
  ctx.set('Content-Type', file.mediaType);
  ctx.set('Content-Length', String(file.size));
  ctx.set('Content-Disposition', `attachment; filename="${file.filename.replace(/[^\w.\- ]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  if (sha256) ctx.set('Digest', `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`);
  ctx.body = file.body;
}

/**
 * A stored blob as a response body, or undefined when it is not stored.
 *
 * The bytes are checked before the first one is sent: every chunk against its SHA-256 and
 * the whole against the blob's (`verify`), so corrupt bytes are answered with a clear
 * `storage_corrupt` error (500, JSON) instead of a reply cut off in the middle — once the
 * status line is out, all a server can still do is break the connection. The stream checks
 * each chunk again as it sends it; should one go bad in between, the reply is broken off
 * short of its Content-Length (the client sees an incomplete download, never wrong bytes
 * that look complete) and the error is logged.
 * Cost, measured on a 50 MB scan (200 chunks): the check reads it once more, 160–300 ms
 * (the download's own read: 200–270 ms), a chunk per turn of the event loop like the
 * download, so the API keeps answering; the page cache does not save the second read.
 * The price of never sending a reply that breaks off in the middle for a scan that was
 * known to be damaged.
 */
async function blobFile(s: ApiServices, scan: Scan, hash: string): Promise<{ body: Readable; size: number } | undefined> {
  const { store, log } = s;
  try {
    if (!(await store.blobs.verify(hash))) return undefined;
  } catch (err) {
    const said = corruptScanError(scan.uid, err);
    if (isCuspError(said) && said.code === 'storage_corrupt') s.integrity?.noteCorruptRead(scan.uid);
    throw said;
  }
  const size = store.blobs.size(hash);
  const chunks = size === undefined ? undefined : store.blobs.stream(hash);
  if (size === undefined || !chunks) return undefined;
  const checked = (async function* sent() {
    try {
      yield* chunks;
    } catch (err) {
      const said = corruptScanError(scan.uid, err);
      if (isCuspError(said) && said.code === 'storage_corrupt') s.integrity?.noteCorruptRead(scan.uid);
      log.error(`a download of scan ${scan.uid} was broken off: ${(said as Error).message}`, { code: (said as CuspError).code, scan: scan.uid });
      throw said;
    }
  })();
  return { body: Readable.from(checked, { objectMode: false }), size };
}

export class ScanFiles {
  readonly #s: ApiServices;
  /** Conversions under way, so two downloads of the same one share one worker. */
  readonly #converting = new Map<string, Promise<ScanFile>>();

  constructor(services: ApiServices) {
    this.#s = services;
  }

  scan(uid: string): Scan {
    const scan = this.#s.store.scans.getByUid(uid);
    if (!scan) throw new CuspError('not_found', `no scan ${uid}`);
    return scan;
  }

  async original(scan: Scan): Promise<ScanFile> {
    const file = await blobFile(this.#s, scan, scan.sha256);
    if (!file) throw new CuspError('not_found', `the bytes of scan ${scan.uid} are not in the store`);
    return { ...file, mediaType: 'application/octet-stream', filename: scan.originalName.slice(scan.originalName.lastIndexOf('/') + 1) };
  }

  /** A stored artifact; 404 "not made yet" while the jobs that make it have not run. */
  async artifact(scan: Scan, kind: string): Promise<ScanFile> {
    const { store } = this.#s;
    const artifact = store.artifacts.get(scan.id, kind);
    const file = artifact && await blobFile(this.#s, scan, artifact.blobHash);
    if (!artifact || !file) {
      throw new CuspError('not_found', `scan ${scan.uid} has no ${kind} (not made yet: the analysis jobs make thumbnails, previews and heat maps after validation — try again later)`);
    }
    const ext = Object.entries(MEDIA_TYPES).find(([, type]) => type === artifact.mediaType)?.[0];
    const sourceName = kind.startsWith('source:') ? kind.slice('source:'.length).split('/').pop() : undefined;
    // A photo that came with the scan is served like every photo: without its EXIF (GPS, names).
    if (sourceName && (artifact.mediaType === 'image/jpeg' || artifact.mediaType === 'image/png')) {
      const bytes = await store.blobs.readArrayBuffer(artifact.blobHash);
      const stripped = servedPhoto(new Uint8Array(bytes!), artifact.mediaType);
      return { body: Buffer.from(stripped.buffer, stripped.byteOffset, stripped.byteLength), size: stripped.length, mediaType: artifact.mediaType, filename: sourceName };
    }
    return { ...file, mediaType: artifact.mediaType, filename: sourceName ?? `${baseName(scan)}.${kind.replace(/[^\w-]+/g, '-')}${ext ? `.${ext}` : ''}` };
  }

  /** The scan in another format: from the cache, else converted in a worker and cached. */
  async converted(scan: Scan, format: ConvertFormat, ascii: boolean): Promise<ScanFile> {
    if (ascii && format !== 'stl' && format !== 'ply') throw new CuspError('invalid_input', `query.ascii: applies to stl and ply only, not ${format}`);
    const kind = convertedKind(format, ascii);
    if (this.#s.store.artifacts.get(scan.id, kind)) {
      const cached = await this.artifact(scan, kind);
      return { ...cached, filename: `${baseName(scan)}.${cached.mediaType === MEDIA_TYPES.zip ? 'zip' : format}` };
    }
    if (scan.status === 'rejected') {
      throw new CuspError('mesh_rejected', `scan ${scan.uid} was rejected when checked, so it cannot be converted: ${scan.reason ?? 'it cannot be read'}`);
    }
    const key = `${scan.id}:${kind}`;
    let pending = this.#converting.get(key);
    if (!pending) {
      pending = this.#convert(scan, format, ascii, kind).finally(() => this.#converting.delete(key));
      this.#converting.set(key, pending);
    }
    return pending;
  }

  async #convert(scan: Scan, format: ConvertFormat, ascii: boolean, kind: string): Promise<ScanFile> {
    const { store, dispatcher } = this.#s;
    if (!dispatcher) throw new CuspError('unavailable', 'conversions need the job workers, which are not running here');
    const options: ConvertOptions = { format, ascii, baseName: baseName(scan) };
    const result = await dispatcher.runOnce('convert', { ...(await meshInput(store, scan)), options: { ...options } });
    const out = Buffer.from(result.bytes);
    const mediaType = MEDIA_TYPES[result.extension];
    const staged = await store.blobs.stage(out);
    store.transaction(() => {
      const blob = store.blobs.put(out, undefined, staged);
      store.artifacts.put(scan.id, kind, mediaType, blob.hash, { size: out.length, triangles: result.triangles, from: scan.sha256 });
    });
    return { body: out, size: out.length, mediaType, filename: `${options.baseName}.${result.extension}` };
  }
}
