/** The changes feed: every change a client may want to follow, with increasing ids. */
import type { Db } from './database.js';
import { nowIso } from './time.js';

export interface Change {
  seq: number;
  time: string;
  type: string;
  objectType: string;
  objectId: string;
  data: Record<string, unknown>;
}

export class ChangeRepository {
  readonly #insert;
  readonly #since;
  readonly #last;

  constructor(db: Db) {
    this.#insert = db.prepare('INSERT INTO changes (time, type, object_type, object_id, data) VALUES (?, ?, ?, ?, ?)');
    this.#since = db.prepare<[number, number], { seq: number; time: string; type: string; object_type: string; object_id: string; data: string }>(
      'SELECT * FROM changes WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.#last = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM changes');
  }

  append(type: string, objectType: string, objectId: string | number, data: Record<string, unknown> = {}): number {
    return Number(this.#insert.run(nowIso(), type, objectType, String(objectId), JSON.stringify(data)).lastInsertRowid);
  }

  since(seq: number, limit = 100): Change[] {
    return this.#since.all(seq, limit).map((r) => ({
      seq: r.seq, time: r.time, type: r.type, objectType: r.object_type, objectId: r.object_id, data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  lastSeq(): number {
    return this.#last.get()?.seq ?? 0;
  }
}
