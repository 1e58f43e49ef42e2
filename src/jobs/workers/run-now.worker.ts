/**
 * The thread bree starts when a periodic task is due (src/jobs/periodic.ts): it only tells
 * the main thread "run now" and ends. The periodic tasks themselves (backup, retention
 * purge, audit checkpoint, integrity check) need the open store and the key, which stay on
 * the main thread: a worker never opens the database nor sees the key.
 */
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage('run');
