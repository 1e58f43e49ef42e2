/**
 * What the daemon and the offline commands share: finding the config, the key, the store
 * and the audit log the same way, so `cusp audit verify` reads exactly what the daemon wrote.
 */
import { AuditLog } from '../src/audit/audit-log.js';
import { loadOrCreateSigningKey, type SigningKey } from '../src/audit/signing.js';
import { loadConfig, type CuspConfig, type LoadedConfig } from '../src/config/index.js';
import { loadKey, type DatabaseKey } from '../src/store/key.js';
import { recoverPendingRotation } from '../src/store/rekey.js';
import { openStore, type OpenStoreOptions, type Store } from '../src/store/store.js';
import type { CommandIO } from './command.js';

/** Load the config named by --config / CUSP_CONFIG / /etc/cusp/cusp.yaml / built-in default. */
export function configFor(flag: string | undefined, io: CommandIO): LoadedConfig {
  return loadConfig({ flag, env: io.env, cwd: process.cwd() });
}

/** The database key as the config and environment say; generation only for the built-in default. */
export function keyFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv): DatabaseKey {
  const { store } = loaded.config;
  return loadKey({
    keyFile: store.keyFile,
    credentialName: store.credentialName,
    credentialsDirectory: env.CREDENTIALS_DIRECTORY,
    allowGenerate: loaded.source === 'builtin',
  });
}

export interface OpenedStore {
  store: Store;
  key: DatabaseKey;
}

/** Open the store for a command or the daemon, finishing an interrupted key rotation first. */
export function openStoreFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv, options: OpenStoreOptions = {}): OpenedStore {
  const { store: cfg } = loaded.config;
  if (!env.CREDENTIALS_DIRECTORY) recoverPendingRotation(cfg.path, cfg.keyFile);
  const key = keyFor(loaded, env);
  return { store: openStore(cfg.path, key.bytes, options), key };
}

export interface OpenedAudit {
  audit: AuditLog;
  signingKey: SigningKey;
}

export function openAuditFor(store: Store, config: CuspConfig): OpenedAudit {
  const signingKey = loadOrCreateSigningKey(config.audit.signingKeyFile);
  const known = store.meta.get('audit_public_key');
  if (!known) store.meta.set('audit_public_key', signingKey.publicPem);
  const audit = new AuditLog(store.db, {
    signingKey,
    checkpointFile: config.audit.checkpointFile,
    checkpointEvery: config.audit.checkpointEvery,
    checkpointMinutes: config.audit.checkpointMinutes,
  });
  return { audit, signingKey };
}
