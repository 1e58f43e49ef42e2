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
 * 3. store bytes, siblings, patient, scan, job, audit event and change in one transaction;
 * 4. only after that commit (synchronous=FULL: it is on disk) delete or archive the
 *    original, per the folder's setting.
 */
import { readFile, rm } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { AuditLog } from '../audit/audit-log.js';
import type { FolderConfig } from '../config/index.js';
import { isCuspError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { ProbeResult } from '../jobs/workers/probe.worker.js';
import type { Logger } from '../log/index.js';
import { sha256Async, type StagedBlob } from '../store/blobs.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { below, moveFile, writeNote } from './file-moves.js';
import { compileRule, identifyScan, type CompiledRule, type ScanIdentity } from './rules/index.js';
import { readInside, readProject, readSidecar, type Candidate } from './scan-context.js';
import { siblingUris } from './siblings.js';
import { storeScan } from './store-scan.js';
import { probeSpooled } from './upload-probe.js';
import type { SpooledFile } from './upload-spool.js';
import { zipCandidates } from './zip-candidates.js';

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
}

/** A file in a watched folder, as the watcher reports it. */
export interface FolderFile {
  folder: FolderConfig;
  path: string;
  relativePath: string;
  /** When the watcher first saw the file (for the grace time of unreadable files). */
  firstSeenMs: number;
}

export type IngestOutcome =
  | { kind: 'stored'; scans: Scan[] }
  | { kind: 'duplicate'; scans: Scan[] }
  | { kind: 'already'; scans: Scan[] }
  | { kind: 'incomplete'; reason: string; retryInMs: number }
  | { kind: 'quarantined'; reason: string; to: string }
  | { kind: 'gone' };

export class IngestService {
  readonly #d: IngestDeps;
  readonly #rules = new Map<string, CompiledRule>();

  constructor(deps: IngestDeps) {
    this.#d = deps;
  }

  #rule(spec: string): CompiledRule {
    let rule = this.#rules.get(spec);
    if (!rule) {
      rule = compileRule(spec);
      this.#rules.set(spec, rule);
    }
    return rule;
  }

  /** How long an unreadable file may still be a copy in progress before it is quarantined. */
  static graceMs(folder: FolderConfig): number {
    return Math.max(10_000, folder.stabilitySeconds * 5_000);
  }

  /** Take in one stable file of a watched folder. Never throws for a bad file. */
  async ingestFolderFile(file: FolderFile): Promise<IngestOutcome> {
    const { folder } = file;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
      throw err;
    }
    const siblingCache = new Map<string, Uint8Array | undefined>();
    const baseDir = dirname(file.path);
    const readSibling = (uri: string): Uint8Array | undefined => {
      if (!siblingCache.has(uri)) siblingCache.set(uri, readInside(folder.path, baseDir, uri));
      return siblingCache.get(uri);
    };
    let candidates: Candidate[];
    if (file.relativePath.toLowerCase().endsWith('.zip')) {
      try {
        candidates = zipCandidates(bytes, file.relativePath);
      } catch (err) {
        return this.#unreadable(file, err);
      }
    } else {
      candidates = [{
        relativePath: file.relativePath,
        bytes,
        readSibling,
        sidecar: readSidecar(folder.path, file.path),
        project: readProject(folder.path, file.path),
      }];
    }

    // Duplicates first: the same bytes need no try-read.
    const fileHash = await sha256Async(bytes);
    const known = this.#d.store.scans.findBySha256(fileHash);
    if (known && candidates.length === 1) {
      const outcome = this.#recordArrival(known, folder.name!, file.relativePath);
      await this.#afterStored(folder, file.path, []);
      return outcome;
    }

    const accepted: Array<{ candidate: Candidate; probe: ProbeResult; siblings: Array<{ uri: string; bytes: Uint8Array }> }> = [];
    for (const candidate of candidates) {
      const uris = siblingUris(candidate.relativePath, candidate.bytes, candidate.readSibling);
      const readSiblings: Record<string, ArrayBuffer> = {};
      for (const uri of uris.read) {
        const b = candidate.readSibling(uri);
        if (b) readSiblings[uri] = await copyToArrayBuffer(b);
      }
      let probe: ProbeResult;
      try {
        probe = await this.#d.probe({ name: basename(candidate.relativePath), bytes: await copyToArrayBuffer(candidate.bytes), siblings: readSiblings });
      } catch (err) {
        return this.#unreadable(file, err, candidates.length > 1 ? candidate.relativePath : undefined);
      }
      const siblings = [...uris.read, ...uris.extra]
        .map((uri) => ({ uri, bytes: candidate.readSibling(uri) }))
        .filter((s): s is { uri: string; bytes: Uint8Array } => s.bytes !== undefined);
      accepted.push({ candidate, probe, siblings });
    }

    const scans: Scan[] = [];
    let duplicates = 0;
    for (const { candidate, probe, siblings } of accepted) {
      const hash = candidates.length === 1 ? fileHash : await sha256Async(candidate.bytes);
      const staged = await this.#stage(candidate.bytes, hash, siblings);
      // Checked after staging: the same bytes may have come in elsewhere in the meantime.
      const existing = this.#d.store.scans.findBySha256(hash);
      if (existing) {
        this.#recordArrival(existing, folder.name!, candidate.relativePath);
        scans.push(existing);
        duplicates++;
        continue;
      }
      const { identity, warnings } = identifyScan({
        relativePath: candidate.relativePath, rule: this.#rule(folder.rule), layout: folder.layout,
        sidecar: candidate.sidecar, project: candidate.project,
      });
      const stored = this.#store({
        bytes: candidate.bytes, sha256: hash, source: folder.name!, originalName: candidate.relativePath, format: probe.format,
        identity, siblings, actor: 'system', profile: folder.profile, staged: staged.scan, stagedSiblings: staged.siblings,
      });
      this.#d.log.info(`stored scan ${stored.uid} from folder ${folder.name} (${identity.jaw}, ${probe.format} ${probe.variant}, ${probe.triangles} triangles, ${identity.patient ? 'patient matched' : 'unassigned'})`, {
        identityWarnings: warnings.length, readWarnings: probe.warnings.length,
      });
      scans.push(stored);
    }
    const storedSiblings = accepted.length === 1 && candidates.length === 1 ? accepted[0].siblings.map((s) => s.uri) : [];
    await this.#afterStored(folder, file.path, storedSiblings);
    return duplicates === scans.length ? { kind: 'duplicate', scans } : { kind: 'stored', scans };
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
    const { identity } = identifyScan({ relativePath: input.name, rule: this.#rule('generic'), layout: 'flat' });
    const stagedFile = file ? await this.#d.store.blobs.stageFile(file.path, hash) : undefined;
    const staged = file ? undefined : await this.#stage(bytes, hash, []);
    const existing = this.#d.store.scans.findBySha256(hash);
    if (existing) {
      this.#recordArrival(existing, input.source, input.name);
      return { scan: existing, duplicate: true };
    }
    const scan = this.#store({
      bytes, sha256: hash, source: input.source, originalName: input.name, format: probe.format,
      identity: { ...identity, ...input.identity }, siblings: [], actor: input.actor, sourceAddress: input.sourceAddress, profile: 'scan',
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

  #store(input: Parameters<typeof storeScan>[2]): Scan {
    const { scan, patient } = storeScan(this.#d.store, this.#d.audit, input);
    this.#d.bus.emit('scan.received', { scanId: scan.id, uid: scan.uid, jaw: scan.jaw, patient: patient?.pseudoId ?? null, folder: input.source, format: scan.format, size: scan.size });
    this.#d.onStored?.(scan);
    return scan;
  }

  /** The same bytes arrived again: one scan, one more arrival (none when it is the same file). */
  #recordArrival(scan: Scan, source: string, originalName: string): IngestOutcome {
    const { store, audit, bus } = this.#d;
    if (store.scans.hasArrival(scan.id, source, originalName)) return { kind: 'already', scans: [scan] };
    store.transaction(() => {
      store.scans.recordDuplicate(scan.id, source, originalName);
      audit.append({ actor: 'system', action: 'scan.duplicate', object: `scan:${scan.uid}`, details: { source } });
      store.changes.append('scan.duplicate', 'scan', scan.uid, { source });
    });
    bus.emit('scan.duplicate', { scanId: scan.id, uid: scan.uid, folder: source });
    this.#d.log.info(`scan ${scan.uid} arrived again in ${source}: recorded as a duplicate, not stored twice`);
    return { kind: 'duplicate', scans: [scan] };
  }

  /** The original is safely stored: delete, archive or keep it (and the siblings stored with it). */
  async #afterStored(folder: FolderConfig, path: string, siblingUrisStored: string[]): Promise<void> {
    const files = [path, ...siblingUrisStored.map((uri) => join(dirname(path), ...uri.split('/')))];
    for (const f of files) {
      try {
        if (folder.after === 'delete') await rm(f, { force: true });
        else if (folder.after === 'archive' && folder.archiveDir) await moveFile(f, below(folder.archiveDir, toPosix(relative(folder.path, f))));
      } catch (err) {
        // The scan is stored; the next rescan sees the file again as 'already' and retries.
        this.#d.log.warn(`could not ${folder.after} a stored original in folder ${folder.name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }

  async #unreadable(file: FolderFile, err: unknown, entry?: string): Promise<IngestOutcome> {
    if (!isCuspError(err) || (err.code !== 'mesh_rejected' && err.code !== 'invalid_input')) throw err;
    const reason = entry ? `${entry}: ${err.message}` : err.message;
    const age = Date.now() - file.firstSeenMs;
    const grace = IngestService.graceMs(file.folder);
    if (age < grace) return { kind: 'incomplete', reason, retryInMs: Math.min(grace - age + 100, Math.max(2000, file.folder.stabilitySeconds * 1000)) };
    return this.quarantine(file.folder, file.path, file.relativePath, reason);
  }

  /** Move a file that cannot be taken in to the folder's quarantine, with the reason beside it. */
  async quarantine(folder: FolderConfig, path: string, relativePath: string, reason: string): Promise<IngestOutcome> {
    const { store, audit, bus, log } = this.#d;
    let hash = '';
    try {
      hash = await sha256Async(await readFile(path));
    } catch {
      return { kind: 'gone' };
    }
    const to = await moveFile(path, below(folder.quarantineDir!, relativePath));
    await writeNote(`${to}.reason.txt`, [
      `Cusp could not take in this file from folder ${folder.name} (${folder.path}).`,
      `Time: ${new Date().toISOString()}`,
      `File: ${relativePath}`,
      `SHA-256: ${hash}`,
      `Reason: ${reason}`,
      '',
      'What to do: export the scan again from the scanner software into the watched folder.',
      'Once fixed, delete this file and its .reason.txt; nothing here is in the database.',
      '',
    ].join('\n'));
    const quarantined = toPosix(relative(folder.quarantineDir!, to));
    store.transaction(() => {
      audit.append({ actor: 'system', action: 'scan.quarantine', object: `file:sha256:${hash.slice(0, 16)}`, outcome: 'failure', details: { folder: folder.name } });
      store.changes.append('scan.quarantined', 'folder', folder.name!, { file: quarantined, reason });
    });
    bus.emit('scan.quarantined', { folder: folder.name!, file: quarantined, reason });
    log.warn(`quarantined a file from folder ${folder.name}: it cannot be read as a scan (reason in its .reason.txt)`, { sha256: hash.slice(0, 16) });
    return { kind: 'quarantined', reason, to };
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** Bytes copied per turn of the event loop by `copyToArrayBuffer`. */
const COPY_SLICE = 4 << 20;

/**
 * A fresh ArrayBuffer holding `bytes` (safe to transfer; never a pooled Buffer's), copied
 * 4 MiB per turn of the event loop: a 50 MB scan is no single 20 ms pause of the API.
 */
async function copyToArrayBuffer(bytes: Uint8Array): Promise<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  for (let at = 0; at < bytes.length; at += COPY_SLICE) {
    if (at > 0) await yieldToEventLoop();
    out.set(bytes.subarray(at, at + COPY_SLICE), at);
  }
  return out.buffer;
}
