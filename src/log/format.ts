/**
 * How one log entry becomes one line: JSON lines for machines (journald, log shippers),
 * a short text line for a person at a terminal. Both take the entry after redaction.
 */

/** One entry as the formats see it: fixed fields plus the (already redacted) metadata. */
export interface LogEntry {
  time: Date;
  level: string;
  ns: string;
  msg: string;
  meta: Record<string, unknown>;
}

const FIXED = new Set(['time', 'level', 'ns', 'msg']);

/** `{"time":…,"level":…,"ns":…,"msg":…, …meta}` on one line; a meta key named like a fixed field becomes `meta.<key>`. */
export function jsonLine(entry: LogEntry): string {
  const line: Record<string, unknown> = { time: entry.time.toISOString(), level: entry.level, ns: entry.ns, msg: entry.msg };
  for (const [key, value] of Object.entries(entry.meta)) line[FIXED.has(key) ? `meta.${key}` : key] = value;
  return JSON.stringify(line);
}

const COLOURS: Record<string, string> = { error: '\x1b[31m', warn: '\x1b[33m', info: '\x1b[32m', debug: '\x1b[90m' };
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

function clock(time: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

function metaValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

type ErrorLike = { name: string; message: string; stack?: string; cause?: unknown };

function isErrorLike(value: unknown): value is ErrorLike {
  return value !== null && typeof value === 'object' && typeof (value as ErrorLike).message === 'string' && typeof (value as ErrorLike).name === 'string';
}

/** An error as `Name: message <- cause message <- …`, the way a person reads a chain. */
function errorChain(err: ErrorLike): string {
  const parts = [`${err.name}: ${err.message}`];
  for (let cause = err.cause, depth = 0; isErrorLike(cause) && depth < 5; cause = cause.cause, depth++) parts.push(cause.message);
  return parts.join(' <- ');
}

/**
 * `03:12:44 info  ingest  stored scan 42 (upper, 1.4 MB) folder=inbox`: local time, level,
 * namespace, message, then metadata as key=value. Colour only when asked for (a TTY
 * without NO_COLOR); an error shows as its message chain, its stack on the following
 * lines, indented.
 */
export function textLine(entry: LogEntry, colour: boolean): string {
  let stack = '';
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(entry.meta)) {
    if (isErrorLike(value)) {
      pairs.push(`${key}=${JSON.stringify(errorChain(value))}`);
      if (!stack && value.stack) stack = value.stack.split('\n').slice(1).map((line) => `\n    ${line.trim()}`).join('');
    } else {
      pairs.push(`${key}=${metaValue(value)}`);
    }
  }
  const level = entry.level.padEnd(5);
  const ns = entry.ns.padEnd(7);
  const tail = pairs.length > 0 ? ` ${pairs.join(' ')}` : '';
  if (!colour) return `${clock(entry.time)} ${level} ${ns} ${entry.msg}${tail}${stack}`;
  return `${DIM}${clock(entry.time)}${RESET} ${COLOURS[entry.level] ?? ''}${level}${RESET} ${DIM}${ns}${RESET} ${entry.msg}${tail && `${DIM}${tail}${RESET}`}${stack && `${DIM}${stack}${RESET}`}`;
}
