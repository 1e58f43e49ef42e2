import { parseArgs } from 'node:util';
import { createLogging } from '../../src/log/index.js';
import type { CommandRunner } from '../command.js';
import { configFor } from '../context.js';
import { Daemon } from '../daemon.js';

export const daemon: CommandRunner = {
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
