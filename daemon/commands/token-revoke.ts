import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { Command } from '../command.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';

export const tokenRevoke: Command = {
  path: ['token', 'revoke'],
  summary: 'revoke an API token at once (by its id from cusp token list)',
  usage: `usage: cusp token revoke ID [--config FILE]

Revokes the token ID (the first column of cusp token list). A running daemon refuses it
from its next request on. Revoking cannot be undone: issue a new token instead.`,
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
