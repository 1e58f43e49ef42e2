/**
 * The namespaced logger: one winston logger per daemon, a `Logger` per namespace on top of
 * it. Every entry goes through the redaction format before any transport sees it, so both
 * the terminal/journal stream and the optional JSON log file get redacted lines only.
 */
import winston from 'winston';
import { jsonLine, textLine, type LogEntry } from './format.js';
import { LEVEL_RANK, levelEnabled, type LogLevel, type Namespace } from './levels.js';
import { phiPattern, phiValues, redact } from './redact.js';

/** A logger for one namespace. `meta` is structured data; it is redacted like the message. */
export interface Logger {
  readonly ns: Namespace;
  error(msg: string, meta?: object): void;
  warn(msg: string, meta?: object): void;
  info(msg: string, meta?: object): void;
  debug(msg: string, meta?: object): void;
  /** The logger of another namespace, writing to the same place. */
  child(ns: Namespace): Logger;
}

export interface LoggingOptions {
  /** The level for every namespace without its own entry in `levels`. */
  level: LogLevel;
  /** Per-namespace levels, e.g. `{ ingest: 'debug' }`. */
  levels?: Partial<Record<Namespace, LogLevel>>;
  /** `auto`: text on a TTY, JSON lines otherwise. */
  format: 'auto' | 'json' | 'text';
  /** Also append JSON lines to this file (created 0640, folder created as needed). */
  file?: string;
  /** Where lines go; default stderr (stdout stays free for command output). */
  stream?: NodeJS.WritableStream;
  /** Whether `stream` is a terminal; default `stream.isTTY`. */
  isTTY?: boolean;
  /** For NO_COLOR; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Watched scan folders: paths below them are hidden whole (see redact-text.ts). */
  scanDirs?: Iterable<string>;
}

export interface Logging {
  logger(ns: Namespace): Logger;
  /** Hide this exact string in every later line (a key, an issued token, a password). */
  addSecret(value: string): void;
  /** A watched scan folder: hide every path below it, not only the file's base name. */
  addScanDir(dir: string): void;
  /** The last `n` log lines (already redacted, plain text), oldest first: for the console's log tail. */
  recent(n: number): string[];
  /** Flush and close the transports; later calls to the loggers are ignored. */
  close(): Promise<void>;
}

// How many PHI values the logger remembers from earlier entries. A name logged in a field
// once is hidden in later messages and error texts too; the memory is bounded and in-process.
const PHI_MEMORY = 1000;
// How many redacted lines the console's log tail can see.
const RECENT_LINES = 1000;

// triple-beam's symbols, which winston's transports read (Symbol.for, so no import needed).
const MESSAGE = Symbol.for('message');
const META = Symbol('cusp.meta');
const ENTRY = Symbol('cusp.entry');

type Info = winston.Logform.TransformableInfo & { [META]?: object; [ENTRY]?: LogEntry; [MESSAGE]?: string };

function lineFormat(render: (entry: LogEntry) => string): winston.Logform.Format {
  return winston.format((info: Info) => {
    const entry = info[ENTRY];
    if (!entry) return false;
    info[MESSAGE] = render(entry);
    return info;
  })();
}

/**
 * Builds the daemon's logging from the `log` section of the config (plus a stream and TTY
 * flag tests can set). Each namespace logs at `levels[ns] ?? level`.
 */
export function createLogging(opts: LoggingOptions): Logging {
  const stream = opts.stream ?? process.stderr;
  const isTTY = opts.isTTY ?? (stream as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
  const env = opts.env ?? process.env;
  const text = opts.format === 'text' || (opts.format === 'auto' && isTTY);
  const colour = text && isTTY && !env.NO_COLOR;
  const secrets = new Set<string>();
  const scanDirs = new Set<string>(opts.scanDirs ?? []);
  const recentPhi = new Set<string>();
  const recentLines: string[] = [];
  let recentPattern: RegExp | undefined;
  const remember = (values: string[]): void => {
    for (const value of values) {
      if (recentPhi.has(value)) continue;
      recentPhi.add(value);
      recentPattern = undefined;
    }
    for (const oldest of recentPhi) {
      if (recentPhi.size <= PHI_MEMORY) break;
      recentPhi.delete(oldest);
      recentPattern = undefined;
    }
  };

  // Redaction runs once per entry, before the transports, and builds the entry they render.
  const redactFormat = winston.format((info: Info) => {
    const raw = { msg: info.message, meta: info[META] ?? {} };
    remember(phiValues(raw));
    recentPattern ??= phiPattern(recentPhi);
    const red = redact(raw, secrets, { scanDirs, phi: recentPattern ?? [] }) as { msg: unknown; meta: Record<string, unknown> };
    info[ENTRY] = { time: new Date(), level: info.level, ns: String(info.ns), msg: String(red.msg ?? ''), meta: red.meta };
    recentLines.push(textLine(info[ENTRY], false));
    if (recentLines.length > RECENT_LINES) recentLines.splice(0, recentLines.length - RECENT_LINES);
    info.message = info[ENTRY].msg;
    delete info[META];
    return info;
  });

  const transports: winston.transport[] = [
    new winston.transports.Stream({ stream, format: lineFormat(text ? (e) => textLine(e, colour) : jsonLine) }),
  ];
  if (opts.file) {
    transports.push(new winston.transports.File({ filename: opts.file, format: lineFormat(jsonLine), options: { flags: 'a', mode: 0o640 } }));
  }
  const sink = winston.createLogger({ levels: LEVEL_RANK, level: 'debug', format: redactFormat(), transports, exitOnError: false });

  let closed = false;
  const write = (level: LogLevel, ns: Namespace, msg: string, meta: object | undefined): void => {
    if (closed || !levelEnabled(level, opts.levels?.[ns] ?? opts.level)) return;
    const packed = meta instanceof Error ? { err: meta } : meta;
    sink.log({ level, message: msg, ns, [META]: packed } as winston.LogEntry);
  };

  const make = (ns: Namespace): Logger => ({
    ns,
    error: (msg, meta) => write('error', ns, msg, meta),
    warn: (msg, meta) => write('warn', ns, msg, meta),
    info: (msg, meta) => write('info', ns, msg, meta),
    debug: (msg, meta) => write('debug', ns, msg, meta),
    child: (other) => make(other),
  });

  return {
    logger: make,
    addSecret(value) {
      if (value.length > 0) secrets.add(value);
    },
    addScanDir(dir) {
      scanDirs.add(dir);
    },
    recent(n) {
      return recentLines.slice(-Math.max(0, n));
    },
    async close() {
      if (closed) return;
      closed = true;
      const finished = transports.map((t) => new Promise<void>((resolve) => t.once('finish', () => resolve())));
      sink.end();
      await Promise.all(finished);
    },
  };
}
