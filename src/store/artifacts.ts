/**
 * Artifacts: files that belong to a scan besides its mesh — the sibling files it came with
 * (`source:<relative path>`: an OBJ's .mtl and textures, a glTF's .bin, a sidecar) and the
 * derived files later jobs make (thumbnails, previews, converted formats, heat maps).
 */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface Artifact {
  id: number;
  scanId: number;
  kind: string;
  mediaType: string;
  blobHash: string;
  meta: Record<string, unknown>;
  createdAt: string;
}

interface Row { id: number; scan_id: number; kind: string; media_type: string; blob_hash: string; meta: string; created_at: string }
const toArtifact = (r: Row): Artifact => ({
  id: r.id, scanId: r.scan_id, kind: r.kind, mediaType: r.media_type, blobHash: r.blob_hash, meta: JSON.parse(r.meta) as Record<string, unknown>, createdAt: r.created_at,
});

export class ArtifactRepository {
  readonly #put;
  readonly #forScan;
  readonly #get;
  readonly #unadopted;

  constructor(db: Db) {
    this.#put = db.prepare(`INSERT INTO artifacts (scan_id, kind, media_type, blob_hash, meta, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (scan_id, kind) DO UPDATE SET media_type = excluded.media_type, blob_hash = excluded.blob_hash, meta = excluded.meta, created_at = excluded.created_at`);
    this.#forScan = db.prepare<[number], Row>('SELECT * FROM artifacts WHERE scan_id = ? ORDER BY kind');
    this.#get = db.prepare<[number, string], Row>('SELECT * FROM artifacts WHERE scan_id = ? AND kind = ?');
    this.#unadopted = db.prepare<[], { id: number }>(`SELECT DISTINCT a.scan_id AS id FROM artifacts a
      WHERE a.kind LIKE 'source:%' AND (a.media_type IN ('image/jpeg', 'image/png') OR lower(a.kind) LIKE '%.heic' OR lower(a.kind) LIKE '%.heif')
      AND NOT EXISTS (SELECT 1 FROM images i WHERE i.sha256 = a.blob_hash) ORDER BY a.scan_id`);
  }

  /** Record (or replace) the artifact of `kind` for a scan; the blob must be stored already. */
  put(scanId: number, kind: string, mediaType: string, blobHash: string, meta: Record<string, unknown> = {}): void {
    this.#put.run(scanId, kind, mediaType, blobHash, JSON.stringify(meta), nowIso());
  }

  forScan(scanId: number): Artifact[] {
    return this.#forScan.all(scanId).map(toArtifact);
  }

  /** The scans with a photo among their source files that is not an image yet (a run stopped in between). */
  scansWithUnadoptedPhotos(): number[] {
    return this.#unadopted.all().map((r) => r.id);
  }

  get(scanId: number, kind: string): Artifact | undefined {
    const row = this.#get.get(scanId, kind);
    return row && toArtifact(row);
  }
}
