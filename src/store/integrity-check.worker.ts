/**
 * The integrity check's thread (see integrity.ts): a read-only connection of its own runs
 * `PRAGMA quick_check`, which reads every page of every table and index, overflow chains
 * (the scans' chunks) included. Each page read from disk is decrypted and its HMAC-SHA512
 * checked by the cipher, so a changed byte anywhere shows as a page SQLite cannot get.
 *
 * SQLCipher's own `PRAGMA cipher_integrity_check` is not used: SQLite3 Multiple Ciphers
 * (the library in better-sqlite3-multiple-ciphers) does not know it and answers no rows —
 * seen here even with a damaged page, which quick_check reported.
 *
 * Like the checkpoint thread this one holds the key (in memory, from workerData); it runs
 * at nice 10 and never writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThread } from '../os/thread-priority.js';
import { openDatabase } from './database.js';
import type { IntegrityThreadData, IntegrityThreadMessage } from './integrity.js';

const port = parentPort!;
const data = workerData as IntegrityThreadData;
const post = (message: IntegrityThreadMessage) => port.postMessage(message);

lowerThisThread('low');

/** At most this many problem lines are sent back (a damaged chunk chain lists every page after it). */
const MAX_LINES = 20;

function run(): IntegrityThreadMessage {
  const started = performance.now();
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(data.path, Buffer.from(data.key), { readonly: true });
  } catch (err) {
    return { kind: 'failed', message: (err as Error).message, code: (err as { code?: string }).code };
  } finally {
    new Uint8Array(data.key).fill(0);
  }
  try {
    // A small cache: the check reads every page once; keeping them would only cost memory.
    db.pragma('cache_size = -2048');
    const pages = db.pragma('page_count', { simple: true }) as number;
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const lines = rows.flatMap((r) => r.quick_check.split('\n')).filter((l) => l && !l.startsWith('*** in database'));
    const ok = lines.length === 1 && lines[0] === 'ok';
    return { kind: 'done', ok, problems: ok ? [] : lines.slice(0, MAX_LINES), problemCount: ok ? 0 : lines.length, pages, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    // SQLITE_CORRUPT / SQLITE_NOTADB while checking is itself a finding.
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
      return { kind: 'done', ok: false, problems: [(err as Error).message], problemCount: 1, pages: 0, seconds: (performance.now() - started) / 1000 };
    }
    return { kind: 'failed', message: (err as Error).message, code };
  } finally {
    db.close();
  }
}

post(run());
port.close();
