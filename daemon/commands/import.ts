import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { runningDaemon } from '../admin-call.js';
import { configFor } from '../context.js';

/** Why `file` cannot be imported as it is (missing, a folder, empty, unreadable), or undefined. */
function fileProblem(file: string): string | undefined {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return 'is a folder — name the scan files in it (cusp import FOLDER/*.stl), or make it a drop folder';
    if (!st.isFile()) return 'is not a regular file';
    size = st.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file — check the path';
    if (code === 'EACCES') return 'permission denied — run as root or as a user who may read it';
    return (err as Error).message;
  }
  if (size === 0) return 'the file is empty (0 bytes) — the export did not finish; export the scan again';
  return undefined;
}

export const importCommand: CommandRunner = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, strict: true, allowPositionals: true,
      options: { config: { type: 'string' }, patient: { type: 'string' }, jaw: { type: 'string' }, 'captured-at': { type: 'string' } },
    });
    if (positionals.length === 0) throw new CuspError('bad_request', 'name at least one file: cusp import FILE…');
    const { config } = configFor(values.config, io);
    // What is wrong with a file is said first, in the file's own terms, before anything is sent.
    const unreadable = positionals.map((given) => [given, fileProblem(resolve(given))] as const).filter(([, problem]) => problem);
    for (const [given, problem] of unreadable) io.stderr.write(`${given}: not taken in: ${problem}\n`);
    if (unreadable.length === positionals.length) return 1;
    if (runningDaemon(config) === undefined) {
      throw new CuspError('unavailable', 'the daemon is not running — start it (systemctl start cusp): import goes through the daemon so every file is checked and recorded like a scanner\'s');
    }
    const client = new CuspClient({ socketPath: config.api.adminSocket });
    let failed = unreadable.length;
    for (const given of positionals.filter((g) => !unreadable.some(([u]) => u === g))) {
      const file = resolve(given);
      try {
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
