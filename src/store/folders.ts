/** Drop folders added at runtime (through the API or console), kept across restarts. */
import type { Db } from './database.js';
import { nowIso } from './time.js';

/** A runtime folder as stored: its settings as given (JSON) and whether it is paused. */
export interface FolderRow {
  settings: Record<string, unknown>;
  paused: boolean;
}

export class FolderRepository {
  readonly #all;
  readonly #insert;
  readonly #setPaused;
  readonly #remove;

  constructor(db: Db) {
    this.#all = db.prepare<[], { settings: string; paused: number }>('SELECT settings, paused FROM folders ORDER BY id');
    this.#insert = db.prepare('INSERT INTO folders (path, settings, paused, created_at) VALUES (?, ?, ?, ?)');
    this.#setPaused = db.prepare('UPDATE folders SET paused = ? WHERE path = ?');
    this.#remove = db.prepare('DELETE FROM folders WHERE path = ?');
  }

  /** Every runtime folder, in the order they were added. */
  all(): FolderRow[] {
    return this.#all.all().map((r) => ({ settings: JSON.parse(r.settings) as Record<string, unknown>, paused: r.paused === 1 }));
  }

  add(path: string, settings: unknown, paused: boolean): void {
    this.#insert.run(path, JSON.stringify(settings), paused ? 1 : 0, nowIso());
  }

  setPaused(path: string, paused: boolean): void {
    this.#setPaused.run(paused ? 1 : 0, path);
  }

  remove(path: string): void {
    this.#remove.run(path);
  }
}
