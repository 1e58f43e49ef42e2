/**
 * `cusp`: one executable, many subcommands. Finds the command by its words, runs it, and
 * turns any failure into one clear line on stderr and a non-zero exit status.
 */
import { isCuspError } from '../src/errors.js';
import type { CommandCard, CommandIO } from './command.js';
import { commands } from './commands/index.js';

/** Exit status for a failure the user can act on (bad input, wrong key, broken chain). */
export const EXIT_FAILURE = 1;
/** Exit status for a usage error. */
export const EXIT_USAGE = 2;
/** Exit status for an unexpected internal error (sysexits EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

function findCommand(argv: string[]): { command: CommandCard; rest: string[] } | undefined {
  let best: { command: CommandCard; rest: string[] } | undefined;
  for (const command of commands) {
    const n = command.path.length;
    if (argv.length >= n && command.path.every((word, i) => argv[i] === word)) {
      if (!best || n > best.command.path.length) best = { command, rest: argv.slice(n) };
    }
  }
  return best;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  cusp ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `usage: cusp <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nEvery command takes --config FILE and honours CUSP_CONFIG. \`cusp <command> --help\` shows its options.\n`;
}

/** Run the CLI with `argv` (the words after `cusp`) and return the exit status. */
export async function main(argv: string[], io: CommandIO): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.stdout.write(helpText());
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr.write(`cusp: unknown command '${argv.join(' ')}' — run 'cusp help' for the list\n`);
    return EXIT_USAGE;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout.write(found.command.usage.endsWith('\n') ? found.command.usage : `${found.command.usage}\n`);
    return 0;
  }
  try {
    const runner = await found.command.load();
    return await runner.run(found.rest, io);
  } catch (err) {
    if (isCuspError(err)) {
      io.stderr.write(`cusp ${found.command.path.join(' ')}: ${err.message}\n`);
      return err.code === 'bad_request' ? EXIT_USAGE : EXIT_FAILURE;
    }
    if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`cusp ${found.command.path.join(' ')}: ${parseArgsMessage(err.message)}\n${found.command.usage}\n`);
      return EXIT_USAGE;
    }
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      io.stderr.write(`cusp ${found.command.path.join(' ')}: the database stayed busy for 30 s (the daemon is writing something long — a big scan, a backup, a key rotation); run the command again in a minute\n`);
      return EXIT_FAILURE;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`cusp ${found.command.path.join(' ')}: internal error: ${message}\n`);
    return EXIT_INTERNAL;
  }
}

/**
 * Node's parseArgs messages in Cusp's words: one line naming what was wrong and where the
 * usage is (it follows), without Node's advice on positional arguments that start with '-'.
 */
export function parseArgsMessage(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option '${unknown[1]}' — this command's options are below`;
  const missing = /^Option '([^']+)' argument missing/.exec(message);
  if (missing) return `${missing[1].replace(/^-\w, /, '').replace(/ <value>$/, '')} needs a value — see the usage below`;
  const positional = /^Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument '${positional[1]}' — this command takes none; see the usage below`;
  return message.split('. ')[0];
}
