/**
 * Prepared statements for SQL built at run time (filtered listings), kept by their text.
 * A listing has a handful of shapes (which filters are set, which sort), so preparing each
 * shape once instead of on every request saves the parse and plan on the hot path.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database.js';

export class StatementCache {
  readonly #db: Db;
  readonly #max: number;
  readonly #stmts = new Map<string, Database.Statement<unknown[]>>();

  constructor(db: Db, max = 64) {
    this.#db = db;
    this.#max = max;
  }

  get(sql: string): Database.Statement<unknown[]> {
    let stmt = this.#stmts.get(sql);
    if (stmt) {
      // Most recently used last: the first key is the one to drop when full.
      this.#stmts.delete(sql);
    } else {
      stmt = this.#db.prepare<unknown[]>(sql);
      if (this.#stmts.size >= this.#max) this.#stmts.delete(this.#stmts.keys().next().value!);
    }
    this.#stmts.set(sql, stmt);
    return stmt;
  }
}
