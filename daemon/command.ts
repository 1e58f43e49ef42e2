/**
 * The shape of one `cusp` subcommand. Each lives in its own file under `daemon/commands/`
 * (one file per subcommand, as litestream does) and is listed in `daemon/commands/index.ts`.
 */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** The words after `cusp`, e.g. `['audit', 'verify']`. */
  path: string[];
  /** One line for `cusp help`. */
  summary: string;
  /** Usage text shown by `cusp <command> --help` and on a usage error. */
  usage: string;
  /**
   * Run with the arguments after the command words. Resolve to the exit status.
   * Throw a CuspError for a failure the user can act on: its message becomes the one
   * line on stderr.
   */
  run(args: string[], io: CommandIO): Promise<number>;
}
