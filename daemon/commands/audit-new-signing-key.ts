import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditLog } from '../../src/audit/audit-log.js';
import { createSigningKey, loadRetiredKeys, publicKeyFromPem, retireKey } from '../../src/audit/signing.js';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { configFor, openStoreFor } from '../context.js';
import { dataFolderLocked } from '../pid-file.js';

/**
 * `cusp audit new-signing-key --reason TEXT`: the one way to replace a lost checkpoint
 * signing key. Deliberate and recorded: the old public key is kept in the retired keys'
 * file beside the key (so the old checkpoints still verify), the change is an audit event
 * naming both key ids and the reason, and a checkpoint signed with the new key follows it.
 * Refused while the daemon runs and while a key file is there.
 */
export const auditNewSigningKey: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, strict: true, options: { config: { type: 'string' }, reason: { type: 'string' } } });
    const reason = values.reason?.trim();
    if (!reason) throw new CuspError('bad_request', 'say why with --reason TEXT (it is recorded in the audit trail), e.g. --reason "key lost with the old server; no copy found"');
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const path = config.audit.signingKeyFile;
    if (dataFolderLocked(config.dataDir)) throw new CuspError('conflict', 'the daemon is running: stop it first (it refuses to start without its signing key anyway)');
    if (existsSync(path)) throw new CuspError('conflict', `${path} is there: Cusp replaces only a lost signing key — move it aside first if it must go (e.g. it leaked), then run this again`);
    const { store } = openStoreFor(loaded, io.env);
    try {
      const oldPem = store.meta.get('audit_public_key');
      const old = oldPem ? publicKeyFromPem(oldPem) : undefined;
      const signingKey = createSigningKey(path);
      if (old && oldPem) retireKey(path, { keyId: old.keyId, publicPem: oldPem, retiredAt: new Date().toISOString(), reason });
      store.meta.set('audit_public_key', signingKey.publicPem);
      const audit = new AuditLog(store.auditEvents, {
        signingKey, retiredKeys: loadRetiredKeys(path), checkpointFile: config.audit.checkpointFile,
        checkpointEvery: config.audit.checkpointEvery, checkpointMinutes: config.audit.checkpointMinutes,
      });
      audit.append({ actor: 'cli', action: 'audit.signing_key.new', details: { oldKeyId: old?.keyId ?? null, newKeyId: signingKey.keyId, reason } });
      audit.checkpoint();
      io.stderr.write(`new audit signing key ${signingKey.keyId} at ${path} (recorded in the audit trail)${old ? `; the old key ${old.keyId} is retired: its public half is kept in ${path}.retired, so the checkpoints it signed still verify` : ''}. Keep a copy of the new key away from this server.\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
