/** Reports: the validation and analysis results of a scan, one per kind, as JSON. */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface StoredReport<T = unknown> {
  scanId: number;
  kind: string;
  version: number;
  body: T;
  createdAt: string;
}

export class ReportRepository {
  readonly #put;
  readonly #get;
  readonly #forScan;

  constructor(db: Db) {
    this.#put = db.prepare(`INSERT INTO reports (scan_id, kind, version, body, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (scan_id, kind) DO UPDATE SET version = excluded.version, body = excluded.body, created_at = excluded.created_at`);
    this.#get = db.prepare<[number, string], { scan_id: number; kind: string; version: number; body: string; created_at: string }>('SELECT * FROM reports WHERE scan_id = ? AND kind = ?');
    this.#forScan = db.prepare<[number], { scan_id: number; kind: string; version: number; body: string; created_at: string }>('SELECT * FROM reports WHERE scan_id = ? ORDER BY kind');
  }

  /** Store the report of `kind` (`validation`, …) for a scan, replacing an older one. */
  put(scanId: number, kind: string, version: number, body: unknown): void {
    this.#put.run(scanId, kind, version, JSON.stringify(body), nowIso());
  }

  get<T = unknown>(scanId: number, kind: string): StoredReport<T> | undefined {
    const r = this.#get.get(scanId, kind);
    return r && { scanId: r.scan_id, kind: r.kind, version: r.version, body: JSON.parse(r.body) as T, createdAt: r.created_at };
  }

  forScan(scanId: number): StoredReport[] {
    return this.#forScan.all(scanId).map((r) => ({ scanId: r.scan_id, kind: r.kind, version: r.version, body: JSON.parse(r.body) as unknown, createdAt: r.created_at }));
  }
}
