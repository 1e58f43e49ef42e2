import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSigningKey, publicKeyFromPem } from '../../src/audit/signing.js';
import { verifyAudit } from '../../src/audit/verify.js';
import type { CommandRunner } from '../command.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';
import { isDatabaseRefusal } from '../data-guard.js';

export const auditVerify: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean' }, 'public-key': { type: 'string' } }, strict: true });
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const trusted = values['public-key']
      ? publicKeyFromPem(readFileSync(values['public-key'], 'utf8'))
      : loadSigningKey(config.audit.signingKeyFile);
    let store;
    try {
      ({ store } = openStoreFor(loaded, io.env));
    } catch (err) {
      // A missing, emptied or foreign database: the trail the checkpoints sign is not there.
      if (!isDatabaseRefusal(err)) throw err;
      if (values.json) io.stdout.write(`${JSON.stringify({ ok: false, problems: [{ seq: null, message: err.message }] }, null, 2)}\n`);
      else io.stdout.write(`audit chain BROKEN: ${err.message}\n`);
      return 1;
    }
    try {
      const isTTY = (io.stderr as NodeJS.WriteStream).isTTY === true && !values.json;
      const result = verifyAudit(store.db, {
        publicKey: trusted.publicKey,
        keyId: trusted.keyId,
        checkpointFile: config.audit.checkpointFile,
        onProgress: isTTY ? (done, total) => io.stderr.write(`\rverifying ${done}/${total} events…`) : undefined,
      });
      if (isTTY) io.stderr.write('\n');
      if (!values['public-key']) {
        const { audit } = openAuditFor(store, config);
        audit.append({ actor: 'cli', action: 'audit.verify', outcome: result.ok ? 'success' : 'failure', details: { events: result.events, problems: result.problems.length } });
      }
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
      store.close();
    }
  },
};
