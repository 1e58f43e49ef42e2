// The real services wired as the daemon wires them, on a temp data folder: store, audit,
// WAL checkpoint thread, bus, job dispatcher with the compiled workers, ingest service. For
// tests of ingest and jobs without the HTTP layer.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadOrCreateSigningKey } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { parseFolderSettings, type FolderConfig } from '../../src/config/index.js';
import { EventBus, type CuspEvents } from '../../src/events/bus.js';
import { PhotoService } from '../../src/images/photo-service.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { JobDispatcher } from '../../src/jobs/dispatcher.js';
import { analysisHandlers } from '../../src/jobs/handlers/analysis.js';
import { imageHandler } from '../../src/jobs/handlers/image.js';
import { validateHandler } from '../../src/jobs/handlers/validate.js';
import { defaultWorkerDir } from '../../src/jobs/worker-path.js';
import { openStore } from '../../src/store/store.js';
import { startCheckpointThread } from '../../src/store/wal-checkpointer.js';
import { captureLogging } from './logging.js';
import { makeTempDir, removeTempDir } from './temp.js';

export function stack(t: TestContext, folderSettings: Record<string, unknown> = {}) {
  // Removed by the teardown below, after everything that writes into it has stopped.
  const dir = makeTempDir();
  const dataDir = join(dir, 'data');
  const key = randomBytes(32);
  const store = openStore(join(dataDir, 'cusp.db'), key);
  const captured = captureLogging();
  // As the daemon does: WAL checkpoints on their own thread (ready shortly; until then the
  // main connection checkpoints).
  const checkpointing = startCheckpointThread(store, key, captured.logging.logger('store'));
  const signingKey = loadOrCreateSigningKey(join(dataDir, 'audit', 'signing.key'));
  const checkpointFile = join(dataDir, 'audit', 'checkpoints.jsonl');
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile, checkpointEvery: 1000, checkpointMinutes: 60 });
  const bus = new EventBus();
  const dispatcher = new JobDispatcher({
    store, bus, log: captured.logging.logger('jobs'), handlers: [validateHandler({ store, audit, bus }), ...analysisHandlers({ store, audit, bus }), imageHandler({ store, audit })],
    workerDir: defaultWorkerDir(), concurrency: 1, timeoutMs: 120_000, retryBackoffMs: 10, pollMs: 50,
  });
  const photos: PhotoService = new PhotoService({
    store, audit, log: captured.logging.logger('ingest'), onStored: () => dispatcher.notify(),
    quarantine: (f, path, rel, reason) => ingest.quarantine(f, path, rel, reason),
  });
  const ingest: IngestService = new IngestService({
    store, audit, bus, log: captured.logging.logger('ingest'),
    probe: (input) => dispatcher.runOnce('probe', { ...input, options: {} }, 60_000),
    onStored: () => dispatcher.notify(),
    photos,
  });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const folder: FolderConfig = parseFolderSettings({ path: inbox, name: 'inbox', stabilitySeconds: 0.2, ...folderSettings }, dataDir);
  // What callers start on top of the stack (a server), stopped first, last added first.
  const closing: Array<() => Promise<void>> = [];
  const onClose = (close: () => Promise<void>): void => void closing.unshift(close);
  t.after(async () => {
    for (const close of closing) await close();
    await dispatcher.stop();
    await (await checkpointing).stop();
    store.close();
    await captured.logging.close();
    removeTempDir(dir);
  });
  const events: Array<[string, unknown]> = [];
  bus.onAny((name, payload) => events.push([name, payload]));
  const validated = (uid: string) => new Promise<CuspEvents['scan.validated']>((resolve) => {
    const off = bus.on('scan.validated', (e) => {
      if (e.uid === uid) {
        off();
        resolve(e);
      }
    });
  });
  const verify = () => verifyAudit(store.auditEvents, { publicKey: signingKey.publicKey, keyId: signingKey.keyId, checkpointFile });
  return { dir, dataDir, key, inbox, folder, store, checkpointing, audit, bus, dispatcher, ingest, photos, captured, events, validated, verify, onClose };
}
