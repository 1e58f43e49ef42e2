/**
 * Checking a backup before anything is replaced: the archive's shape, every entry's size
 * and SHA-256, the key, SQLite's integrity check over every (authenticated) page, the
 * schema version against this cusp, and the whole audit chain against the checkpoints
 * and signing key inside the backup. The entries are unpacked into `workDir` for restore.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRetiredKeys, publicKeyFromPem } from '../audit/signing.js';
import { verifyAudit, type VerifyResult } from '../audit/verify.js';
import { CuspError } from '../errors.js';
import { codeSchemaVersion } from '../store/migrate.js';
import { openCopy } from '../store/copy.js';
import { BACKUP_FORMAT_VERSION, ENTRY, keyId, manifestSchema, sha256File, type BackupManifest } from './manifest.js';
import { unseal } from './sealed.js';
import { extractEntry, listTar } from './tar.js';

export interface CheckedBackup {
  manifest: BackupManifest;
  audit: VerifyResult;
  /**
   * Unpacked, checked files in workDir (secrets in plain form, mode 0600). `signingKey` only
   * when the backup carries it (a separate backup key, or format 1).
   */
  files: { database: string; checkpoints: string; signingKey?: string; signingPublicKey: string; retiredKeys?: string; caCert?: string; caKey?: string };
}

function readManifest(file: string, text: string): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CuspError('invalid_input', `${file}: the manifest is not JSON — not a Cusp backup, or damaged`);
  }
  const format = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof format === 'number' && format > BACKUP_FORMAT_VERSION) {
    throw new CuspError('invalid_input', `${file} was made by a newer cusp (backup format ${format}, this cusp reads up to ${BACKUP_FORMAT_VERSION}) — restore it with that version`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new CuspError('invalid_input', `${file}: the manifest is not a Cusp backup manifest (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** The retired public keys in a backup's entry (unpacked to `path`). */
function readRetiredKeys(path: string) {
  // loadRetiredKeys reads `<signing key>.retired`: name the entry's file so.
  return loadRetiredKeys(path.replace(/\.retired$/, ''));
}

/** Check the backup `file` with `key`, unpacking it into the empty private folder `workDir`. */
export async function checkBackup(file: string, key: Buffer, workDir: string): Promise<CheckedBackup> {
  const entries = listTar(file);
  if (entries[0]?.name !== ENTRY.manifest) throw new CuspError('invalid_input', `${file} does not start with ${ENTRY.manifest} — it is not a Cusp backup`);
  const manifestPath = join(workDir, 'MANIFEST.json');
  await extractEntry(file, entries[0], manifestPath);
  const manifest = readManifest(file, readFileSync(manifestPath, 'utf8'));
  if (keyId(key) !== manifest.key.id) {
    throw new CuspError('key_invalid', `${file} was made with another key (key id ${manifest.key.id}; the key given has id ${keyId(key)}) — pass --key-file with the key used for this backup (the database key of the server it came from, or its separate backup key)`);
  }
  const listed = new Map(entries.slice(1).map((e) => [e.name, e]));
  if (listed.size !== manifest.files.length || manifest.files.some((f) => !listed.has(f.name))) {
    throw new CuspError('invalid_input', `${file}: the entries do not match its manifest (entries added or removed)`);
  }
  const paths = new Map<string, string>();
  for (const f of manifest.files) {
    const entry = listed.get(f.name)!;
    const target = join(workDir, f.name.replaceAll('/', '_'));
    if (entry.size !== f.bytes) throw new CuspError('invalid_input', `${file}: ${f.name} holds ${entry.size} bytes, the manifest says ${f.bytes} — the backup is damaged`);
    await extractEntry(file, entry, target);
    if (await sha256File(target) !== f.sha256) throw new CuspError('invalid_input', `${file}: ${f.name} does not match its SHA-256 in the manifest — the backup is damaged or was altered`);
    paths.set(f.name, target);
  }
  // Format 1 always carried the sealed signing key; format 2 its public half, and the
  // private key only under a separate backup key.
  const required: string[] = [ENTRY.database, ENTRY.checkpoints, manifest.formatVersion >= 2 ? ENTRY.signingPublicKey : ENTRY.signingKey];
  for (const name of required) {
    if (!paths.has(name)) throw new CuspError('invalid_input', `${file} has no ${name} — not a complete Cusp backup`);
  }

  let signingKeyFile: string | undefined;
  let publicPem: string;
  if (paths.has(ENTRY.signingKey)) {
    const signingPem = unseal(key, ENTRY.signingKey, readFileSync(paths.get(ENTRY.signingKey)!, 'utf8'));
    signingKeyFile = join(workDir, 'signing.key');
    writeFileSync(signingKeyFile, signingPem, { mode: 0o600 });
    publicPem = createPublicKey(createPrivateKey(signingPem)).export({ type: 'spki', format: 'pem' }).toString();
  } else {
    publicPem = readFileSync(paths.get(ENTRY.signingPublicKey)!, 'utf8');
  }
  const signingPublicKey = join(workDir, 'signing.pub');
  writeFileSync(signingPublicKey, publicPem, { mode: 0o600 });
  let signer: ReturnType<typeof publicKeyFromPem>;
  try {
    signer = publicKeyFromPem(publicPem);
  } catch {
    throw new CuspError('invalid_input', `${file}: ${ENTRY.signingPublicKey} is not a public key — the backup is damaged`);
  }
  if (signer.keyId !== manifest.audit.signingKeyId) {
    throw new CuspError('audit_broken', `${file}: the signing key inside is ${signer.keyId}, the manifest names ${manifest.audit.signingKeyId} — the backup was altered`);
  }
  let caKey: string | undefined;
  if (paths.has(ENTRY.caKey)) {
    caKey = join(workDir, 'ca.key');
    writeFileSync(caKey, unseal(key, ENTRY.caKey, readFileSync(paths.get(ENTRY.caKey)!, 'utf8')), { mode: 0o600 });
  }

  const database = paths.get(ENTRY.database)!;
  const copy = openCopy(database, key);
  try {
    const problems = copy.integrityProblems();
    if (problems.length > 0) throw new CuspError('store_failed', `${file}: the database in the backup fails its integrity check (${problems.slice(0, 3).join('; ')})`);
    const facts = copy.facts();
    const latest = codeSchemaVersion();
    if (facts.schemaVersion > latest) {
      throw new CuspError('store_failed', `${file} holds schema version ${facts.schemaVersion}, but this cusp knows only up to ${latest} — it was made by a newer cusp; install that version to restore it`);
    }
    if (facts.schemaVersion !== manifest.schemaVersion || (facts.head?.seq ?? 0) !== manifest.audit.headSeq) {
      throw new CuspError('invalid_input', `${file}: the database does not match its manifest (schema or audit head differ)`);
    }
    const checkpoints = paths.get(ENTRY.checkpoints)!;
    const retiredKeys = paths.get(ENTRY.retiredKeys);
    const audit = verifyAudit(copy.auditEvents, { publicKey: signer.publicKey, keyId: signer.keyId, checkpointFile: checkpoints, retiredKeys: retiredKeys ? readRetiredKeys(retiredKeys) : undefined });
    if (!audit.ok) throw new CuspError('audit_broken', `${file}: the audit trail in the backup does not verify: ${audit.problems[0].message}`);
    return {
      manifest,
      audit,
      files: { database, checkpoints, signingKey: signingKeyFile, signingPublicKey, retiredKeys, caCert: paths.get(ENTRY.caCert), caKey },
    };
  } finally {
    copy.close();
  }
}
