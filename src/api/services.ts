/**
 * What the API's route handlers may use: the services the composition root built. Handlers
 * stay thin — validate, call one of these, shape the response.
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { BackupService } from '../backup/service.js';
import type { CuspConfig } from '../config/index.js';
import type { EventBus } from '../events/bus.js';
import type { FolderManager } from '../ingest/folder-manager.js';
import type { PhotoService } from '../images/photo-service.js';
import type { IngestService } from '../ingest/ingest-service.js';
import type { JobDispatcher } from '../jobs/dispatcher.js';
import type { Logger } from '../log/index.js';
import type { DiskMonitor } from '../store/disk-space.js';
import type { IntegrityChecker } from '../store/integrity.js';
import type { Store } from '../store/store.js';
import type { WalCheckpointer } from '../store/wal-checkpointer.js';
import type { HealthReport } from './routes/health.js';

export interface ApiServices {
  config: CuspConfig;
  store: Store;
  audit: AuditLog;
  bus: EventBus;
  log: Logger;
  version: string;
  health: () => HealthReport;
  /** Absent in tests that run the API without ingest. */
  folders?: FolderManager;
  ingest?: IngestService;
  /** Photos: uploads through POST /images. Absent in tests without ingest. */
  photos?: PhotoService;
  dispatcher?: JobDispatcher;
  /** The last redacted log lines, for the console's log tail. */
  recentLogs?: (lines: number) => string[];
  /** Backups on request (admin socket) and on schedule; absent in tests without it. */
  backups?: BackupService;
  /** The WAL checkpoint thread; paused while the key is rotated. Absent in tests without it. */
  checkpointer?: WalCheckpointer;
  /** The key the open database is encrypted with (online key rotation settles against it). */
  databaseKey?: Buffer;
  /** Free space on the data folder's disk; absent in tests without it. */
  disk?: DiskMonitor;
  /** The database integrity check; reads report corrupt scans to it. Absent in tests without it. */
  integrity?: IntegrityChecker;
}
