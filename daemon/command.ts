/**
 * The shape of one `cusp` subcommand: a card (words, summary, help, loader) listed in
 * `daemon/commands/index.ts`, and a module of its own under `daemon/commands/` (one file per
 * subcommand, as litestream does) that the card loads only when the command runs.
 */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** What a command's module exports: the code that runs it. */
export interface CommandRunner {
  /**
   * Run with the arguments after the command words. Resolve to the exit status.
   * Throw a CuspError for a failure the user can act on: its message becomes the one
   * line on stderr.
   */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** What `cusp help` and `cusp <command> --help` need, without loading the command. */
export interface CommandCard {
  /** The words after `cusp`, e.g. `['audit', 'verify']`. */
  path: string[];
  /** One line for `cusp help`. */
  summary: string;
  /** Usage text shown by `cusp <command> --help` and on a usage error. */
  usage: string;
  /** Loads the command's module (and with it the libraries it needs). */
  load(): Promise<CommandRunner>;
}
