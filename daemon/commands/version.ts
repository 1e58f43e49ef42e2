import { createRequire } from 'node:module';
import type { Command } from '../command.js';

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

export const version: Command = {
  path: ['version'],
  summary: 'print the version of cusp, Node.js and SQLCipher',
  usage: 'usage: cusp version',
  async run(_args, io) {
    io.stdout.write(`cusp ${cuspVersion()} (node ${process.versions.node})\n`);
    return 0;
  },
};
