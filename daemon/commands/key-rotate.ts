import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import { generateKeyFile } from '../../src/store/key.js';
import { rekeyDatabase, rotateKeyFile } from '../../src/store/rekey.js';
import type { Command } from '../command.js';
import { configFor, keyFor, openAuditFor, openStoreFor } from '../context.js';
import { livePid } from '../pid-file.js';

export const keyRotate: Command = {
  path: ['key', 'rotate'],
  summary: 're-encrypt the database under a new random key',
  usage: `usage: cusp key rotate [--config FILE] [--new-key-file FILE]

Generates a new 256-bit key, re-encrypts the database with it and replaces the key file
(store.keyFile) atomically; the old key stops opening the database. A crash at any point
loses nothing: the next start finishes or undoes the rotation. When the key comes from a
systemd credential, --new-key-file names where to write the new key; then update the
credential (systemd-creds encrypt) before the next start. The daemon must be stopped.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, 'new-key-file': { type: 'string' } }, strict: true });
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const pid = livePid(join(config.dataDir, 'cusp.pid'));
    if (pid !== undefined) {
      throw new CuspError('conflict', `the daemon (pid ${pid}) has the database open — stop it first (systemctl stop cusp), rotate, start it again`);
    }
    const current = keyFor(loaded, io.env);
    if (current.source === 'credential' && !values['new-key-file']) {
      throw new CuspError('bad_request', `the key comes from the systemd credential ${current.origin}, which cusp cannot rewrite — pass --new-key-file FILE and then install that file as the credential`);
    }
    const { store } = openStoreFor(loaded, io.env);
    try {
      let where: string;
      if (values['new-key-file']) {
        const newKey = generateKeyFile(values['new-key-file']);
        rekeyDatabase(store.db, newKey);
        where = values['new-key-file'];
      } else {
        rotateKeyFile(store.path, config.store.keyFile, store.db);
        where = config.store.keyFile;
      }
      openAuditFor(store, config).audit.append({ actor: 'cli', action: 'key.rotate', details: { keySource: current.source } });
      io.stdout.write(`database key rotated: the new key is in ${where}; the old key no longer opens the database — replace any copy of the old key in your key escrow\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
