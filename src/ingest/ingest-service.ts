/**
 * The ingest use case: from a stable file in a watched folder (or an upload) to a stored
 * scan with its validation queued — or to the quarantine with a readable reason.
 *
 * Order of work, so that nothing is ever lost:
 * 1. read the bytes and hash them; the same bytes again are a recorded duplicate, and the
 *    very same file seen again (after a crash, or a kept original) is recognised as such;
 * 2. try-read the file strictly in a worker (the probe): a file still being copied or one
 *    that cannot be read is not accepted — it is checked again later, and quarantined only
 *    when it stays unreadable past the grace time;
 * 3. store bytes, siblings, sidecars, patient, scan, job, audit event and change in one
 *    transaction; every arrival is recorded, the same bytes again too;
 * 4. only after that commit (synchronous=FULL: it is on disk) delete or archive the
 *    original, per the folder's setting — each file through `removeIfStored`, which
 *    checks it is still exactly what was read and stored; one that changed stays and is
 *    read again. Shared sidecars go with the last scan of their folder, emptied case
 *    folders after them.
 */
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AuditLog } from '../audit/audit-log.js';
import type { FolderConfig } from '../config/index.js';
import { isCuspError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { busEvent, record } from '../events/record.js';
import type { ProbeResult } from '../jobs/kinds.js';
import type { Logger } from '../log/index.js';
import { sha256Async, type StagedBlob } from '../store/blobs.js';
import type { ArrivalFile, Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { isPhotoCandidate } from './candidates.js';
import { removeStoredFiles, type Removal } from './after-stored.js';
import { copyToArrayBuffer, siblingBuffers, siblingReader, siblingRemovals } from './drop-siblings.js';
import { quarantineFile } from './quarantine-file.js';
import { cachedRule, identifyScan, type ScanIdentity } from '../rules/index.js';
import { readExportSources, resolveInside, type Candidate } from './scan-context.js';
import { readDropFileAsync, scanSidecars, type Sidecar } from './sidecars.js';
import { siblingUris } from './siblings.js';
import { mediaType, storeScan } from './store-scan.js';
import { probeSpooled } from './upload-probe.js';
import type { SpooledFile } from './upload-spool.js';
import { zipCandidates, type ZipCandidate } from './zip-candidates.js';

/** The try-read in a worker; `path` instead of `bytes` for an upload's temp file (upload-probe.ts). */
export type Probe = (input: { name: string; bytes: ArrayBuffer; siblings: Record<string, ArrayBuffer>; path?: string }) => Promise<ProbeResult>;

export interface IngestDeps {
  store: Store;
  audit: AuditLog;
  bus: EventBus;
  log: Logger;
  probe: Probe;
  /** Called after a scan (and its job) was stored: wake the job dispatcher. */
  onStored?: (scan: Scan) => void;
  /**
   * Photos (src/images/photo-service.ts): a photo file of a watched folder is handed to it,
   * and the photos a stored scan's export held become images of its visit. Without it,
   * photo files are left where they are.
   */
  photos?: {
    ingestFolderPhoto(file: FolderFile): Promise<IngestOutcome>;
    adoptScanPhotos(scan: Scan): unknown;
  };
}

/** A file in a watched folder, as the watcher reports it. */
export interface FolderFile {
  folder: FolderConfig;
  path: string;
  relativePath: string;
  /** When the watcher first saw the file (for the grace time of unreadable files). */
  firstSeenMs: number;
}

/**
 * What became of a file. `recheck` names scan files that changed after they were read:
 * what was read is stored, the file stays and must be taken in again (the watcher's job).
 */
export type IngestOutcome =
  | { kind: 'stored'; scans: Scan[]; recheck?: string[] }
  | { kind: 'duplicate'; scans: Scan[]; recheck?: string[] }
  | { kind: 'already'; scans: Scan[]; recheck?: string[] }
  | { kind: 'incomplete'; reason: string; retryInMs: number }
  | { kind: 'quarantined'; reason: string; to: string }
  | { kind: 'gone' };

export class IngestService {
  readonly #d: IngestDeps;

  constructor(deps: IngestDeps) {
    this.#d = deps;
  }

  /** How long an unreadable file may still be a copy in progress before it is quarantined. */
  static graceMs(folder: FolderConfig): number {
    return Math.max(10_000, folder.stabilitySeconds * 5_000);
  }

  /**
   * Take in one stable file of a watched folder. Never throws for a bad file. The steps, in
   * the order that keeps every byte somewhere: read it whole; list its candidates (the file,
   * or a zip's scans); hash it — bytes already stored are an arrival of that scan, with no
   * try-read; try-read every candidate (one that cannot be read stops the file before
   * anything is stored); note the removable siblings and sidecars with what was read of them;
   * store each candidate; and only after those commits remove what was stored, each file
   * checked again to hold exactly the bytes that were read (`removeStoredFiles`, after-stored.ts).
   */
  async ingestFolderFile(file: FolderFile): Promise<IngestOutcome> {
    const { folder } = file;
    if (isPhotoCandidate(file.relativePath)) return this.#d.photos ? this.#d.photos.ingestFolderPhoto(file) : { kind: 'gone' };
    const read = await readDropFileAsync(file.path);
    if (read === undefined) return { kind: 'gone' };
    // Written to while read: not a stable file yet, look again shortly.
    if (read === 'moving') return { kind: 'incomplete', reason: 'the file changed while it was read', retryInMs: Math.max(2000, folder.stabilitySeconds * 1000) };
    const { bytes } = read;
    const onDisk = siblingReader(folder.path, file.path);
    const isZip = file.relativePath.toLowerCase().endsWith('.zip');
    let candidates: Candidate[];
    if (isZip) {
      try {
        candidates = zipCandidates(bytes, file.relativePath);
      } catch (err) {
        return this.#unreadable(file, err);
      }
    } else {
      candidates = [{ relativePath: file.relativePath, bytes, readSibling: onDisk.readSibling, ...readExportSources(folder.path, file.path) }];
    }
    const arrival: ArrivalFile = { size: read.size, mtimeMs: read.mtimeMs };

    // Duplicates first: the same bytes need no try-read.
    const fileHash = await sha256Async(bytes);
    const original: Removal = { path: file.path, state: { sha256: fileHash, size: read.size, mtimeMs: read.mtimeMs } };
    const known = this.#d.store.scans.findBySha256(fileHash);
    if (known && !isZip) return this.#arrivedAgain(file, known, original, arrival);

    const probed = await this.#probeCandidates(file, candidates, isZip);
    if ('outcome' in probed) return probed.outcome;
    const { accepted } = probed;
    // The removable siblings: those read from disk (a zip's live inside the zip).
    const siblingFiles = !isZip && accepted.length === 1 ? await siblingRemovals(accepted[0].siblings, onDisk.readSiblingFile) : [];
    const sidecars = isZip ? [] : scanSidecars(folder.path, file.path, new Set(siblingFiles.map((f) => f.path)));

    const { scans, duplicates, zipKept } = await this.#storeAccepted(file, { bytes, fileHash, isZip, arrival }, accepted, sidecars);
    // What a duplicate brought that is not stored yet (a corrected manifest, the zip of a
    // re-dropped export) is kept with the scan it duplicates: then it may leave the folder.
    if (scans.length > 0) {
      await this.#keepWithScan(scans[0], [
        ...sidecars,
        ...(isZip && !zipKept ? [{ uri: basename(file.relativePath), bytes }] : []),
      ]);
    }
    const recheck = await removeStoredFiles(this.#d, folder, { original, names: accepted.map((a) => a.candidate.relativePath), arrival, siblings: siblingFiles, sidecars });
    return withRecheck(duplicates === scans.length ? { kind: 'duplicate', scans } : { kind: 'stored', scans }, recheck);
  }

  /**
   * A drop file whose bytes are stored already (not a zip: a zip's scans carry their entries'
   * hashes): one more arrival of that scan, its sidecars kept with it, and — after that — the
   * file removed like a stored one.
   */
  async #arrivedAgain(file: FolderFile, known: Scan, original: Removal, arrival: ArrivalFile): Promise<IngestOutcome> {
    const { folder } = file;
    const outcome = this.#recordArrival(known, folder.name!, file.relativePath, arrival);
    const sidecars = scanSidecars(folder.path, file.path);
    await this.#keepWithScan(known, sidecars);
    const recheck = await removeStoredFiles(this.#d, folder, { original, names: [file.relativePath], arrival, siblings: [], sidecars });
    return withRecheck(outcome, recheck);
  }

  /**
   * Try-read every candidate in the worker, with the sibling files it names, before any is
   * stored: one that cannot be read makes the whole file unreadable (`#unreadable`: checked
   * again later, or quarantined with the siblings it names — never a zip's, which live inside
   * it), so a zip is never half taken in.
   */
  async #probeCandidates(file: FolderFile, candidates: Candidate[], isZip: boolean): Promise<{ accepted: Accepted[] } | { outcome: IngestOutcome }> {
    const accepted: Accepted[] = [];
    for (const candidate of candidates) {
      const uris = siblingUris(candidate.relativePath, candidate.bytes, candidate.readSibling);
      const named = [...uris.read, ...uris.extra];
      const readSiblings = await siblingBuffers(candidate, uris.read);
      let probe: ProbeResult;
      try {
        probe = await this.#d.probe({ name: basename(candidate.relativePath), bytes: await copyToArrayBuffer(candidate.bytes), siblings: readSiblings });
      } catch (err) {
        return { outcome: await this.#unreadable(file, err, candidates.length > 1 ? candidate.relativePath : undefined, isZip ? [] : named) };
      }
      const siblings = named
        .map((uri) => ({ uri, bytes: candidate.readSibling(uri) }))
        .filter((s): s is { uri: string; bytes: Uint8Array } => s.bytes !== undefined);
      accepted.push({ candidate, probe, siblings });
    }
    return { accepted };
  }

  /**
   * Store each accepted candidate, one transaction each, its chunks staged first. Bytes that
   * came in elsewhere meanwhile (looked up after staging) are an arrival of that scan instead.
   * A zip's first stored scan keeps the whole zip and its photos (`keepWholeZip`); `zipKept`
   * says whether one did.
   */
  async #storeAccepted(file: FolderFile, drop: DropRead, accepted: Accepted[], sidecars: Sidecar[]): Promise<{ scans: Scan[]; duplicates: number; zipKept: boolean }> {
    const { folder } = file;
    const scans: Scan[] = [];
    let duplicates = 0;
    let zipKept = false;
    for (const item of accepted) {
      const { candidate } = item;
      // A zip's scan is the entry, never the zip: its hash is the entry's, even when it is the only one.
      const hash = drop.isZip ? await sha256Async(candidate.bytes) : drop.fileHash;
      // Sidecars are stored with the scan like siblings (identity was read from them).
      const stored = [...item.siblings, ...sidecars.filter((c) => !item.siblings.some((s) => s.uri === c.uri)).map((c) => ({ uri: c.uri, bytes: c.bytes }))];
      if (drop.isZip && !zipKept) keepWholeZip(stored, basename(file.relativePath), drop.bytes, (candidate as ZipCandidate).photos);
      const staged = await this.#stage(candidate.bytes, hash, stored);
      // Checked after staging: the same bytes may have come in elsewhere in the meantime.
      const existing = this.#d.store.scans.findBySha256(hash);
      if (existing) {
        this.#recordArrival(existing, folder.name!, candidate.relativePath, drop.arrival);
        scans.push(existing);
        duplicates++;
        continue;
      }
      scans.push(this.#storeCandidate(folder, item, { hash, stored, staged }, drop.arrival, sidecars.length));
      if (drop.isZip) zipKept = true;
    }
    return { scans, duplicates, zipKept };
  }

  /** Identify one accepted candidate (path, sidecars, manifest) and store it with what goes with it; logged without names. */
  #storeCandidate(folder: FolderConfig, item: Accepted, p: Prepared, arrival: ArrivalFile, sidecarCount: number): Scan {
    const { candidate, probe } = item;
    const { identity, warnings, evidence } = identifyScan({
      relativePath: candidate.relativePath, rule: cachedRule(folder.rule), layout: folder.layout,
      sidecar: candidate.sidecar, project: candidate.project, manifest: candidate.manifest, rx: candidate.rx, mtimeMs: arrival.mtimeMs,
    });
    const scan = this.#store({
      bytes: candidate.bytes, sha256: p.hash, source: folder.name!, originalName: candidate.relativePath, format: probe.format,
      identity, evidence, siblings: p.stored, actor: 'system', profile: folder.profile, staged: p.staged.scan, stagedSiblings: p.staged.siblings, file: arrival,
    });
    this.#d.log.info(`stored scan ${scan.uid} from folder ${folder.name} (${identity.jaw}, ${probe.format} ${probe.variant}, ${probe.triangles} triangles, ${identity.patient ? 'patient matched' : 'unassigned'})`, {
      identityWarnings: warnings.length, readWarnings: probe.warnings.length, sidecars: sidecarCount,
    });
    return scan;
  }

  /**
   * Take in bytes that did not come from a watched folder (API upload, `cusp import`):
   * the same try-read and transaction; a file that cannot be read is an error, not a
   * quarantine. An upload comes as `file`, spooled to disk and hashed as it arrived
   * (upload-spool.ts): it is try-read and staged from there, never held in memory whole.
   */
  async ingestBytes(input: { bytes?: Uint8Array; file?: SpooledFile; name: string; identity?: Partial<ScanIdentity>; actor: string; sourceAddress?: string | null; source: 'upload' | 'import' }): Promise<{ scan: Scan; duplicate: boolean }> {
    const { file } = input;
    const bytes = input.bytes ?? new Uint8Array(0);
    const hash = file?.sha256 ?? await sha256Async(bytes);
    const known = this.#d.store.scans.findBySha256(hash);
    if (known) {
      this.#recordArrival(known, input.source, input.name);
      return { scan: known, duplicate: true };
    }
    const probe = file
      ? await probeSpooled(this.#d.probe, file, input.name)
      : await this.#d.probe({ name: input.name, bytes: await copyToArrayBuffer(bytes), siblings: {} });
    const { identity, evidence } = identifyScan({ relativePath: input.name, rule: cachedRule('generic'), layout: 'flat', receivedMs: Date.now() });
    const stagedFile = file ? await this.#d.store.blobs.stageFile(file.path, hash) : undefined;
    const staged = file ? undefined : await this.#stage(bytes, hash, []);
    const existing = this.#d.store.scans.findBySha256(hash);
    if (existing) {
      this.#recordArrival(existing, input.source, input.name);
      return { scan: existing, duplicate: true };
    }
    const scan = this.#store({
      bytes, sha256: hash, source: input.source, originalName: input.name, format: probe.format,
      identity: { ...identity, ...input.identity }, evidence, siblings: [], actor: input.actor, sourceAddress: input.sourceAddress, profile: 'scan',
      staged: staged?.scan, stagedFile,
    });
    return { scan, duplicate: false };
  }

  /**
   * Write the chunks of a scan and its siblings ahead of the transaction that stores it,
   * a chunk per turn of the event loop (the API keeps answering while a 50 MB scan goes in).
   */
  async #stage(bytes: Uint8Array, hash: string, siblings: Array<{ uri: string; bytes: Uint8Array }>): Promise<{ scan: StagedBlob; siblings: StagedBlob[] }> {
    const blobs = this.#d.store.blobs;
    const scan = await blobs.stage(bytes, hash);
    const staged: StagedBlob[] = [];
    for (const sibling of siblings) staged.push(await blobs.stage(sibling.bytes));
    return { scan, siblings: staged };
  }

  #store(input: Parameters<typeof storeScan>[1]): Scan {
    const { scan } = storeScan(this.#d, input);
    this.#d.photos?.adoptScanPhotos(scan);
    this.#d.onStored?.(scan);
    return scan;
  }

  /**
   * The same bytes arrived again: one scan, one more arrival, with its audit event and
   * change — also for the same name in the same folder. Only the very same file seen again
   * (same name, size and mtime, and not yet removed: a crash came between storing and
   * removing it, or the folder keeps originals) is no new arrival.
   */
  #recordArrival(scan: Scan, source: string, originalName: string, file?: ArrivalFile): IngestOutcome {
    const { store } = this.#d;
    if (file && store.scans.isOpenArrival(scan.id, source, originalName, file)) return { kind: 'already', scans: [scan] };
    store.transaction(() => {
      store.scans.recordDuplicate(scan.id, source, originalName, file);
      record(this.#d, {
        audit: { actor: 'system', action: 'scan.duplicate', object: `scan:${scan.uid}`, details: { source } },
        changes: [{ type: 'scan.duplicate', objectType: 'scan', objectId: scan.uid, data: { source } }],
        events: [busEvent('scan.duplicate', { scanId: scan.id, uid: scan.uid, folder: source })],
      });
    });
    this.#d.log.info(`scan ${scan.uid} arrived again in ${source}: recorded as a duplicate, not stored twice`);
    return { kind: 'duplicate', scans: [scan] };
  }

  /** Whether bytes with this hash are held in the database as a scan or a scan's source file. */
  #isStored(hash: string): boolean {
    return this.#d.store.scans.holdsBytes(hash);
  }

  /**
   * Store files that came with an arrival of a scan already stored as its source artifacts
   * (`source:<uri>`, or `source:<uri> (n)` when that name holds other bytes: nothing stored
   * is replaced). Files whose bytes are stored already are skipped.
   */
  async #keepWithScan(scan: Scan, files: Array<{ uri: string; bytes: Uint8Array }>): Promise<void> {
    const { store } = this.#d;
    for (const f of files) {
      const hash = await sha256Async(f.bytes);
      if (this.#isStored(hash)) continue;
      const staged = await store.blobs.stage(f.bytes, hash);
      store.transaction(() => {
        let kind = `source:${f.uri}`;
        for (let n = 2; store.artifacts.get(scan.id, kind); n++) kind = `source:${f.uri} (${n})`;
        store.blobs.put(f.bytes, hash, staged);
        store.artifacts.put(scan.id, kind, mediaType(f.uri), hash, { size: f.bytes.length });
      });
    }
  }

  async #unreadable(file: FolderFile, err: unknown, entry?: string, siblingUrisNamed: string[] = []): Promise<IngestOutcome> {
    if (!isCuspError(err) || (err.code !== 'mesh_rejected' && err.code !== 'invalid_input')) throw err;
    const reason = entry ? `${entry}: ${err.message}` : err.message;
    const age = Date.now() - file.firstSeenMs;
    const grace = IngestService.graceMs(file.folder);
    if (age < grace) return { kind: 'incomplete', reason, retryInMs: Math.min(grace - age + 100, Math.max(2000, file.folder.stabilitySeconds * 1000)) };
    const siblings = siblingUrisNamed
      .map((uri) => resolveInside(file.folder.path, dirname(file.path), uri))
      .filter((p): p is string => p !== undefined && existsSync(p));
    return this.quarantine(file.folder, file.path, file.relativePath, reason, siblings);
  }

  /**
   * Move a file that cannot be taken in to the folder's quarantine, with the reason beside
   * it and the sibling files it names (`quarantine-file.ts`).
   */
  quarantine(folder: FolderConfig, path: string, relativePath: string, reason: string, siblings: string[] = []): Promise<IngestOutcome> {
    return quarantineFile(this.#d, folder, path, relativePath, reason, siblings);
  }
}

/** A candidate that passed its try-read, with the sibling files it names that were found. */
interface Accepted {
  candidate: Candidate;
  probe: ProbeResult;
  siblings: Array<{ uri: string; bytes: Uint8Array }>;
}

/** What was read of a drop file, as storing its candidates needs it. */
interface DropRead {
  bytes: Uint8Array;
  fileHash: string;
  isZip: boolean;
  arrival: ArrivalFile;
}

/** A candidate ready for its transaction: its hash, the files stored with it, their chunks staged. */
interface Prepared {
  hash: string;
  stored: Array<{ uri: string; bytes: Uint8Array }>;
  staged: { scan: StagedBlob; siblings: StagedBlob[] };
}

/** The outcome, with the scan files to take in again when there are any. */
function withRecheck(outcome: IngestOutcome, recheck: string[]): IngestOutcome {
  return recheck.length > 0 ? { ...outcome, recheck } as IngestOutcome : outcome;
}

/**
 * A zip holds more than its meshes (manifests, photos): the first scan from it keeps the
 * whole zip, so that deleting it deletes nothing that is not stored — and its photos, each on
 * its own, which become images of this scan's visit. Added to `stored`, no uri twice.
 */
function keepWholeZip(stored: Array<{ uri: string; bytes: Uint8Array }>, zipName: string, zipBytes: Uint8Array, photos: Array<{ uri: string; bytes: Uint8Array }>): void {
  stored.push({ uri: zipName, bytes: zipBytes });
  for (const photo of photos) if (!stored.some((s) => s.uri === photo.uri)) stored.push(photo);
}
