import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { Command, CommandIO } from '../command.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';

/** Disable or enable the principal named in `args`; shared by both commands. */
export async function setPrincipalDisabled(args: string[], io: CommandIO, disabled: boolean): Promise<number> {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { config: { type: 'string' } } });
  if (positionals.length !== 1) throw new CuspError('bad_request', 'give one principal name (cusp token list shows them)');
  const loaded = configFor(values.config, io);
  const { store } = openStoreFor(loaded, io.env);
  try {
    const { audit } = openAuditFor(store, loaded.config);
    const p = store.principals.getByName(positionals[0]);
    if (!p) throw new CuspError('not_found', `no principal named ${positionals[0]}`);
    const verb = disabled ? 'disable' : 'enable';
    if (!store.principals.setDisabled(p.id, disabled)) throw new CuspError('conflict', `${p.name} is ${verb}d already`);
    audit.append({ actor: 'cli', action: `principal.${verb}`, object: `principal:${p.id}`, details: { role: p.role } });
    audit.maybeCheckpoint();
    io.stderr.write(disabled ? `${p.name} disabled: its tokens and client certificates are refused from now on\n` : `${p.name} enabled\n`);
    return 0;
  } finally {
    store.close();
  }
}

export const principalDisable: Command = {
  path: ['principal', 'disable'],
  summary: 'disable a user or API client: its tokens and client certificates are refused at once',
  usage: `usage: cusp principal disable NAME [--config FILE]

Disables the principal NAME (a user or API client). A running daemon refuses its tokens
and its client certificate (mutual TLS) from the next request on. Its tokens are kept:
cusp principal enable NAME makes them work again.`,
  run: (args, io) => setPrincipalDisabled(args, io, true),
};
