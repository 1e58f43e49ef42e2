import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';

export const tokenRevoke: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { config: { type: 'string' } } });
    if (positionals.length !== 1 || !/^[1-9]\d{0,15}$/.test(positionals[0])) throw new CuspError('bad_request', 'give one token id (cusp token list shows them)');
    const id = Number(positionals[0]);
    const loaded = configFor(values.config, io);
    const { store } = openStoreFor(loaded, io.env);
    try {
      const { audit } = openAuditFor(store, loaded.config);
      const token = store.principals.token(id);
      if (!token) throw new CuspError('not_found', `no token ${id} — cusp token list shows them`);
      if (!store.principals.revokeToken(id)) throw new CuspError('conflict', `token ${id} is revoked already`);
      audit.append({ actor: 'cli', action: 'token.revoke', object: `token:${id}`, details: { principal: token.principalId } });
      audit.maybeCheckpoint();
      io.stderr.write(`token ${id} revoked\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
