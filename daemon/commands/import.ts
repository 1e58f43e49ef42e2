import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { runningDaemon } from '../admin-call.js';
import { configFor } from '../context.js';

export const importCommand: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { config: { type: 'string' }, patient: { type: 'string' }, jaw: { type: 'string' }, 'captured-at': { type: 'string' } },
    });
    if (positionals.length === 0) throw new CuspError('bad_request', 'name at least one file: cusp import FILE…');
    const { config } = configFor(values.config, io);
    if (runningDaemon(config) === undefined) {
      throw new CuspError('unavailable', 'the daemon is not running — start it (systemctl start cusp): import goes through the daemon so every file is checked and recorded like a scanner\'s');
    }
    const client = new CuspClient({ socketPath: config.api.adminSocket });
    let failed = 0;
    for (const given of positionals) {
      const file = resolve(given);
      try {
        if (!statSync(file).isFile()) throw new CuspError('invalid_input', 'not a regular file');
        const { duplicate, scan } = await client.uploadScan(readFileSync(file), basename(file), { patient: values.patient, jaw: values.jaw, capturedAt: values['captured-at'] });
        io.stdout.write(`${given}: ${duplicate ? 'already stored as' : 'stored as'} scan ${scan.uid} (${scan.jaw}, ${scan.format})\n`);
      } catch (err) {
        failed++;
        const message = err instanceof ApiError || err instanceof CuspError ? err.message
          : (err as NodeJS.ErrnoException).code === 'EACCES' ? `permission denied (the file, or the admin socket ${config.api.adminSocket}: run as root or the cusp user)`
            : (err as Error).message;
        io.stderr.write(`${given}: not taken in: ${message}\n`);
      }
    }
    return failed === 0 ? 0 : 1;
  },
};
