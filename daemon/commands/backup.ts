import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadSigningKey } from '../../src/audit/signing.js';
import { createBackup } from '../../src/backup/create.js';
import { autoBackupPath, pruneBackups } from '../../src/backup/rotation.js';
import { installationFiles } from '../../src/backup/service.js';
import { openAuditTrail } from '../../src/store/audit-events.js';
import { readKeyFile } from '../../src/store/key.js';
import type { CommandRunner } from '../command.js';
import { callDaemon, runningDaemon } from '../admin-call.js';
import { claimDataFolder } from '../pid-file.js';
import { configFor, keyFor } from '../context.js';
import { cuspVersion } from './version.js';

interface Summary {
  file: string;
  bytes: number;
  schemaVersion: number;
  auditHeadSeq: number;
  key: { kind: 'database' | 'separate'; id: string };
  pruned: string[];
}

export const backup: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { config: { type: 'string' }, 'key-file': { type: 'string' } } });
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const file = positionals[0] === undefined ? undefined : resolve(positionals[0]);
    const backupKeyFile = values['key-file'] === undefined ? undefined : resolve(values['key-file']);
    let summary: Summary;
    const pid = runningDaemon(config);
    if (pid !== undefined) {
      summary = await callDaemon<Summary>(config, '/maintenance/backup', { file, backupKeyFile });
    } else {
      // Held while the backup runs: a daemon starting meanwhile would clear its staging folder.
      const release = claimDataFolder(config.dataDir);
      try {
        summary = await backupOffline();
      } finally {
        release();
      }
    }
    async function backupOffline(): Promise<Summary> {
      const dbKey = keyFor(loaded, io.env).bytes;
      const backupKey = backupKeyFile ? readKeyFile(backupKeyFile) : undefined;
      const target = file ?? autoBackupPath(config.backup.dir, new Date());
      const result = await createBackup({ ...installationFiles(config), file: target, dbKey, backupKey, cuspVersion: cuspVersion() });
      const pruned = file === undefined ? pruneBackups(config.backup.dir, config.backup.keep) : [];
      // Recorded in the live trail after the copy is complete (so not inside the backup).
      const trail = openAuditTrail(config.store.path, dbKey);
      try {
        const audit = new AuditLog(trail.events, { signingKey: loadSigningKey(config.audit.signingKeyFile), checkpointFile: config.audit.checkpointFile, checkpointEvery: config.audit.checkpointEvery, checkpointMinutes: config.audit.checkpointMinutes });
        audit.append({ actor: 'cli', action: 'backup.create', details: { file: basename(target), bytes: result.bytes, reason: 'manual', key: result.manifest.key.kind, auditHead: result.manifest.audit.headSeq, pruned: pruned.length } });
        audit.maybeCheckpoint();
      } finally {
        trail.close();
      }
      return { file: target, bytes: result.bytes, schemaVersion: result.manifest.schemaVersion, auditHeadSeq: result.manifest.audit.headSeq, key: result.manifest.key, pruned };
    }
    const keyText = summary.key.kind === 'separate' ? `the separate backup key (id ${summary.key.id})` : `the database key (id ${summary.key.id})`;
    io.stdout.write(`backup written: ${summary.file} (${(summary.bytes / 1048576).toFixed(1)} MiB, schema ${summary.schemaVersion}, audit events 1–${summary.auditHeadSeq}), encrypted with ${keyText}${pid !== undefined ? ` by the running daemon (pid ${pid})` : ''}\n`);
    if (summary.pruned.length > 0) io.stdout.write(`removed ${summary.pruned.length} older backup(s) to keep ${config.backup.keep}\n`);
    return 0;
  },
};
