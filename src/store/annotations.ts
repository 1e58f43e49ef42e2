/**
 * Annotations: clinical tags and notes on a scan or a visit (the aligner check-in's
 * `tracking`, `fit`, `hygiene`, `detail`, `action` and `note`; the vocabulary is checked in
 * src/api/schemas/annotation.ts), with who wrote them and when.
 */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface Annotation {
  id: number;
  scanId: number | null;
  visitId: number | null;
  tag: string;
  value: string | null;
  note: string | null;
  /** The principal who wrote it; null for the local administrator (admin socket). */
  principalId: number | null;
  createdAt: string;
  /** When its value or note was last changed; null when never. */
  updatedAt: string | null;
}

export interface NewAnnotation {
  on: { scanId: number } | { visitId: number };
  tag: string;
  value?: string | null;
  note?: string | null;
  principalId: number | null;
}

/** A note as stored. */
export interface AnnotationRow { id: number; scan_id: number | null; visit_id: number | null; tag: string; value: string | null; note: string | null; principal_id: number | null; created_at: string; updated_at: string | null }
const toAnnotation = (r: AnnotationRow): Annotation => ({
  id: r.id, scanId: r.scan_id, visitId: r.visit_id, tag: r.tag, value: r.value, note: r.note, principalId: r.principal_id, createdAt: r.created_at, updatedAt: r.updated_at,
});

export class AnnotationRepository {
  readonly #insert;
  readonly #byId;
  readonly #forScan;
  readonly #forVisit;
  readonly #delete;
  readonly #update;
  readonly #rowsFor;

  constructor(db: Db) {
    this.#insert = db.prepare('INSERT INTO annotations (scan_id, visit_id, tag, value, note, principal_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#byId = db.prepare<[number], AnnotationRow>('SELECT * FROM annotations WHERE id = ?');
    this.#forScan = db.prepare<[number], AnnotationRow>('SELECT * FROM annotations WHERE scan_id = ? ORDER BY created_at, id');
    this.#forVisit = db.prepare<[number], AnnotationRow>('SELECT * FROM annotations WHERE visit_id = ? ORDER BY created_at, id');
    this.#delete = db.prepare('DELETE FROM annotations WHERE id = ?');
    this.#update = db.prepare('UPDATE annotations SET value = ?, note = ?, updated_at = ? WHERE id = ?');
    this.#rowsFor = db.prepare<[string, string], AnnotationRow>(`SELECT * FROM annotations
      WHERE scan_id IN (SELECT value FROM json_each(?)) OR visit_id IN (SELECT value FROM json_each(?)) ORDER BY id`);
  }

  /** The stored rows of every note on one of `scanIds` or `visitIds`, by id (a GDPR export). */
  rowsFor(scanIds: number[], visitIds: number[]): AnnotationRow[] {
    return this.#rowsFor.all(JSON.stringify(scanIds), JSON.stringify(visitIds));
  }

  add(input: NewAnnotation): Annotation {
    const scanId = 'scanId' in input.on ? input.on.scanId : null;
    const visitId = 'visitId' in input.on ? input.on.visitId : null;
    const info = this.#insert.run(scanId, visitId, input.tag, input.value ?? null, input.note ?? null, input.principalId, nowIso());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Annotation | undefined {
    const row = this.#byId.get(id);
    return row && toAnnotation(row);
  }

  forScan(scanId: number): Annotation[] {
    return this.#forScan.all(scanId).map(toAnnotation);
  }

  forVisit(visitId: number): Annotation[] {
    return this.#forVisit.all(visitId).map(toAnnotation);
  }

  /** Replace an annotation's value and note (its tag, target and author stay). */
  update(id: number, to: { value: string | null; note: string | null }): Annotation | undefined {
    this.#update.run(to.value, to.note, nowIso(), id);
    return this.get(id);
  }

  delete(id: number): boolean {
    return this.#delete.run(id).changes === 1;
  }
}
