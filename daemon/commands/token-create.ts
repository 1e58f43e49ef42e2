import { parseArgs } from 'node:util';
import { BREAK_GLASS_SCOPE } from '../../src/api/auth.js';
import { CuspError } from '../../src/errors.js';
import { ROLES, type Role } from '../../src/store/principals.js';
import type { CommandRunner } from '../command.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';

export const tokenCreate: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({
      args, strict: true,
      options: {
        config: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, days: { type: 'string' },
        scope: { type: 'string', multiple: true }, user: { type: 'boolean' }, 'break-glass': { type: 'boolean' },
      },
    });
    if (!values.name || !/^[\w.@-]{1,64}$/.test(values.name)) throw new CuspError('bad_request', '--name is required: 1–64 letters, digits, . _ @ -');
    const role = values.role as Role | undefined;
    if (!role) throw new CuspError('bad_request', `--role is required: one of ${ROLES.join(', ')}`);
    if (!ROLES.includes(role)) throw new CuspError('bad_request', `unknown role '${role}' — --role takes one of ${ROLES.join(', ')}`);
    if (values['break-glass'] && role !== 'admin') throw new CuspError('bad_request', '--break-glass is for admin tokens only');
    const loaded = configFor(values.config, io);
    const days = values.days === undefined ? loaded.config.api.tokenTtlDays : Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw new CuspError('bad_request', '--days must be a whole number from 1 to 3650');
    const { store } = openStoreFor(loaded, io.env);
    try {
      const { audit } = openAuditFor(store, loaded.config);
      const existing = store.principals.getByName(values.name);
      if (existing && existing.role !== role) {
        throw new CuspError('conflict', `${values.name} exists with the role ${existing.role}, not ${role} — choose another name`);
      }
      const principal = existing ?? store.principals.create(values.name, role, values.user ? 'user' : 'client');
      const scopes = [...(values.scope ?? []), ...(values['break-glass'] ? [BREAK_GLASS_SCOPE] : [])];
      const { token, info } = store.principals.issueToken(principal.id, values.name, { ttlDays: days, scopes });
      audit.append({ actor: 'cli', action: 'token.create', object: `principal:${principal.id}`, details: { role, token: info.id, days, scopes, breakGlass: values['break-glass'] ?? false } });
      audit.maybeCheckpoint();
      io.stdout.write(`${token}\n`);
      io.stderr.write(`token ${info.id} for ${principal.name} (${role}), valid until ${info.expiresAt} — shown once, store it now\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
