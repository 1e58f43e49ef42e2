/**
 * The database handle behind a store, for tests only: they read (and, to simulate tampering
 * or damage, write) rows the way a person with the key could. Product code reaches the
 * data through the store's repositories.
 */
export { databaseOf as dbOf } from '../../src/store/handle.js';
