import { parseArgs } from 'node:util';
import { createLogging } from '../../src/log/index.js';
import type { Command } from '../command.js';
import { configFor } from '../context.js';
import { Daemon } from '../daemon.js';

export const daemon: Command = {
  path: ['daemon'],
  summary: 'run the Cusp daemon (watch folders, process scans, serve the API)',
  usage: `usage: cusp daemon [--config FILE]

Runs in the foreground until SIGTERM or SIGINT. Without a config file it runs on the
built-in default: data under ./cusp-data/, inbox ./cusp-data/inbox/, API on
https://127.0.0.1:8443.`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
    // Everything the daemon creates (database, keys, certificates, quarantined scans) is
    // private to the service user.
    process.umask(0o077);
    const loaded = configFor(values.config, io);
    const { config } = loaded;
    const logging = createLogging({ level: config.log.level, levels: config.log.levels, format: config.log.format, file: config.log.file, env: io.env, scanDirs: config.folders.map((f) => f.path) });
    const log = logging.logger('daemon');
    log.info(`cusp starting with ${loaded.source === 'builtin' ? 'the built-in default config' : `config ${loaded.path}`}`);
    const instance = new Daemon({ loaded, logging, env: io.env });
    try {
      await instance.start();
    } catch (err) {
      await logging.close();
      throw err;
    }
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    await instance.stop(signal);
    await logging.close();
    return 0;
  },
};
