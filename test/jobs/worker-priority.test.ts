// A job's thread gives way to the API: runWorker lowers the nice value of its own thread
// only (Linux keeps one per thread), and the daemon's main thread keeps its own.
import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { INPUT_KEY } from '../../src/jobs/protocol.js';
import { WORKER_NICE } from '../../src/jobs/worker-runtime.js';

const runtime = pathToFileURL(fileURLToPath(new URL('../../dist/src/jobs/worker-runtime.js', import.meta.url))).href;

test('a job worker runs at nice 10 while the main thread keeps its priority', { skip: process.platform !== 'linux' && 'per-thread nice values are a Linux behaviour' }, async () => {
  const before = getPriority(0);
  const source = `import { getPriority } from 'node:os'; import { runWorker } from ${JSON.stringify(runtime)};
runWorker(async () => ({ result: getPriority(0) }));`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData: { [INPUT_KEY]: {} } });
  const message = await new Promise<{ result?: number; error?: unknown }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(message.result, Math.max(before, WORKER_NICE), 'the worker thread was niced');
  assert.equal(getPriority(0), before, 'the main thread was not');
});
