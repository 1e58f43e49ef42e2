import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';

/** A token's state as the list shows it. */
function stateOf(t: { revokedAt: string | null; expiresAt: string | null }, disabled: boolean, now: string): string {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt <= now) return 'expired';
  return disabled ? 'disabled' : 'active';
}

export const tokenList: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, strict: true, options: { config: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } } });
    const loaded = configFor(values.config, io);
    const { store } = openStoreFor(loaded, io.env);
    try {
      const { audit } = openAuditFor(store, loaded.config);
      const principals = new Map(store.principals.list().map((p) => [p.id, p]));
      let tokens = store.principals.allTokens();
      if (values.name !== undefined) {
        const p = store.principals.getByName(values.name);
        if (!p) throw new CuspError('not_found', `no principal named ${values.name} — cusp token list shows them all`);
        tokens = tokens.filter((t) => t.principalId === p.id);
      }
      const now = new Date().toISOString();
      const rows = tokens.map((t) => {
        const p = principals.get(t.principalId)!;
        return { id: t.id, principal: p.name, role: p.role, name: t.name, state: stateOf(t, p.disabled, now), expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, scopes: t.scopes };
      });
      audit.append({ actor: 'cli', action: 'token.list', object: null, details: { count: rows.length } });
      audit.maybeCheckpoint();
      if (values.json) {
        io.stdout.write(`${JSON.stringify({ tokens: rows }, null, 2)}\n`);
        return 0;
      }
      io.stdout.write('ID\tPRINCIPAL\tROLE\tNAME\tSTATE\tEXPIRES\tLAST USED\n');
      for (const r of rows) io.stdout.write(`${r.id}\t${r.principal}\t${r.role}\t${r.name}\t${r.state}\t${r.expiresAt ?? 'never'}\t${r.lastUsedAt ?? 'never'}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
