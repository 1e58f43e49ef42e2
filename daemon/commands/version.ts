import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { CommandRunner } from '../command.js';

const require = createRequire(import.meta.url);

/** The package version, read from package.json next to the sources or the build. */
export function cuspVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'cusp' && pkg.version) return pkg.version;
    } catch {
      // not at this depth: try the next one (sources vs dist/)
    }
  }
  return '0.0.0-unknown';
}

export const version: CommandRunner = {
  async run(args, io) {
    parseArgs({ args, strict: true, options: { config: { type: 'string' } } });
    // Loaded here, not at the top: only this command of the light ones needs the addon.
    const { cipherLibraryVersions } = await import('../../src/store/database.js');
    const { cipher, sqlite } = cipherLibraryVersions();
    io.stdout.write(`cusp ${cuspVersion()}\nnode ${process.versions.node}\nSQLCipher 4 format via ${cipher} (SQLite ${sqlite})\n`);
    return 0;
  },
};
