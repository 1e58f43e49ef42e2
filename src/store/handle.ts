/**
 * The database handle behind a Store. Outside src/store nothing holds it: services reach
 * the data through the repositories, which own every statement. Only src/store's modules
 * (and the test helper that inspects a database the way a person with the key would)
 * import this file.
 */
import type { Db } from './database.js';

const handles = new WeakMap<object, Db>();

/** Remember `db` as the handle of `store` (openStore does this once). */
export function attachHandle(store: object, db: Db): void {
  handles.set(store, db);
}

/** The handle of a store opened by openStore. */
export function databaseOf(store: object): Db {
  const db = handles.get(store);
  if (!db) throw new Error('not a store opened by openStore');
  return db;
}
