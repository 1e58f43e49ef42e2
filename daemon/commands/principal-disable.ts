import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { CommandIO, CommandRunner } from '../command.js';
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

export const principalDisable: CommandRunner = {
  run: (args, io) => setPrincipalDisabled(args, io, true),
};
