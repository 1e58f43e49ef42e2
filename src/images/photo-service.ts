/**
 * Taking photos in: a lone photo from a drop folder, a photo uploaded through the API, and
 * the photos that came inside a scan's export (stored with the scan as its source files).
 * Each becomes an image of the visit with its `image` job queued (decode, EXIF, quality,
 * thumbnail: in a worker, never on this thread).
 *
 * The rules are the scans' rules: the original bytes are stored byte for byte (encrypted,
 * content-addressed chunks) in one transaction with the image row, its job, the audit event
 * and the change; only after that commit does a drop-folder original leave, through
 * `removeIfStored` (checked to be still exactly what was stored). A file that is no photo
 * goes to the quarantine with its reason. Identity: a photo takes the patient and visit of
 * the scans it came with; a lone photo reads its path with the folder's rule, as a scan does.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { AuditLog } from '../audit/audit-log.js';
import type { FolderConfig } from '../config/index.js';
import { CuspError } from '../errors.js';
import { record } from '../events/record.js';
import { below, toPosix } from '../ingest/file-moves.js';
import type { FolderFile, IngestOutcome } from '../ingest/ingest-service.js';
import { removeEmptyFolders, removeIfStored, type HowToRemove } from '../ingest/remove-original.js';
import { cachedRule, identifyScan } from '../rules/index.js';
import { readProject, readSidecar } from '../ingest/scan-context.js';
import { candidateRemains, readDropFileAsync } from '../ingest/sidecars.js';
import { resolvePatient } from '../ingest/store-scan.js';
import type { Logger } from '../log/index.js';
import { sha256Async, type StagedBlob } from '../store/blobs.js';
import type { CapturedAtSource, Image, NewImage } from '../store/images.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { kindFromName, type ImageKind } from './kind.js';
import { hasPhotoExtension, sniffImage } from './media.js';
import { visitOfDay } from '../ingest/visit-of-day.js';

export interface PhotoDeps {
  store: Store;
  audit: AuditLog;
  log: Logger;
  /** Called after an image (and its job) was stored: wake the job dispatcher. */
  onStored?: (image: Image) => void;
  /** Move a file that is no photo to its folder's quarantine with the reason (IngestService.quarantine). */
  quarantine: (folder: FolderConfig, path: string, relativePath: string, reason: string) => Promise<IngestOutcome>;
}

/** How long a photo in a case folder waits for the scans beside it to be taken in first. */
export const WAIT_FOR_SCANS_MS = 3000;

/** How long a case folder must have been quiet before a photo in it is taken without scans. */
export const CASE_QUIET_MS = 8000;

/** The newest mtime (ms) of a folder and its entries: when something last changed in it. */
function newestChange(dir: string): number {
  let newest = statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return newest;
  }
  for (const name of names) newest = Math.max(newest, lstatSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return newest;
}

/** What an upload may say about the photo. */
export interface PhotoUpload {
  bytes: Uint8Array;
  name: string;
  patientId?: number | null;
  visitId?: number | null;
  kind?: ImageKind;
  /** YYYY-MM-DD, when the client says when it was taken. */
  capturedAt?: string | null;
  actor: string;
  sourceAddress?: string | null;
}

export class PhotoService {
  readonly #d: PhotoDeps;

  constructor(deps: PhotoDeps) {
    this.#d = deps;
  }

  /**
   * Take in a photo file of a watched folder. A photo in a case folder that still holds a
   * scan waits for it: the scan takes the photo with it (as an image of its visit). Never
   * throws for a bad file.
   */
  async ingestFolderPhoto(file: FolderFile): Promise<IngestOutcome> {
    const { folder } = file;
    const dir = dirname(file.path);
    if (relative(folder.path, dir) !== '') {
      if (candidateRemains(folder.path, dir)) {
        return { kind: 'incomplete', reason: 'waits for the scans of its export', retryInMs: Math.max(WAIT_FOR_SCANS_MS, folder.stabilitySeconds * 1000) };
      }
      // A copy tool may write an export's photos before its scans: a photo in a case folder
      // is taken alone only once the folder has been quiet for a while, so that scans still
      // to come take it with them (on their visit, linked to them).
      const quiet = Math.max(CASE_QUIET_MS, folder.stabilitySeconds * 4000);
      const since = Date.now() - newestChange(dir);
      if (since < quiet) return { kind: 'incomplete', reason: 'waits for the rest of its export', retryInMs: quiet - since + 250 };
    }
    const read = await readDropFileAsync(file.path, 256 * 1024 * 1024);
    if (read === undefined) return { kind: 'gone' };
    if (read === 'moving') return { kind: 'incomplete', reason: 'the file changed while it was read', retryInMs: Math.max(2000, folder.stabilitySeconds * 1000) };
    const mediaType = sniffImage(read.bytes);
    if (!mediaType) {
      return this.#d.quarantine(folder, file.path, file.relativePath, `${basename(file.relativePath)} has a photo's name but is no JPEG, PNG or HEIC image (its first bytes say otherwise)`);
    }
    const sha256 = await sha256Async(read.bytes);
    const state = { sha256, size: read.size, mtimeMs: read.mtimeMs };
    let outcome: IngestOutcome;
    const known = this.#d.store.images.findBySha256(sha256);
    if (known) {
      this.#duplicate(known, folder.name!, 'system', null);
      outcome = { kind: 'duplicate', scans: [] };
    } else {
      const { identity } = identifyScan({
        relativePath: file.relativePath, rule: cachedRule(folder.rule), layout: folder.layout,
        sidecar: readSidecar(folder.path, file.path), project: readProject(folder.path, file.path),
      });
      const capturedAt = identity.capturedAt ?? new Date(read.mtimeMs).toISOString().slice(0, 10);
      const capturedAtSource: CapturedAtSource = identity.capturedAt ? 'name' : 'file';
      const staged = await this.#d.store.blobs.stage(read.bytes, sha256);
      const image = this.#store({
        bytes: read.bytes, staged, actor: 'system', sourceAddress: null,
        image: {
          ...this.#kind(file.relativePath), mediaType, sourceFolder: folder.name!, originalName: file.relativePath, size: read.size, sha256,
          capturedAt, capturedAtSource, scanId: null, visitId: null, patientId: null,
        },
        patientHint: identity.patient, visitDate: capturedAt,
      });
      this.#d.log.info(`stored image ${image.uid} from folder ${folder.name} (${image.kind}, ${mediaType}, ${image.patientId === null ? 'unassigned' : 'patient matched'})`);
      outcome = { kind: 'stored', scans: [] };
    }
    if (folder.after === 'keep' || (folder.after === 'archive' && !folder.archiveDir)) return outcome;
    const how: HowToRemove = folder.after === 'archive'
      ? { kind: 'archive', to: below(folder.archiveDir!, toPosix(relative(folder.path, file.path))) }
      : { kind: 'delete' };
    try {
      const removed = await removeIfStored(file.path, state, how);
      if (removed.kind === 'changed') {
        this.#d.log.warn(`a photo in folder ${folder.name} changed after Cusp read it (${removed.why}): it stays and is read again; the stored bytes stay too`);
        return { ...outcome, recheck: [removed.path] } as IngestOutcome;
      }
      await removeEmptyFolders(folder.path, dirname(file.path));
    } catch (err) {
      this.#d.log.warn(`could not ${folder.after} a stored photo in folder ${folder.name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return outcome;
  }

  /** Take in an uploaded photo: the same transaction; bytes that are no photo are an error. */
  async ingestUpload(input: PhotoUpload): Promise<{ image: Image; duplicate: boolean }> {
    const mediaType = sniffImage(input.bytes);
    if (!mediaType) throw new CuspError('invalid_input', `${input.name} is no JPEG, PNG or HEIC image (its first bytes say otherwise) — send the photo file itself`);
    const sha256 = await sha256Async(input.bytes);
    const known = this.#d.store.images.findBySha256(sha256);
    if (known) {
      this.#duplicate(known, 'upload', input.actor, input.sourceAddress ?? null);
      return { image: known, duplicate: true };
    }
    const { store } = this.#d;
    const visit = input.visitId ? store.visits.get(input.visitId) : undefined;
    if (input.visitId && !visit) throw new CuspError('invalid_input', `query.visit: no visit ${input.visitId}`);
    if (visit && input.patientId && visit.patientId !== input.patientId) throw new CuspError('invalid_input', `visit ${visit.id} is another patient's — name the visit alone, or the patient alone`);
    const patientId = visit?.patientId ?? input.patientId ?? null;
    // Never null (as for scans): the client's date, the visit's, else the day it arrived; EXIF overrides once read.
    const capturedAt = input.capturedAt ?? visit?.date ?? new Date().toISOString().slice(0, 10);
    const staged = await store.blobs.stage(input.bytes, sha256);
    const kind = input.kind ? { kind: input.kind, kindSource: 'upload' as const } : this.#kind(input.name);
    const image = this.#store({
      bytes: input.bytes, staged, actor: input.actor, sourceAddress: input.sourceAddress ?? null,
      image: {
        ...kind, mediaType, sourceFolder: 'upload', originalName: input.name, size: input.bytes.length, sha256,
        capturedAt, capturedAtSource: 'upload', scanId: null, patientId, visitId: visit?.id ?? null,
      },
      visitDate: visit ? undefined : capturedAt,
    });
    return { image, duplicate: false };
  }

  /**
   * The photos a scan's export held, stored with the scan as its source files (`source:…`
   * artifacts: a case folder's gallery JPEGs, the photos inside a zip), become images of
   * the scan's patient and visit. Photos stored as images already (the other jaw's scan of
   * the same export brought them too) are not taken twice. Returns the new images.
   */
  adoptScanPhotos(scan: Scan): Image[] {
    const { store } = this.#d;
    const out: Image[] = [];
    for (const artifact of store.artifacts.forScan(scan.id)) {
      if (!artifact.kind.startsWith('source:')) continue;
      const uri = artifact.kind.slice('source:'.length).replace(/ \(\d+\)$/, '');
      // A vendor's logo beside the gallery (iTero exports one) is no photo of the patient.
      if (!hasPhotoExtension(uri) || /(^|[^a-z])logo([^a-z]|$)/i.test(basename(uri)) || store.images.findBySha256(artifact.blobHash)) continue;
      const bytes = store.blobs.get(artifact.blobHash);
      const mediaType = bytes && sniffImage(bytes.subarray(0, 16));
      if (!bytes || !mediaType) continue; // a logo that is no photo after all stays a source file
      const originalName = scan.originalName.includes('/') ? `${scan.originalName.slice(0, scan.originalName.lastIndexOf('/') + 1)}${uri}` : uri;
      try {
        const image = this.#store({
          bytes, actor: 'system', sourceAddress: null,
          image: {
            ...this.#kind(uri), mediaType, sourceFolder: scan.sourceFolder, originalName, size: bytes.length, sha256: artifact.blobHash,
            capturedAt: scan.capturedAt, capturedAtSource: scan.capturedAt ? 'scan' : null, scanId: scan.id, patientId: scan.patientId, visitId: scan.visitId,
          },
        });
        this.#d.log.info(`stored image ${image.uid} from the export of scan ${scan.uid} (${image.kind}, ${mediaType})`);
        out.push(image);
      } catch (err) {
        // The photo's bytes are stored with the scan already: nothing is lost, it stays a source file.
        this.#d.log.warn(`a photo of scan ${scan.uid}'s export stays a source file only, it could not become an image: ${(err as Error).message}`);
      }
    }
    return out;
  }

  /**
   * At start: the photos of scans stored by a run that stopped (a crash, a kill) between
   * committing the scan and making its photos images. Their bytes are stored with the scan
   * already; here they become the images they should be. Returns how many were made.
   */
  adoptMissed(): number {
    const { store } = this.#d;
    let made = 0;
    for (const id of store.artifacts.scansWithUnadoptedPhotos()) {
      const scan = store.scans.get(id);
      if (scan) made += this.adoptScanPhotos(scan).length;
    }
    if (made > 0) this.#d.log.info(`made ${made} image(s) of photos that scans stored before a stop had brought`);
    return made;
  }

  #kind(name: string): Pick<NewImage, 'kind' | 'kindSource'> {
    const kind = kindFromName(name);
    return { kind, kindSource: kind === 'other' ? 'none' : 'name' };
  }

  /**
   * Store one image: bytes (staged ahead, or already stored as a scan's source file),
   * patient and visit, the image row, its job, audit event and change — one transaction.
   */
  #store(input: { bytes: Uint8Array; staged?: StagedBlob; image: NewImage; actor: string; sourceAddress: string | null; patientHint?: Parameters<typeof resolvePatient>[1] | null; visitDate?: string }): Image {
    const { store } = this.#d;
    const image = store.transaction(() => {
      store.blobs.put(input.bytes, input.image.sha256, input.staged);
      const row: NewImage = { ...input.image };
      let patientCreated = false;
      if (input.patientHint) {
        // A name that is not unique, or sources that disagree, leave the photo unassigned
        // (a person assigns it); never a guess.
        const resolved = resolvePatient(store, input.patientHint);
        row.patientId = resolved.patient?.id ?? null;
        patientCreated = resolved.created;
      }
      if (row.patientId !== null && row.visitId === null && input.visitDate) row.visitId = visitOfDay(this.#d, row.patientId, input.visitDate, 'photo').id;
      const stored = store.images.insert(row);
      const job = store.jobs.enqueue('image', null, { payload: { imageId: stored.id } });
      store.images.attachJob(job.id, stored.id);
      const patient = stored.patientId === null ? null : store.patients.pseudoIdOf(stored.patientId) ?? null;
      const scan = stored.scanId === null ? null : store.scans.uidOf(stored.scanId) ?? null;
      record(this.#d, {
        audit: {
          actor: input.actor, action: 'image.ingest', object: `image:${stored.uid}`, source: input.sourceAddress,
          details: { source: stored.sourceFolder, mediaType: stored.mediaType, size: stored.size, kind: stored.kind, patient, patientCreated, scan, visit: stored.visitId },
        },
        changes: [{ type: 'image.stored', objectType: 'image', objectId: stored.uid, data: { patient, visit: stored.visitId, scan, kind: stored.kind } }],
      });
      return stored;
    });
    this.#d.onStored?.(image);
    return image;
  }

  /** The same photo bytes arrived again: one image, the arrival audited and in the feed. */
  #duplicate(image: Image, source: string, actor: string, sourceAddress: string | null): void {
    record(this.#d, {
      audit: { actor, action: 'image.duplicate', object: `image:${image.uid}`, source: sourceAddress, details: { source } },
      changes: [{ type: 'image.duplicate', objectType: 'image', objectId: image.uid, data: { source } }],
    });
    this.#d.log.info(`image ${image.uid} arrived again in ${source}: recorded as a duplicate, not stored twice`);
  }
}

