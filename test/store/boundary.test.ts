import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BlobArea } from '../../src/store/blobs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/**
 * The lock file of a data folder is a SQLite file of its own (an fcntl lock that outlives
 * no process), never the store's database: it may use the driver.
 */
const LOCK_FILE = 'daemon/pid-file.ts';

/** What only src/store may do: hold the database handle, prepare statements, import the driver or the handle. */
const HANDLE_USE: Array<[RegExp, string]> = [
  [/\bstore\??\.db\b/, 'reaches for store.db'],
  [/\.prepare(<[^>]*>)?\(\s*['"`]/, 'prepares a statement'],
  [/\.pragma\(/, 'runs a pragma'],
  [/\.exec\(\s*['"`]\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|BEGIN|VACUUM|PRAGMA)/i, 'runs SQL'],
  [/from '[^']*better-sqlite3[^']*'/, 'imports the database driver'],
  [/from '[^']*store\/handle\.js'/, 'imports the store\'s handle'],
  [/import[^;]*\btype Db\b[^;]*from/, 'imports the handle\'s type'],
];

test('no module outside src/store holds the database handle or runs a statement: the repositories own every one', () => {
  const found: string[] = [];
  for (const dir of ['src', 'daemon', 'tui']) {
    for (const file of sources(join(root, dir))) {
      const name = relative(root, file);
      if (name.startsWith('src/store/') || name === LOCK_FILE) continue;
      const text = readFileSync(file, 'utf8');
      for (const [pattern, what] of HANDLE_USE) if (pattern.test(text)) found.push(`${name} ${what}`);
    }
  }
  assert.deepEqual(found, []);
});

test('every change-feed row is written by the one record step (src/events/record.ts)', () => {
  const writers: string[] = [];
  for (const dir of ['src', 'daemon', 'tui']) {
    for (const file of sources(join(root, dir))) {
      const name = relative(root, file);
      if (name === 'src/events/record.ts' || name.startsWith('src/store/')) continue;
      if (/\bchanges\.append\(/.test(readFileSync(file, 'utf8'))) writers.push(name);
    }
  }
  assert.deepEqual(writers, []);
});

/** The blob store's narrow interface, by id (src/store/blobs.ts BlobArea). */
const BLOB_AREA: Record<keyof BlobArea, true> = {
  exists: true, size: true, get: true, stream: true, readArrayBuffer: true, verify: true,
  put: true, stage: true, stageFile: true, linkStaged: true, remove: true, freeChunks: true,
};

test('outside src/store the blob store is used only through its narrow interface (BlobArea)', () => {
  const other: string[] = [];
  for (const dir of ['src', 'daemon', 'tui']) {
    for (const file of sources(join(root, dir))) {
      const name = relative(root, file);
      if (name.startsWith('src/store/')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/\bblobs\.(\w+)\(/g)) {
        if (!(m[1] in BLOB_AREA)) other.push(`${name}: blobs.${m[1]}`);
      }
    }
  }
  assert.deepEqual(other, []);
});
