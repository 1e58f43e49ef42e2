import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configSchema } from '../../src/config/index.js';
import { CuspError } from '../../src/errors.js';
import type { CommandIO, CommandRunner } from '../command.js';
import { configFor } from '../context.js';

/**
 * The remote console's token: from --token-file or CUSP_TOKEN, which no other user can
 * read; --token is refused with that advice, because /proc/<pid>/cmdline (ps) shows it
 * to every user of the machine.
 */
export function consoleToken(values: { token?: string; 'token-file'?: string }, io: Pick<CommandIO, 'env' | 'stderr'>): string {
  const file = values['token-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
      if ((statSync(file).mode & 0o077) !== 0) io.stderr.write(`warning: --token-file ${file} is readable by other users — chmod 600 it\n`);
    } catch (err) {
      throw new CuspError('bad_request', `--token-file ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const token = text.trim();
    if (!token || /\s/.test(token)) throw new CuspError('bad_request', `--token-file ${file} must hold the token alone on one line`);
    return token;
  }
  if (io.env.CUSP_TOKEN) return io.env.CUSP_TOKEN;
  if (values.token) {
    throw new CuspError('bad_request', '--token would show the token to every user of this machine (ps) — put it in a file only you can read and pass --token-file FILE, or set the CUSP_TOKEN variable');
  }
  throw new CuspError('bad_request', '--url needs a token: --token-file FILE or the CUSP_TOKEN variable');
}

export const consoleCommand: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({
      args, strict: true,
      options: { config: { type: 'string' }, socket: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, 'token-file': { type: 'string' }, ca: { type: 'string' } },
    });
    if (values.url && values.socket) throw new CuspError('bad_request', 'give --url or --socket, not both');

    // A remote console needs no local config unless one is named.
    const named = values.config !== undefined || io.env.CUSP_CONFIG !== undefined;
    const config = values.url && !named ? configSchema.parse({}) : configFor(values.config, io).config;

    const { Connection } = await import('../../tui/connection.js');
    let connection;
    let tls: { host: string; port: number };
    let dataDir: string | undefined;
    let cli: { argv: string[]; config?: string } | undefined;
    if (values.url) {
      let url: URL;
      try {
        url = new URL(values.url);
      } catch {
        throw new CuspError('bad_request', `--url ${values.url} is not a URL — give https://HOST:PORT`);
      }
      if (url.protocol !== 'https:') throw new CuspError('bad_request', '--url must be https:// (the API speaks TLS only)');
      const token = consoleToken(values, io);
      let ca: Buffer | undefined;
      if (values.ca) {
        try {
          ca = readFileSync(values.ca);
        } catch (err) {
          throw new CuspError('bad_request', `--ca ${values.ca} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
      connection = Connection.remote(url.origin, token, ca);
      tls = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443) };
    } else {
      if (values.token || values['token-file'] || values.ca) throw new CuspError('bad_request', '--token-file, --token and --ca go with --url; over the admin socket no token is needed');
      connection = Connection.socket(values.socket ?? config.api.adminSocket);
      tls = { host: config.api.host, port: config.api.port };
      dataDir = config.dataDir;
      // This same executable: node + the CLI script, or a single executable (no script to pass).
      const script = process.argv[1];
      const argv = script && script !== process.execPath && /\.[cm]?js$/.test(script) ? [process.execPath, script] : [process.execPath];
      cli = { argv, config: values.config ?? io.env.CUSP_CONFIG };
    }

    const stdin = process.stdin;
    const stdout = process.stdout;
    if (!stdin.isTTY || !stdout.isTTY) throw new CuspError('bad_request', 'needs an interactive terminal (stdin and stdout must be a TTY) — run it in a terminal, or over ssh with -t');
    // Ink prints only the last frame when it believes it runs in CI; on a TTY it does not.
    for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (process.env[key] !== undefined) process.env[key] = 'false';
    const { colourWanted } = await import('../../tui/theme.js');
    const { runConsole } = await import('../../tui/main.js');
    await runConsole(
      { connection, idleLockMinutes: config.console.idleLockMinutes, colour: colourWanted(io.env), site: { tls, dataDir, cli } },
      { stdin, stdout, stderr: process.stderr },
    );
    return 0;
  },
};
