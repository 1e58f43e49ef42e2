import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../../src/audit/audit-log.js';
import { loadSigningKey } from '../../src/audit/signing.js';
import { restoreBackup, type RestoreResult } from '../../src/backup/restore.js';
import { installationFiles } from '../../src/backup/service.js';
import { checkBackup } from '../../src/backup/verify.js';
import { CuspError } from '../../src/errors.js';
import { readKeyFile } from '../../src/store/key.js';
import { openStore } from '../../src/store/store.js';
import type { CommandRunner } from '../command.js';
import { runningDaemon } from '../admin-call.js';
import { claimDataFolder } from '../pid-file.js';
import { configFor, keyFor } from '../context.js';

/** Files written by root in a data folder the service user owns are handed to that user. */
function giveToDataOwner(dataDir: string, paths: string[]): void {
  if (process.getuid?.() !== 0 || !existsSync(dataDir)) return;
  const { uid, gid } = statSync(dataDir);
  if (uid === 0) return;
  const walk = (path: string): void => {
    if (!existsSync(path)) return;
    chownSync(path, uid, gid);
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  paths.forEach(walk);
}

function describe(r: Pick<RestoreResult, 'manifest' | 'audit'>): string {
  const m = r.manifest;
  return `made ${m.createdAt} by cusp ${m.cuspVersion}, schema ${m.schemaVersion}, audit events 1–${r.audit.headSeq} verified against ${r.audit.fileCheckpoints} signed checkpoints`;
}

/** The restore is not recorded when there is no key to sign it with. */
class NoSigningKey extends Error {}

export const restore: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { config: { type: 'string' }, 'key-file': { type: 'string' }, check: { type: 'boolean' }, 'signing-key': { type: 'string' }, 'without-signing-key': { type: 'boolean' } } });
    if (positionals.length !== 1) throw new CuspError('bad_request', 'name one backup file: cusp restore FILE');
    const file = resolve(positionals[0]);
    if (!existsSync(file)) throw new CuspError('invalid_input', `${file} does not exist`);
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const backupKey = values['key-file'] ? readKeyFile(resolve(values['key-file'])) : undefined;

    if (values.check) {
      const work = mkdtempSync(join(tmpdir(), 'cusp-check-'));
      try {
        const checked = await checkBackup(file, backupKey ?? keyFor(loaded, io.env).bytes, work);
        io.stdout.write(`${basename(file)} is good: ${describe(checked)}\n`);
        if (!checked.files.signingKey) io.stdout.write(`it does not carry the audit signing key (key id ${checked.manifest.audit.signingKeyId}): restoring it needs --signing-key FILE with the copy you keep\n`);
        return 0;
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }

    const pid = runningDaemon(config);
    if (pid !== undefined) {
      throw new CuspError('conflict', `the daemon (pid ${pid}) is running on this data folder — stop it first (systemctl stop cusp), restore, then start it again`);
    }
    // Held until the restore is done: a daemon starting meanwhile would open a half-restored folder.
    const release = claimDataFolder(config.dataDir);
    try {
      return await restoreLocked();
    } finally {
      release();
    }
    async function restoreLocked(): Promise<number> {
      const dbKey = keyFor(loaded, io.env).bytes;
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const asideDir = join(config.dataDir, `.pre-restore-${stamp}`);
      const files = installationFiles(config);
      const result = await restoreBackup({
        file, dbKey, backupKey, asideDir,
        signingKeyFile: values['signing-key'] === undefined ? undefined : resolve(values['signing-key']),
        withoutSigningKey: values['without-signing-key'],
        targets: { ...files, certFile: config.api.tls.certFile, tlsKeyFile: config.api.tls.keyFile },
      });
      // The restore itself goes into the restored trail (the store also applies migrations);
      // without a signing key it cannot be signed: 'cusp audit new-signing-key' comes first.
      const store = openStore(config.store.path, dbKey);
      try {
        if (result.signingKey === 'none') throw new NoSigningKey();
        const audit = new AuditLog(store.auditEvents, { signingKey: loadSigningKey(files.signingKeyFile), checkpointFile: files.checkpointFile, checkpointEvery: config.audit.checkpointEvery, checkpointMinutes: config.audit.checkpointMinutes });
        audit.append({ actor: 'cli', action: 'backup.restore', details: { file: basename(file), createdAt: result.manifest.createdAt, auditHead: result.audit.headSeq, migrated: store.migrated } });
        audit.checkpoint();
      } catch (err) {
        if (!(err instanceof NoSigningKey)) throw err;
      } finally {
        store.close();
      }
      giveToDataOwner(config.dataDir, [files.dbPath, dirname(files.checkpointFile), dirname(files.signingKeyFile), dirname(config.api.tls.caFile), asideDir]);
      io.stdout.write(`restored ${basename(file)} (${describe(result)})${result.restoredCa ? '; the local CA came back too, so pinned CA fingerprints stay valid' : ''}\n`);
      if (result.signingKey === 'none') io.stdout.write(`restored WITHOUT the audit signing key (${result.manifest.audit.signingKeyId}): the daemon will not start until you run 'cusp audit new-signing-key --reason TEXT' (recorded in the trail; the restore itself is not, as nothing can sign it)\n`);
      io.stdout.write(`the replaced files are in ${asideDir} — remove that folder once the restored server works; now start the daemon (systemctl start cusp)\n`);
      return 0;
    }
  },
};
