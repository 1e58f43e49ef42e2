import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { checkAgainst, readOutsideCopy, type AgainstResult } from '../../src/audit/against.js';
import { loadRetiredKeys, loadSigningKey, publicKeyFromPem } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import { openAuditTrail, type OpenedTrail } from '../../src/store/audit-events.js';
import { isDiskFull } from '../../src/store/disk-space.js';
import { recoverPendingRotation } from '../../src/store/rekey.js';
import type { LoadedConfig } from '../../src/config/index.js';
import type { CommandIO, CommandRunner } from '../command.js';
import { configFor, keyFor, openAuditFor, openStoreFor } from '../context.js';
import { expectedDatabase, isDatabaseRefusal } from '../data-guard.js';
import { dataFolderLocked } from '../pid-file.js';
import { CuspError } from '../../src/errors.js';

export const auditVerify: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, options: {
      config: { type: 'string' }, json: { type: 'boolean' }, 'public-key': { type: 'string' },
      against: { type: 'string', multiple: true }, ca: { type: 'string' }, 'token-file': { type: 'string' },
    }, strict: true });
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const trusted = values['public-key']
      ? publicKeyFromPem(readFileSync(values['public-key'], 'utf8'))
      : loadSigningKey(config.audit.signingKeyFile);
    const retiredKeys = loadRetiredKeys(config.audit.signingKeyFile);
    // Outside copies are read before the database is opened: a URL that does not answer
    // is an error of its own, not a verdict on the trail.
    const outside: Array<{ source: string; text: string }> = [];
    for (const source of values.against ?? []) outside.push({ source, text: await readSource(source, values.ca, values['token-file'], io) });
    let db: OpenedTrail;
    try {
      db = openForVerify(loaded, io);
    } catch (err) {
      // A missing, emptied or foreign database: the trail the checkpoints sign is not there.
      if (!isDatabaseRefusal(err)) throw err;
      if (values.json) io.stdout.write(`${JSON.stringify({ ok: false, problems: [{ seq: null, message: err.message }] }, null, 2)}\n`);
      else io.stdout.write(`audit chain BROKEN: ${err.message}\n`);
      return 1;
    }
    try {
      const isTTY = (io.stderr as NodeJS.WriteStream).isTTY === true && !values.json;
      const trail = db.events;
      const result = verifyAudit(trail, {
        publicKey: trusted.publicKey,
        keyId: trusted.keyId,
        retiredKeys,
        checkpointFile: config.audit.checkpointFile,
        onProgress: isTTY ? (done, total) => io.stderr.write(`\rverifying ${done}/${total} events…`) : undefined,
      });
      if (isTTY) io.stderr.write('\n');
      const against: AgainstResult[] = [];
      for (const { source, text } of outside) {
        const records = readOutsideCopy(text);
        if (records.length === 0) {
          against.push({ source, records: 0, matched: 0, lastSeq: 0, problems: [{ seq: null, message: `${source} holds no audit checkpoint, event or head Cusp can read (syslog lines from audit.syslog or 'cusp audit export', checkpoints.jsonl, a /health answer or a /metrics scrape)` }] });
        } else {
          against.push(checkAgainst(trail, source, records, { publicKey: trusted.publicKey, keyId: trusted.keyId, retiredKeys }));
        }
      }
      if (against.length > 0) {
        result.problems.push(...against.flatMap((a) => a.problems));
        result.problems.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
        result.ok = result.problems.length === 0;
      }
      // Closed before the record is written: an EXCLUSIVE reader (openForVerify) would
      // hold off the writer of the record.
      db.close();
      if (!values['public-key']) recordVerify(loaded, io, { ok: result.ok, events: result.events, problems: result.problems.length });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(against.length > 0 ? { ...result, against } : result, null, 2)}\n`);
      } else if (result.ok) {
        const cp = result.lastCheckpoint;
        io.stdout.write(`audit chain OK: ${result.events} events, ${result.checkpoints} signed checkpoints${cp ? ` (last at event ${cp.seq}, ${cp.time})` : ''}; head ${result.headHash.slice(0, 16)}…\n`);
        for (const a of against) io.stdout.write(`matches ${a.source}: ${a.matched} of ${a.records} records (up to event ${a.lastSeq})\n`);
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

/** The text of an outside copy: a file, or what a URL answers (a /health or /metrics of a monitored daemon). */
async function readSource(source: string, caFile: string | undefined, tokenFile: string | undefined, io: CommandIO): Promise<string> {
  if (!/^https?:\/\//.test(source)) {
    if (!existsSync(source)) throw new CuspError('invalid_input', `--against ${source}: no such file`);
    return readFileSync(source, 'utf8');
  }
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : io.env.CUSP_TOKEN;
  const ca = caFile ? readFileSync(caFile, 'utf8') : undefined;
  return new Promise((resolve, reject) => {
    const get = source.startsWith('https:') ? httpsGet : httpGet;
    const req = get(source, { ca, headers: token ? { Authorization: `Bearer ${token}` } : {}, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) reject(new CuspError('invalid_input', `--against ${source} answered ${res.statusCode}${res.statusCode === 401 || res.statusCode === 403 ? ' (/metrics needs an admin token: CUSP_TOKEN or --token-file)' : ''}`));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (err) => reject(new CuspError('invalid_input', `--against ${source}: ${err.message}${/certificate|self.signed/i.test(err.message) ? ' (give the CA with --ca FILE)' : ''}`)));
  });
}

/**
 * The database, read-only: nothing is migrated, swept or written, so a full disk cannot
 * stop the check (the one exception: closing the exclusive read of a full disk lets SQLite
 * fold committed WAL frames of an unclean stop into the database, as any open would). An interrupted key rotation is settled first, and a missing, emptied or
 * foreign database is refused as the daemon refuses it (data-guard.ts).
 */
function openForVerify(loaded: LoadedConfig, io: CommandIO): OpenedTrail {
  const { config } = loaded;
  const path = config.store.path;
  if (!io.env.CREDENTIALS_DIRECTORY) recoverPendingRotation(path, config.store.keyFile);
  const existing = expectedDatabase(config);
  if (existing && !existsSync(path)) throw existing.refuse('missing', 0);
  if (existing && statSync(path).size === 0) throw existing.refuse('empty', 0);
  // A read-only connection to a WAL database makes its -wal and -shm and cannot remove them
  // on close: when this one made them and the database is refused, they go again, so a
  // refused data folder is left exactly as it was found.
  const made = [`${path}-wal`, `${path}-shm`].filter((p) => !existsSync(p));
  const key = keyFor(loaded, io.env).bytes;
  let db: OpenedTrail;
  try {
    db = openAuditTrail(path, key, { readonly: true });
  } catch (err) {
    // After a clean stop there is no `-shm`, and a read-only open of a WAL database must
    // allocate one (32 KiB): on a full disk it fails ("disk I/O error"). With no daemon on
    // the folder, read with exclusive locking, which keeps the WAL index in memory
    // (database.ts) — a daemon starting during the check waits for it (busy timeout). With
    // a daemon running its `-shm` exists and the shared open above works. (Never
    // `immutable=1`: it would ignore the committed frames still in the `-wal`.)
    if (!(err instanceof CuspError) || err.code !== 'store_failed' || dataFolderLocked(config.dataDir)) throw err;
    try {
      db = openAuditTrail(path, key, { exclusive: true });
    } catch {
      throw err;
    }
  }
  try {
    if (existing) {
      if (db.schemaVersion() === 0) throw existing.refuse('empty', statSync(path).size);
      existing.check(db.events);
    }
    return db;
  } catch (err) {
    db.close();
    for (const p of made) if (existsSync(p) && (p.endsWith('-shm') || statSync(p).size === 0)) rmSync(p);
    throw err;
  }
}

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
