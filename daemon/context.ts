/**
 * What the daemon and the offline commands share: finding the config, the key, the store
 * and the audit log the same way, so `cusp audit verify` reads exactly what the daemon wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { AuditLog } from '../src/audit/audit-log.js';
import { loadRetiredKeys, openSigningKey, type SigningKey, type SignedBefore } from '../src/audit/signing.js';
import { loadConfig, type CuspConfig, type LoadedConfig } from '../src/config/index.js';
import { loadKey, type DatabaseKey } from '../src/store/key.js';
import { recoverPendingRotation, recoverRekeyCopy, type RecoveryResult } from '../src/store/rekey.js';
import { openStore, type OpenStoreOptions, type Store } from '../src/store/store.js';
import type { CommandIO } from './command.js';
import { expectedDatabase } from './data-guard.js';

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
    // Never beside an existing database: a new key cannot open it, and would hide the lost one.
    allowGenerate: loaded.source === 'builtin' && !existsSync(store.path),
  });
}

export interface OpenedStore {
  store: Store;
  key: DatabaseKey;
  /** What finishing or undoing an interrupted key rotation did (for a log line). */
  rotation: RecoveryResult;
}

/**
 * Open the store for a command or the daemon: an interrupted key rotation is finished or
 * undone first, and a missing, emptied or foreign database is refused while the audit
 * checkpoints outside it show this installation had data (data-guard.ts).
 */
/** How long a CLI command waits for the daemon's write lock before it says the database is busy. */
export const CLI_BUSY_TIMEOUT_MS = 30_000;

export function openStoreFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv, options: OpenStoreOptions = {}): OpenedStore {
  const { store: cfg } = loaded.config;
  // A credential key cannot be rewritten by cusp: only the safety copy of a rekey is settled.
  const rotation = env.CREDENTIALS_DIRECTORY ? recoverRekeyCopy(cfg.path, keyFor(loaded, env).bytes) : recoverPendingRotation(cfg.path, cfg.keyFile);
  // Judged before the key: a generated key beside a vanished database would hide what happened.
  const existing = expectedDatabase(loaded.config);
  if (existing && !existsSync(cfg.path)) throw existing.refuse('missing', 0);
  const key = keyFor(loaded, env);
  // A command run beside the daemon waits out a long write of its (a big scan's commit on a
  // busy machine) instead of failing after the daemon's own 5 s.
  return { store: openStore(cfg.path, key.bytes, { existing, busyTimeoutMs: CLI_BUSY_TIMEOUT_MS, ...options }), key, rotation };
}

export interface OpenedAudit {
  audit: AuditLog;
  signingKey: SigningKey;
}

/** What shows whether this installation's trail was ever signed (so a missing key is a loss). */
export function signedBefore(store: Store, config: CuspConfig): SignedBefore {
  const file = config.audit.checkpointFile;
  return {
    knownPublicPem: store.meta.get('audit_public_key') ?? undefined,
    checkpointLines: existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length : 0,
    events: store.auditEvents.count(),
  };
}

/**
 * The audit log with its signing key. A missing key for a trail that was signed before is
 * refused (openSigningKey): never a silent new key.
 */
export function openAuditFor(store: Store, config: CuspConfig): OpenedAudit {
  const signingKey = openSigningKey(config.audit.signingKeyFile, signedBefore(store, config));
  const known = store.meta.get('audit_public_key');
  if (!known) store.meta.set('audit_public_key', signingKey.publicPem);
  const audit = new AuditLog(store.auditEvents, {
    signingKey,
    retiredKeys: loadRetiredKeys(config.audit.signingKeyFile),
    checkpointFile: config.audit.checkpointFile,
    checkpointEvery: config.audit.checkpointEvery,
    checkpointMinutes: config.audit.checkpointMinutes,
  });
  return { audit, signingKey };
}
