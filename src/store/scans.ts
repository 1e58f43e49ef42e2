/** Scans: one row per stored mesh file, and one arrival row per file that came in. */
import { randomUUID } from 'node:crypto';
import type { Db } from './database.js';
import { StatementCache } from './statement-cache.js';
import { nowIso } from './time.js';

export type Jaw = 'upper' | 'lower' | 'bite' | 'other';
export type ScanStatus = 'received' | 'validated' | 'rejected' | 'analysed';
export type Verdict = 'ok' | 'warn' | 'fail';

export interface Scan {
  id: number;
  uid: string;
  patientId: number | null;
  visitId: number | null;
  jaw: Jaw;
  capturedAt: string | null;
  sourceFolder: string | null;
  scanner: string | null;
  originalName: string;
  format: string;
  size: number;
  sha256: string;
  status: ScanStatus;
  verdict: Verdict | null;
  reason: string | null;
  version: number;
  supersedes: number | null;
  receivedAt: string;
  updatedAt: string;
  /** The patient's pseudonymous id, when the query that read the scan joined it (listings). */
  patientPseudoId?: string | null;
}

export interface NewScan {
  patientId?: number | null;
  visitId?: number | null;
  jaw: Jaw;
  capturedAt?: string | null;
  sourceFolder?: string | null;
  scanner?: string | null;
  originalName: string;
  format: string;
  size: number;
  sha256: string;
  version?: number;
  supersedes?: number | null;
  /** The drop-folder file it was read from (size and mtime), to recognise that very file again. */
  file?: ArrivalFile;
}

/** A drop-folder file as it was read: the very same file has the same name, size and mtime. */
export interface ArrivalFile {
  size: number;
  mtimeMs: number;
}

interface ScanRow {
  id: number; uid: string; patient_id: number | null; visit_id: number | null; jaw: Jaw;
  captured_at: string | null; source_folder: string | null; scanner: string | null;
  original_name: string; format: string; size: number; sha256: string; status: ScanStatus;
  verdict: Verdict | null; reason: string | null; version: number; supersedes: number | null;
  received_at: string; updated_at: string;
}

function toScan(r: ScanRow | undefined): Scan | undefined {
  if (!r) return undefined;
  return {
    id: r.id, uid: r.uid, patientId: r.patient_id, visitId: r.visit_id, jaw: r.jaw,
    capturedAt: r.captured_at, sourceFolder: r.source_folder, scanner: r.scanner,
    originalName: r.original_name, format: r.format, size: r.size, sha256: r.sha256,
    status: r.status, verdict: r.verdict, reason: r.reason, version: r.version,
    supersedes: r.supersedes, receivedAt: r.received_at, updatedAt: r.updated_at,
  };
}

/**
 * A listing's columns, read as arrays (better-sqlite3's raw mode) and mapped by position:
 * building a 20-property object per row in the driver and then another per scan was a third
 * of a 50-row page's time (278 → 170 µs at 100k scans). The patient's pseudonym comes with
 * each row (a listing names it for every scan: one lookup inside SQLite instead of one
 * statement per row from JavaScript).
 */
const LISTING_COLUMNS = 'id, uid, patient_id, visit_id, jaw, captured_at, source_folder, scanner, original_name, format, size, sha256, ' +
  'status, verdict, reason, version, supersedes, received_at, updated_at, (SELECT pseudo_id FROM patients WHERE id = scans.patient_id)';

function listedScan(r: unknown[]): Scan {
  return {
    id: r[0] as number, uid: r[1] as string, patientId: r[2] as number | null, visitId: r[3] as number | null, jaw: r[4] as Jaw,
    capturedAt: r[5] as string | null, sourceFolder: r[6] as string | null, scanner: r[7] as string | null,
    originalName: r[8] as string, format: r[9] as string, size: r[10] as number, sha256: r[11] as string,
    status: r[12] as ScanStatus, verdict: r[13] as Verdict | null, reason: r[14] as string | null, version: r[15] as number,
    supersedes: r[16] as number | null, receivedAt: r[17] as string, updatedAt: r[18] as string, patientPseudoId: r[19] as string | null,
  };
}

/** Filters, order and page of a scan listing. */
export interface ScanFilter {
  patientId?: number;
  jaw?: Jaw;
  status?: ScanStatus;
  verdict?: Verdict;
  source?: string;
  /** Received at or after / before (ISO). */
  receivedFrom?: string;
  receivedTo?: string;
  unassigned?: boolean;
  sort?: 'received' | 'captured';
  order?: 'asc' | 'desc';
  limit: number;
  /** Opaque position from the previous page. */
  after?: { value: string | null; id: number };
}

const SORT_COLUMN = { received: 'received_at', captured: 'captured_at' } as const;

export class ScanRepository {
  readonly #stmts;
  readonly #listings: StatementCache;

  constructor(db: Db) {
    this.#listings = new StatementCache(db);
    this.#stmts = {
      uidOf: db.prepare<[number], { uid: string }>('SELECT uid FROM scans WHERE id = ?'),
      insert: db.prepare(`INSERT INTO scans (uid, patient_id, visit_id, jaw, captured_at, source_folder, scanner, original_name,
        format, size, sha256, status, version, supersedes, received_at, updated_at)
        VALUES (@uid, @patientId, @visitId, @jaw, @capturedAt, @sourceFolder, @scanner, @originalName,
        @format, @size, @sha256, 'received', @version, @supersedes, @now, @now)`),
      insertArrival: db.prepare(`INSERT INTO scan_arrivals (scan_id, source_folder, original_name, duplicate, arrived_at, file_size, file_mtime_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      byId: db.prepare<[number], ScanRow>('SELECT * FROM scans WHERE id = ?'),
      byUid: db.prepare<[string], ScanRow>('SELECT * FROM scans WHERE uid = ?'),
      bySha: db.prepare<[string], ScanRow>('SELECT * FROM scans WHERE sha256 = ? ORDER BY id LIMIT 1'),
      latestFor: db.prepare<[number, Jaw, string | null, string | null], ScanRow>(
        `SELECT * FROM scans WHERE patient_id = ? AND jaw = ? AND (captured_at IS ? OR substr(captured_at, 1, 10) = substr(?, 1, 10))
         ORDER BY version DESC LIMIT 1`,
      ),
      setStatus: db.prepare('UPDATE scans SET status = ?, verdict = ?, reason = ?, updated_at = ? WHERE id = ?'),
      arrivals: db.prepare<[number], { source_folder: string | null; original_name: string; duplicate: number; arrived_at: string }>(
        'SELECT source_folder, original_name, duplicate, arrived_at FROM scan_arrivals WHERE scan_id = ? ORDER BY id',
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM scans'),
      assign: db.prepare('UPDATE scans SET patient_id = ?, visit_id = ?, jaw = ?, captured_at = ?, updated_at = ? WHERE id = ?'),
      forVisit: db.prepare<[number], ScanRow>('SELECT * FROM scans WHERE visit_id = ? ORDER BY jaw, version, id'),
      patientSummary: db.prepare<[number], { jaw: Jaw; n: number; first: string; last: string }>(
        'SELECT jaw, count(*) AS n, min(received_at) AS first, max(received_at) AS last FROM scans WHERE patient_id = ? GROUP BY jaw',
      ),
      hasArrival: db.prepare<[number, string | null, string], { n: number }>(
        'SELECT count(*) AS n FROM scan_arrivals WHERE scan_id = ? AND source_folder IS ? AND original_name = ?',
      ),
      // Arrivals before migration 005 carry no size: they match by name, as they did then.
      openArrival: db.prepare<[number, string, string, number, number], { id: number }>(
        `SELECT id FROM scan_arrivals WHERE scan_id = ? AND source_folder IS ? AND original_name = ? AND removed_at IS NULL
         AND (file_size IS NULL OR (file_size = ? AND file_mtime_ms = ?)) ORDER BY id DESC LIMIT 1`,
      ),
      closeArrivals: db.prepare(`UPDATE scan_arrivals SET removed_at = ? WHERE scan_id = ? AND source_folder IS ? AND original_name = ?
        AND removed_at IS NULL AND (file_size IS NULL OR (file_size = ? AND file_mtime_ms = ?))`),
      ref: db.prepare<[number], { uid: string; pseudo_id: string | null }>(
        'SELECT s.uid, p.pseudo_id FROM scans s LEFT JOIN patients p ON p.id = s.patient_id WHERE s.id = ?'),
      ofPatient: db.prepare<[number], { id: number }>('SELECT id FROM scans WHERE patient_id = ? ORDER BY id'),
      byStatus: db.prepare<[], { status: ScanStatus; n: number }>('SELECT status, count(*) AS n FROM scans GROUP BY status'),
      remove: db.prepare('DELETE FROM scans WHERE id = ?'),
      dependents: db.prepare<[{ id: number }], { artifacts: number; reports: number; annotations: number; jobs: number }>(`SELECT
        (SELECT count(*) FROM artifacts WHERE scan_id = @id) AS artifacts, (SELECT count(*) FROM reports WHERE scan_id = @id) AS reports,
        (SELECT count(*) FROM annotations WHERE scan_id = @id) AS annotations, (SELECT count(*) FROM jobs WHERE scan_id = @id) AS jobs`),
      stored: db.prepare<[string, string], Record<string, number>>("SELECT 1 FROM scans WHERE sha256 = ? UNION ALL SELECT 1 FROM artifacts WHERE blob_hash = ? AND kind LIKE 'source:%' LIMIT 1"),
      lastNamed: db.prepare<[string, string], { id: number }>('SELECT scan_id AS id FROM scan_arrivals WHERE source_folder = ? AND original_name = ? ORDER BY id DESC LIMIT 1'),
    };
  }

  /** The public id of scan `id` (without reading the whole row). */
  uidOf(id: number): string | undefined {
    return this.#stmts.uidOf.get(id)?.uid;
  }

  /** Insert a scan (status `received`) and its first arrival. */
  insert(input: NewScan): Scan {
    const now = nowIso();
    const info = this.#stmts.insert.run({
      uid: randomUUID(), patientId: input.patientId ?? null, visitId: input.visitId ?? null, jaw: input.jaw,
      capturedAt: input.capturedAt ?? null, sourceFolder: input.sourceFolder ?? null, scanner: input.scanner ?? null,
      originalName: input.originalName, format: input.format, size: input.size, sha256: input.sha256,
      version: input.version ?? 1, supersedes: input.supersedes ?? null, now,
    });
    const id = Number(info.lastInsertRowid);
    this.#stmts.insertArrival.run(id, input.sourceFolder ?? null, input.originalName, 0, now, input.file?.size ?? null, input.file?.mtimeMs ?? null);
    return this.get(id)!;
  }

  /** Record that the same bytes arrived again (a duplicate, not a second copy). */
  recordDuplicate(scanId: number, sourceFolder: string | null, originalName: string, file?: ArrivalFile): void {
    this.#stmts.insertArrival.run(scanId, sourceFolder, originalName, 1, nowIso(), file?.size ?? null, file?.mtimeMs ?? null);
  }

  /**
   * Whether this very drop-folder file (folder, name, size, mtime) was recorded and is still
   * in its folder (not yet deleted or archived): seen again, it is no new arrival.
   */
  isOpenArrival(scanId: number, sourceFolder: string, originalName: string, file: ArrivalFile): boolean {
    return this.#stmts.openArrival.get(scanId, sourceFolder, originalName, file.size, file.mtimeMs) !== undefined;
  }

  /** The original of this arrival left its drop folder: the same name again is a new arrival. */
  markRemoved(scanId: number, sourceFolder: string, originalName: string, file: ArrivalFile): void {
    this.#stmts.closeArrivals.run(nowIso(), scanId, sourceFolder, originalName, file.size, file.mtimeMs);
  }

  arrivals(scanId: number): Array<{ sourceFolder: string | null; originalName: string; duplicate: boolean; arrivedAt: string }> {
    return this.#stmts.arrivals.all(scanId).map((a) => ({
      sourceFolder: a.source_folder, originalName: a.original_name, duplicate: a.duplicate === 1, arrivedAt: a.arrived_at,
    }));
  }

  /** Whether this very file (folder and name) was already recorded for the scan. */
  hasArrival(scanId: number, sourceFolder: string | null, originalName: string): boolean {
    return this.#stmts.hasArrival.get(scanId, sourceFolder, originalName)!.n > 0;
  }

  get(id: number): Scan | undefined {
    return toScan(this.#stmts.byId.get(id));
  }

  getByUid(uid: string): Scan | undefined {
    return toScan(this.#stmts.byUid.get(uid));
  }

  findBySha256(sha256: string): Scan | undefined {
    return toScan(this.#stmts.bySha.get(sha256));
  }

  /** The newest version of a patient's scan of this jaw on the same capture day. */
  latestVersion(patientId: number, jaw: Jaw, capturedAt: string | null): Scan | undefined {
    return toScan(this.#stmts.latestFor.get(patientId, jaw, capturedAt, capturedAt));
  }

  /** Give a scan its patient (and visit, jaw and capture date), e.g. an unassigned scan merged into a patient. */
  assign(id: number, to: { patientId: number; visitId: number | null; jaw: Jaw; capturedAt: string | null }): Scan {
    this.#stmts.assign.run(to.patientId, to.visitId, to.jaw, to.capturedAt, nowIso(), id);
    return this.get(id)!;
  }

  /** The scans of one visit. */
  forVisit(visitId: number): Scan[] {
    return this.#stmts.forVisit.all(visitId).map((r) => toScan(r)!);
  }

  /** How many scans a patient has per jaw, and when the first and last arrived. */
  patientSummary(patientId: number): { count: number; byJaw: Partial<Record<Jaw, number>>; firstReceivedAt: string | null; lastReceivedAt: string | null } {
    const rows = this.#stmts.patientSummary.all(patientId);
    return {
      count: rows.reduce((n, r) => n + r.n, 0),
      byJaw: Object.fromEntries(rows.map((r) => [r.jaw, r.n])),
      firstReceivedAt: rows.length ? rows.map((r) => r.first).sort()[0] : null,
      lastReceivedAt: rows.length ? rows.map((r) => r.last).sort().at(-1)! : null,
    };
  }

  setStatus(id: number, status: ScanStatus, verdict: Verdict | null = null, reason: string | null = null): void {
    this.#stmts.setStatus.run(status, verdict, reason, nowIso(), id);
  }

  count(): number {
    return this.#stmts.count.get()!.n;
  }

  /** Scan `id`'s uid and its patient's pseudonymous id, without reading either row whole. */
  ref(id: number): { uid: string; pseudoId: string | null } | undefined {
    const row = this.#stmts.ref.get(id);
    return row && { uid: row.uid, pseudoId: row.pseudo_id };
  }

  /** The ids of a patient's scans, oldest first. */
  idsOfPatient(patientId: number): number[] {
    return this.#stmts.ofPatient.all(patientId).map((r) => r.id);
  }

  /** How many scans are in each status (statuses without scans are left out). */
  countByStatus(): Array<{ status: ScanStatus; n: number }> {
    return this.#stmts.byStatus.all();
  }

  /** How many rows hang on scan `id` and go with it by cascade. */
  dependents(id: number): { artifacts: number; reports: number; annotations: number; jobs: number } {
    return this.#stmts.dependents.get({ id })!;
  }

  /** Delete scan `id` (its reports, artifacts, jobs, arrivals and notes go by cascade); 1 when it was there. */
  remove(id: number): number {
    return this.#stmts.remove.run(id).changes;
  }

  /** Whether bytes with this hash are held as a scan or as a scan's source file. */
  holdsBytes(hash: string): boolean {
    return this.#stmts.stored.get(hash, hash) !== undefined;
  }

  /** The scan recorded most recently under `originalName` in `sourceFolder` (a zip's entries). */
  lastArrivedAs(sourceFolder: string, originalName: string): Scan | undefined {
    const row = this.#stmts.lastNamed.get(sourceFolder, originalName);
    return row ? this.get(row.id) : undefined;
  }

  /**
   * A page of scans matching `filter`, in a stable order (the sort key, then id), so the
   * next page starts exactly after the last row of this one (keyset pagination: no
   * skipped or repeated rows when scans arrive between pages, and no OFFSET scans).
   */
  list(filter: ScanFilter): { scans: Scan[]; next?: { value: string | null; id: number } } {
    const { rows, next } = this.#page(filter, LISTING_COLUMNS);
    return { scans: rows.map(listedScan), next };
  }

  /**
   * A listing with each scan as the value of one SQL expression over the scans table — the
   * API passes its JSON of a scan (`json_object(...)`), so a page goes out as SQLite wrote
   * it: no 20 values per row turned into JavaScript strings, no object per scan, no
   * JSON.stringify (a 50-scan page: 370 → 200 µs of the API's thread at 100k scans).
   */
  listAs(filter: ScanFilter, expression: string): { rows: string[]; next?: { value: string | null; id: number } } {
    const { rows, next } = this.#page(filter, expression);
    return { rows: rows.map((r) => r[0] as string), next };
  }

  /** One page of `columns` in the filter's order; the sort value and id ride along at the end of each row. */
  #page(filter: ScanFilter, columns: string): { rows: unknown[][]; next?: { value: string | null; id: number } } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => { where.push(sql); args.push(...values); };
    if (filter.patientId !== undefined) add('patient_id = ?', filter.patientId);
    if (filter.unassigned) add('patient_id IS NULL');
    if (filter.jaw) add('jaw = ?', filter.jaw);
    // `analysed` is a later stage of `validated`, not another outcome: asking for validated
    // scans finds those whose analyses have ended too.
    if (filter.status === 'validated') add("status IN ('validated', 'analysed')");
    else if (filter.status) add('status = ?', filter.status);
    if (filter.verdict) add('verdict = ?', filter.verdict);
    if (filter.source) add('source_folder = ?', filter.source);
    if (filter.receivedFrom) add('received_at >= ?', filter.receivedFrom);
    if (filter.receivedTo) add('received_at < ?', filter.receivedTo);
    const column = SORT_COLUMN[filter.sort ?? 'received'];
    const desc = (filter.order ?? 'desc') === 'desc';
    const cmp = desc ? '<' : '>';
    // Only capture dates can be unknown. received_at is NOT NULL: without the IS NULL terms
    // SQLite walks an index in order instead of sorting every matching row (100k scans:
    // 0.2 ms instead of 75 ms a page).
    const nullable = column === 'captured_at';
    if (filter.after) {
      // NULLs (unknown capture dates) sort last in either direction.
      if (filter.after.value === null) add(`(${column} IS NULL AND id ${cmp} ?)`, filter.after.id);
      else if (nullable) add(`(${column} ${cmp} ? OR (${column} = ? AND id ${cmp} ?) OR ${column} IS NULL)`, filter.after.value, filter.after.value, filter.after.id);
      else add(`(${column}, id) ${cmp} (?, ?)`, filter.after.value, filter.after.id);
    }
    const dir = desc ? 'DESC' : 'ASC';
    const sql = `SELECT ${columns}, ${column}, id FROM scans ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${nullable ? `${column} IS NULL, ` : ''}${column} ${dir}, id ${dir} LIMIT ?`;
    const rows = this.#listings.get(sql).raw(true).all(...args, filter.limit + 1) as unknown[][];
    const more = rows.length > filter.limit;
    if (more) rows.length = filter.limit;
    const last = rows[rows.length - 1];
    return { rows, next: more && last ? { value: last[last.length - 2] as string | null, id: last[last.length - 1] as number } : undefined };
  }
}
