import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSigningKey, publicKeyFromPem } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { openDatabase } from '../../src/store/database.js';
import { isDiskFull } from '../../src/store/disk-space.js';
import { recoverPendingRotation } from '../../src/store/rekey.js';
import type { LoadedConfig } from '../../src/config/index.js';
import type { Command, CommandIO } from '../command.js';
import { configFor, keyFor, openAuditFor, openStoreFor } from '../context.js';

export const auditVerify: Command = {
  path: ['audit', 'verify'],
  summary: 'check the whole audit chain and its signed checkpoints; name the first bad event',
  usage: `usage: cusp audit verify [--config FILE] [--json] [--public-key FILE]

Recomputes every event's hash and link, checks every checkpoint's Ed25519 signature and
compares the checkpoints kept in the database with those in the checkpoint file outside
it (audit.checkpointFile), so edits, deletions, insertions, reordering and a cut-off tail
are all found. --public-key verifies with a copy of the public key (SPKI PEM) instead of
the signing key file. Exit status 0 when the chain is intact, 1 when it is not.

The check reads the database read-only, so it works on a full disk; the verification is
then recorded in the audit trail when the disk has room (else a line on stderr says it
could not be).`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean' }, 'public-key': { type: 'string' } }, strict: true });
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const trusted = values['public-key']
      ? publicKeyFromPem(readFileSync(values['public-key'], 'utf8'))
      : loadSigningKey(config.audit.signingKeyFile);
    // Read-only: nothing is migrated, swept or written, so a full disk cannot stop the check.
    if (!io.env.CREDENTIALS_DIRECTORY) recoverPendingRotation(config.store.path, config.store.keyFile);
    const db = openDatabase(config.store.path, keyFor(loaded, io.env).bytes, { readonly: true });
    try {
      const isTTY = (io.stderr as NodeJS.WriteStream).isTTY === true && !values.json;
      const result = verifyAudit(db, {
        publicKey: trusted.publicKey,
        keyId: trusted.keyId,
        checkpointFile: config.audit.checkpointFile,
        onProgress: isTTY ? (done, total) => io.stderr.write(`\rverifying ${done}/${total} events…`) : undefined,
      });
      if (isTTY) io.stderr.write('\n');
      if (!values['public-key']) recordVerify(loaded, io, { ok: result.ok, events: result.events, problems: result.problems.length });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else if (result.ok) {
        const cp = result.lastCheckpoint;
        io.stdout.write(`audit chain OK: ${result.events} events, ${result.checkpoints} signed checkpoints${cp ? ` (last at event ${cp.seq}, ${cp.time})` : ''}; head ${result.headHash.slice(0, 16)}…\n`);
      } else {
        io.stdout.write(`audit chain BROKEN: ${result.problems.length} problem(s); first bad event: ${result.problems[0].seq ?? 'n/a'}\n`);
        for (const p of result.problems) io.stdout.write(`  - ${p.message}\n`);
      }
      return result.ok ? 0 : 1;
    } finally {
      db.close();
    }
  },
};

/**
 * Record the verification in the audit trail (a write of its own, after the read-only
 * check). On a full disk it cannot be written: say so on stderr and let the check's
 * outcome stand.
 */
function recordVerify(loaded: LoadedConfig, io: CommandIO, outcome: { ok: boolean; events: number; problems: number }): void {
  let opened: ReturnType<typeof openStoreFor> | undefined;
  try {
    opened = openStoreFor(loaded, io.env);
    const { audit } = openAuditFor(opened.store, loaded.config);
    audit.append({ actor: 'cli', action: 'audit.verify', outcome: outcome.ok ? 'success' : 'failure', details: { events: outcome.events, problems: outcome.problems } });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (!isDiskFull(err) && !isDiskFull(cause)) throw err;
    io.stderr.write(`cusp audit verify: the check is done, but it could not be recorded in the audit trail: the disk is full (${(err as Error).message})\n`);
  } finally {
    opened?.store.close();
  }
}
