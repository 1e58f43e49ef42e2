/**
 * Numbered SQL migrations (`migrations/NNN-name.sql`), each applied in its own transaction
 * at start. `PRAGMA user_version` records the last one applied. A database whose version is
 * newer than the code is refused: running old code on it could lose data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CuspError } from '../errors.js';
import type { Db } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{3})-([a-z0-9-]+)\.sql$/;

/** The folder holding the .sql files (beside this module in sources and in dist/). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Read the migrations in order; numbering must be 1, 2, 3, … without gaps. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration numbering has a gap or duplicate at ${m.version}-${m.name}`);
  });
  return migrations;
}

/** The schema version this code expects. */
export function codeSchemaVersion(migrations: Migration[] = loadMigrations()): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
}

/** Versions of the migrations the database has not had yet. */
export function pendingMigrations(db: Db, migrations: Migration[] = loadMigrations()): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  return migrations.filter((m) => m.version > current).map((m) => m.version);
}

/** Apply every migration newer than the database; returns the versions applied. */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = codeSchemaVersion(migrations);
  if (current > latest) {
    throw new CuspError('store_failed', `the database is at schema version ${current} but this cusp knows only up to ${latest} — it was written by a newer cusp; install that version again or restore a backup made by this one`);
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    const rebuild = m.sql.startsWith(FOREIGN_KEYS_OFF);
    // A table that others reference is rebuilt with foreign keys off (they cannot change
    // inside a transaction), and the references are checked before the commit.
    const fk = db.pragma('foreign_keys', { simple: true }) as number;
    if (rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (rebuild) {
          const broken = db.pragma('foreign_key_check') as Array<{ table: string }>;
          if (broken.length > 0) throw new CuspError('store_failed', `migration ${m.version}-${m.name} would leave ${broken.length} broken reference(s) in ${broken[0].table} — the database is unchanged`);
        }
        db.pragma(`user_version = ${m.version}`);
      })();
    } finally {
      if (rebuild) db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
    }
    applied.push(m.version);
  }
  return applied;
}

/** First line of a migration that rebuilds a table other tables reference. */
const FOREIGN_KEYS_OFF = '-- cusp:foreign-keys-off';
