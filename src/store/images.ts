/**
 * Images: intraoral photos of a visit. One row per stored photo (the original's blob, byte
 * for byte as it arrived) with what the `image` job derived: size, EXIF capture time and
 * camera, quality figures and verdict, thumbnail, and for HEIC a JPEG copy to serve.
 */
import { randomUUID } from 'node:crypto';
import type { ImageKind } from '../images/kind.js';
import type { ImageMediaType } from '../images/media.js';
import type { QualityReport, QualityVerdict } from '../images/quality.js';
import type { Db } from './database.js';
import { nowIso } from './time.js';

export type ImageStatus = 'received' | 'measured' | 'unreadable';
export type CapturedAtSource = 'exif' | 'name' | 'scan' | 'file' | 'upload';

export interface Image {
  id: number;
  uid: string;
  patientId: number | null;
  visitId: number | null;
  scanId: number | null;
  kind: ImageKind;
  kindSource: 'name' | 'upload' | 'none';
  mediaType: ImageMediaType;
  sourceFolder: string | null;
  originalName: string;
  size: number;
  sha256: string;
  capturedAt: string | null;
  capturedAtSource: CapturedAtSource | null;
  cameraMake: string | null;
  cameraModel: string | null;
  hadLocation: boolean;
  width: number | null;
  height: number | null;
  status: ImageStatus;
  verdict: QualityVerdict | null;
  quality: QualityReport | null;
  reason: string | null;
  thumbnailHash: string | null;
  servedHash: string | null;
  receivedAt: string;
  updatedAt: string;
}

export interface NewImage {
  patientId: number | null;
  visitId: number | null;
  scanId: number | null;
  kind: ImageKind;
  kindSource: Image['kindSource'];
  mediaType: ImageMediaType;
  sourceFolder: string | null;
  originalName: string;
  size: number;
  sha256: string;
  capturedAt: string | null;
  capturedAtSource: CapturedAtSource | null;
}

/** What the `image` job found, written with `setMeasured`. */
export interface ImageMeasures {
  width: number;
  height: number;
  capturedAt: string | null;
  cameraMake: string | null;
  cameraModel: string | null;
  hadLocation: boolean;
  quality: QualityReport;
  thumbnailHash: string;
  servedHash: string | null;
}

interface Row {
  id: number; uid: string; patient_id: number | null; visit_id: number | null; scan_id: number | null; kind: ImageKind;
  kind_source: Image['kindSource']; media_type: ImageMediaType; source_folder: string | null; original_name: string; size: number;
  sha256: string; captured_at: string | null; captured_at_source: CapturedAtSource | null; camera_make: string | null;
  camera_model: string | null; had_location: number; width: number | null; height: number | null; status: ImageStatus;
  verdict: QualityVerdict | null; quality: string | null; reason: string | null; thumbnail_hash: string | null;
  served_hash: string | null; received_at: string; updated_at: string;
}

const toImage = (r: Row): Image => ({
  id: r.id, uid: r.uid, patientId: r.patient_id, visitId: r.visit_id, scanId: r.scan_id, kind: r.kind, kindSource: r.kind_source,
  mediaType: r.media_type, sourceFolder: r.source_folder, originalName: r.original_name, size: r.size, sha256: r.sha256,
  capturedAt: r.captured_at, capturedAtSource: r.captured_at_source, cameraMake: r.camera_make, cameraModel: r.camera_model,
  hadLocation: r.had_location === 1, width: r.width, height: r.height, status: r.status, verdict: r.verdict,
  quality: r.quality === null ? null : JSON.parse(r.quality) as QualityReport, reason: r.reason,
  thumbnailHash: r.thumbnail_hash, servedHash: r.served_hash, receivedAt: r.received_at, updatedAt: r.updated_at,
});

export class ImageRepository {
  readonly #stmts;

  constructor(db: Db) {
    this.#stmts = {
      insert: db.prepare(`INSERT INTO images (uid, patient_id, visit_id, scan_id, kind, kind_source, media_type, source_folder, original_name, size, sha256,
        captured_at, captured_at_source, status, received_at, updated_at)
        VALUES (@uid, @patientId, @visitId, @scanId, @kind, @kindSource, @mediaType, @sourceFolder, @originalName, @size, @sha256,
        @capturedAt, @capturedAtSource, 'received', @now, @now)`),
      byId: db.prepare<[number], Row>('SELECT * FROM images WHERE id = ?'),
      byUid: db.prepare<[string], Row>('SELECT * FROM images WHERE uid = ?'),
      bySha: db.prepare<[string], Row>('SELECT * FROM images WHERE sha256 = ? ORDER BY id LIMIT 1'),
      forVisit: db.prepare<[number], Row>('SELECT * FROM images WHERE visit_id = ? ORDER BY kind, id'),
      forPatient: db.prepare<[number], Row>('SELECT * FROM images WHERE patient_id = ? ORDER BY id'),
      measured: db.prepare(`UPDATE images SET status = 'measured', width = @width, height = @height,
        captured_at = coalesce(@capturedAt, captured_at), captured_at_source = CASE WHEN @capturedAt IS NULL THEN captured_at_source ELSE 'exif' END,
        camera_make = @cameraMake, camera_model = @cameraModel, had_location = @hadLocation, quality = @quality, verdict = @verdict,
        thumbnail_hash = @thumbnailHash, served_hash = @servedHash, reason = NULL, updated_at = @now WHERE id = @id`),
      unreadable: db.prepare("UPDATE images SET status = 'unreadable', reason = ?, updated_at = ? WHERE id = ?"),
      setJobImage: db.prepare('UPDATE jobs SET image_id = ? WHERE id = ?'),
      jobsFor: db.prepare<[number], { id: number; state: string }>('SELECT id, state FROM jobs WHERE image_id = ? ORDER BY id'),
      delete: db.prepare('DELETE FROM images WHERE id = ?'),
      followScan: db.prepare("UPDATE images SET patient_id = ?, visit_id = ?, updated_at = ? WHERE scan_id = ? AND patient_id IS NULL"),
      unassignForScan: db.prepare('UPDATE images SET patient_id = NULL, visit_id = NULL, updated_at = ? WHERE scan_id = ?'),
      countForVisit: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM images WHERE visit_id = ?'),
      counts: db.prepare<[string], { total: number; received: number; unreadable: number; flagged: number; unassigned: number }>(`SELECT count(*) AS total,
        coalesce(sum(status = 'received'), 0) AS received, coalesce(sum(status = 'unreadable'), 0) AS unreadable,
        coalesce(sum(verdict IS NOT NULL AND verdict <> 'ok'), 0) AS flagged, coalesce(sum(patient_id IS NULL), 0) AS unassigned
        FROM images WHERE received_at >= ?`),
    };
  }

  /** The unassigned photos that came with scan `scanId` take the patient and visit it was just assigned to; returns how many. */
  followScan(scanId: number, patientId: number, visitId: number | null): number {
    return this.#stmts.followScan.run(patientId, visitId, nowIso(), scanId).changes;
  }

  /** The photos of a scan that is moving to another patient let go of the old one (`followScan` then places them). */
  moveWithScan(scanId: number): void {
    this.#stmts.unassignForScan.run(nowIso(), scanId);
  }

  insert(input: NewImage): Image {
    const info = this.#stmts.insert.run({ ...input, uid: randomUUID(), now: nowIso() });
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Image | undefined {
    const row = this.#stmts.byId.get(id);
    return row && toImage(row);
  }

  getByUid(uid: string): Image | undefined {
    const row = this.#stmts.byUid.get(uid);
    return row && toImage(row);
  }

  /** The first image stored with these original bytes. */
  findBySha256(sha256: string): Image | undefined {
    const row = this.#stmts.bySha.get(sha256);
    return row && toImage(row);
  }

  /** A visit's images, by kind. */
  forVisit(visitId: number): Image[] {
    return this.#stmts.forVisit.all(visitId).map(toImage);
  }

  forPatient(patientId: number): Image[] {
    return this.#stmts.forPatient.all(patientId).map(toImage);
  }

  countForVisit(visitId: number): number {
    return this.#stmts.countForVisit.get(visitId)!.n;
  }

  /**
   * Counts for the console, of the images received since `from` (ISO; all when omitted):
   * all, not measured yet, unreadable, with a quality finding, without a patient.
   */
  counts(from = ''): { total: number; received: number; unreadable: number; flagged: number; unassigned: number } {
    return this.#stmts.counts.get(from)!;
  }

  setMeasured(id: number, m: ImageMeasures): void {
    this.#stmts.measured.run({
      id, width: m.width, height: m.height, capturedAt: m.capturedAt, cameraMake: m.cameraMake, cameraModel: m.cameraModel,
      hadLocation: m.hadLocation ? 1 : 0, quality: JSON.stringify(m.quality), verdict: m.quality.verdict,
      thumbnailHash: m.thumbnailHash, servedHash: m.servedHash, now: nowIso(),
    });
  }

  setUnreadable(id: number, reason: string): void {
    this.#stmts.unreadable.run(reason, nowIso(), id);
  }

  /** Mark a queued job as this image's (its subject; it goes when the image goes). */
  attachJob(jobId: number, imageId: number): void {
    this.#stmts.setJobImage.run(imageId, jobId);
  }

  jobs(imageId: number): Array<{ id: number; state: string }> {
    return this.#stmts.jobsFor.all(imageId);
  }

  /** Remove the row (its jobs go by cascade); the caller unlinks blobs no row names any more. */
  delete(id: number): boolean {
    return this.#stmts.delete.run(id).changes === 1;
  }
}
