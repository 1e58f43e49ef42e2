/**
 * The WAL checkpoint thread (see wal-checkpointer.ts): a second connection to the database
 * that copies committed WAL frames into the database file, so the thread serving the API
 * never does. In SQLite3 Multiple Ciphers the cipher sits in the VFS: a checkpoint decrypts
 * each frame read from the WAL and encrypts it again into the database file, about 13 ms
 * per MB here, which is most of what storing or freeing a scan costs.
 *
 * Unlike a job worker, this thread holds the key: it is part of the store, not a job, and
 * the key reaches it in memory only (workerData), never in a message, a log or a file.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThread } from '../os/thread-priority.js';
import { openDatabase } from './database.js';
import type { CheckpointThreadData, CheckpointThreadMessage } from './wal-checkpointer.js';


const port = parentPort!;
const data = workerData as CheckpointThreadData;
const post = (message: CheckpointThreadMessage) => port.postMessage(message);

// As a job's thread at nice 10 (not SCHED_IDLE: chunk writers wait for it): the API's
// event loop comes first; this one catches up when it can.
lowerThisThread('low');

let db: ReturnType<typeof openDatabase>;
try {
  db = openDatabase(data.path, Buffer.from(data.key), { role: 'checkpointer' });
} catch (err) {
  post({ kind: 'failed', message: (err as Error).message });
  process.exit(1);
}
new Uint8Array(data.key).fill(0);

/** The WAL header's first salt, which SQLite changes each time it starts the WAL over. */
let salt: number | undefined;

function walSalt(): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`${data.path}-wal`, 'r');
    const header = Buffer.alloc(4);
    return readSync(fd, header, 0, 4, 16) === 4 ? header.readUInt32BE(0) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

let frames = 0;
let runs = 0;
/** The WAL as the last checkpoint left it: its length and what is not yet in the database. */
let wal = { log: 0, lag: 0 };
let stopped = false;

/**
 * One passive checkpoint: copies every frame no reader still needs, never waits for a lock.
 * Posts the WAL's state when it changed, for the writers' back-pressure (writeRoom).
 */
function checkpoint(): number {
  const nowSalt = walSalt();
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  // log = -1 when the connection is not in WAL mode (a key rotation left it briefly).
  const now = { log: Math.max(0, row.log), lag: Math.max(0, row.log - row.checkpointed) };
  // `checkpointed` counts every frame of the WAL now in the database, copied by this call
  // or an earlier one. A WAL started over since the last call has a new salt (a writer that
  // fsyncs no chunk can restart it and outgrow the old length between two calls), or is
  // shorter.
  const restarted = nowSalt !== salt || now.log < wal.log;
  salt = nowSalt;
  const before = restarted ? 0 : wal.log - wal.lag;
  const copied = Math.max(0, row.checkpointed - before);
  if (copied > 0) runs++;
  frames += copied;
  if (now.log !== wal.log || now.lag !== wal.lag) {
    wal = now;
    post({ kind: 'wal', log: wal.log, lag: wal.lag, frames, runs });
  }
  return copied;
}

let timer: NodeJS.Timeout | undefined;

/** Checkpoint again at once while writers keep the WAL growing, every intervalMs when idle. */
function loop(): void {
  if (stopped) return;
  let copied = 0;
  try {
    copied = checkpoint();
  } catch (err) {
    post({ kind: 'failed', message: (err as Error).message });
    stop();
    return;
  }
  // Again at once while behind; once caught up, wait: a checkpoint running at the moment a
  // writer begins keeps that write from starting the WAL over (seen: a WAL that never did).
  timer = copied > 0 && wal.lag > 0 ? setTimeout(loop, 1) : setTimeout(loop, data.intervalMs);
}

function stop(): void {
  stopped = true;
  clearTimeout(timer);
  if (db.open) db.close();
  post({ kind: 'stopped' });
  port.close();
}

port.on('message', (msg: { cmd: 'stop' }) => {
  if (msg.cmd !== 'stop' || stopped) return;
  try {
    checkpoint();
  } finally {
    stop();
  }
});
post({ kind: 'ready' });
loop();
