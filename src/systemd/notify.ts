/**
 * Telling systemd how the daemon is (Type=notify): READY=1 once it serves, STOPPING=1 when
 * it stops, and WATCHDOG=1 every half watchdog interval while a health check passes — a
 * daemon whose database stopped answering is restarted.
 *
 * Node cannot send on a Unix datagram socket, so the messages go through systemd's own
 * `systemd-notify` tool; the unit sets NotifyAccess=all because the tool is a child
 * process, not the main one. Outside systemd (no NOTIFY_SOCKET) this does nothing.
 */
import { execFile } from 'node:child_process';

export interface NotifierOptions {
  env: NodeJS.ProcessEnv;
  /** True while the daemon can do its work; the watchdog is only fed then. */
  healthy: () => boolean;
  /** Called once for the first failure to reach systemd (later ones repeat it). */
  onError?: (message: string) => void;
  /** Runs `systemd-notify` with these arguments; replaceable in tests. */
  send?: (args: string[]) => Promise<void>;
}

function systemdNotify(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('systemd-notify', args, { env, timeout: 10_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`systemd-notify ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

export class SystemdNotifier {
  readonly #o: NotifierOptions;
  readonly #send: (args: string[]) => Promise<void>;
  #timer?: NodeJS.Timeout;
  #reported = false;

  constructor(options: NotifierOptions) {
    this.#o = options;
    this.#send = options.send ?? ((args) => systemdNotify(args, options.env));
  }

  /** True when systemd asked for notifications. */
  get enabled(): boolean {
    return Boolean(this.#o.env.NOTIFY_SOCKET);
  }

  /** The watchdog interval systemd set for this process, in ms (undefined: none). */
  get watchdogMs(): number | undefined {
    const usec = Number(this.#o.env.WATCHDOG_USEC);
    const pid = this.#o.env.WATCHDOG_PID;
    if (!this.enabled || !Number.isFinite(usec) || usec <= 0) return undefined;
    if (pid !== undefined && Number(pid) !== process.pid) return undefined;
    return usec / 1000;
  }

  async #notify(args: string[]): Promise<void> {
    if (!this.enabled) return;
    try {
      await this.#send(args);
    } catch (err) {
      if (!this.#reported) this.#o.onError?.((err as Error).message);
      this.#reported = true;
    }
  }

  /** READY=1 with a status line, and start feeding the watchdog. */
  async ready(status: string): Promise<void> {
    await this.#notify(['--ready', `--status=${status}`]);
    const interval = this.watchdogMs;
    if (interval === undefined) return;
    this.#timer = setInterval(() => {
      if (this.#o.healthy()) void this.#notify(['WATCHDOG=1']);
    }, Math.max(1000, interval / 2));
    this.#timer.unref();
  }

  /**
   * Ask for `seconds` more to finish starting (EXTEND_TIMEOUT_USEC, systemd 236+): a
   * migration that rewrites a large database would otherwise outlast TimeoutStartSec, be
   * killed, roll back, and start over at every restart. Not awaited on purpose: the
   * message goes out from its own process while this one is busy migrating.
   */
  extendStart(seconds: number, status: string): void {
    void this.#notify([`EXTEND_TIMEOUT_USEC=${Math.ceil(seconds * 1e6)}`, `STATUS=${status}`]);
  }

  /** STOPPING=1; the watchdog is no longer fed. */
  async stopping(status: string): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#notify(['STOPPING=1', `STATUS=${status}`]);
  }
}
