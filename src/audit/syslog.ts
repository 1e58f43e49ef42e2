/**
 * Every signed checkpoint leaves the box: sent to a syslog collector the clinic (or its IT
 * provider) runs, as an RFC 5424 message over TLS with RFC 5425 octet-counted framing. A
 * copy outside this server is what makes a rewrite by someone who holds the database key,
 * or even the signing key, visible: `cusp audit verify --against` compares the trail with it.
 *
 * Never in the way: checkpoints go into a bounded queue (the oldest is dropped, and
 * counted, when the collector is away that long), the connection is made and remade in
 * the background with exponential backoff, and nothing here blocks an append or a request.
 * Only seq, hash, time, key id and signature are sent — no patient data.
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { CuspError } from '../errors.js';
import type { Logger } from '../log/index.js';
import type { Checkpoint } from './audit-log.js';

/** `audit.syslog` of the config. */
export interface SyslogConfig {
  host: string;
  port: number;
  /** The CA that signed the collector's certificate (PEM); default: the system's CAs. */
  caFile?: string;
  /** A client certificate and key, when the collector asks for one (mutual TLS). */
  certFile?: string;
  keyFile?: string;
  /** The name the collector's certificate must carry; default: host. */
  serverName?: string;
  /** HOSTNAME of the messages; default: this host's name. */
  hostname?: string;
  /** Checkpoints kept while the collector is away; the oldest is dropped beyond it. */
  queueSize: number;
  /** First and longest wait between connection attempts. */
  reconnectMinSeconds: number;
  reconnectMaxSeconds: number;
}

/** The SD-ID of a checkpoint message (32473: IANA's example enterprise number, RFC 5612). */
export const CHECKPOINT_SD_ID = 'cusp-checkpoint@32473';
/** Facility 10 (security/authorization) × 8 + severity 5 (notice). */
const PRI = 10 * 8 + 5;

/** PRINTUSASCII without spaces, at most `max` characters ('-' when empty). */
const token = (v: string, max: number): string => v.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';
const sdValue = (v: string): string => v.replace(/[\\"\]]/g, (c) => `\\${c}`);

/** One checkpoint as an RFC 5424 message (no framing, no newline). */
export function checkpointMessage(checkpoint: Checkpoint, host: string, instanceId: string | undefined): string {
  const params: Array<[string, string | number]> = [
    ['seq', checkpoint.seq], ['hash', checkpoint.hash], ['time', checkpoint.time], ['keyId', checkpoint.keyId], ['signature', checkpoint.signature],
  ];
  if (instanceId) params.push(['instance', instanceId]);
  const sd = params.map(([k, v]) => `${k}="${sdValue(String(v))}"`).join(' ');
  return `<${PRI}>1 ${checkpoint.time} ${token(host, 255)} cusp - checkpoint [${CHECKPOINT_SD_ID} ${sd}] audit checkpoint seq=${checkpoint.seq} hash=${checkpoint.hash}`;
}

/** RFC 5425 framing: the message's length in octets, a space, the message. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

export interface SyslogStatus {
  target: string;
  state: 'connecting' | 'connected' | 'waiting';
  queued: number;
  sent: number;
  dropped: number;
  lastError?: string;
  /** When the collector last accepted a message (ISO), if ever. */
  lastSentAt?: string;
}

/** Sends checkpoints to one collector; `send` never blocks and never throws. */
export class SyslogForwarder {
  readonly #config: SyslogConfig;
  readonly #log: Logger;
  readonly #host: string;
  readonly #instanceId: string | undefined;
  readonly #tls: { ca?: string; cert?: string; key?: string };
  #queue: Buffer[] = [];
  #socket?: TLSSocket;
  #state: SyslogStatus['state'] = 'waiting';
  #timer?: NodeJS.Timeout;
  #delayMs: number;
  #sent = 0;
  #dropped = 0;
  #lastError?: string;
  #lastSentAt?: string;
  #writing = false;
  #closed = false;
  #warnedDrop = false;

  constructor(config: SyslogConfig, options: { log: Logger; instanceId?: string }) {
    this.#config = config;
    this.#log = options.log;
    this.#host = config.hostname ?? osHostname();
    this.#instanceId = options.instanceId;
    this.#delayMs = config.reconnectMinSeconds * 1000;
    // Read once at start: a missing or unreadable file is a config error the daemon reports.
    const read = (key: 'caFile' | 'certFile' | 'keyFile'): string | undefined => {
      const path = config[key];
      if (!path) return undefined;
      try {
        return readFileSync(path, 'utf8');
      } catch (err) {
        throw new CuspError('invalid_input', `audit.syslog.${key} ${path} cannot be read (${(err as NodeJS.ErrnoException).code}) — fix the path or the file's permissions, or remove audit.syslog.host to send no checkpoints`);
      }
    };
    this.#tls = { ca: read('caFile'), cert: read('certFile'), key: read('keyFile') };
  }

  get target(): string {
    return `${this.#config.host}:${this.#config.port}`;
  }

  /** Connect in the background. */
  start(): void {
    this.#connect();
  }

  status(): SyslogStatus {
    return {
      target: this.target, state: this.#state, queued: this.#queue.length, sent: this.#sent, dropped: this.#dropped,
      ...(this.#lastError ? { lastError: this.#lastError } : {}), ...(this.#lastSentAt ? { lastSentAt: this.#lastSentAt } : {}),
    };
  }

  /** Queue a checkpoint for the collector. */
  send(checkpoint: Checkpoint): void {
    if (this.#closed) return;
    this.#queue.push(octetCounted(checkpointMessage(checkpoint, this.#host, this.#instanceId)));
    while (this.#queue.length > this.#config.queueSize) {
      this.#queue.shift();
      this.#dropped++;
      if (!this.#warnedDrop) {
        this.#warnedDrop = true;
        this.#log.warn(`the syslog collector ${this.target} has been unreachable for ${this.#config.queueSize} checkpoints: the oldest are dropped from the queue (audit.syslog.queueSize); they stay in the checkpoint file and the database`);
      }
    }
    this.#flush();
  }

  #connect(): void {
    if (this.#closed) return;
    this.#state = 'connecting';
    const { host, port, serverName } = this.#config;
    // SNI carries names only (RFC 6066); an address is still checked against the certificate.
    const name = serverName ?? host;
    const socket = connect({ host, port, ...(isIP(name) ? {} : { servername: name }), ...this.#tls, minVersion: 'TLSv1.2' });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.once('secureConnect', () => {
      if (this.#socket !== socket) return;
      this.#state = 'connected';
      this.#delayMs = this.#config.reconnectMinSeconds * 1000;
      if (this.#lastError) this.#log.info(`connected to the syslog collector ${this.target} again`);
      this.#lastError = undefined;
      this.#flush();
    });
    // A collector sends nothing back on RFC 5425; read and ignore whatever comes.
    socket.on('data', () => undefined);
    socket.on('error', (err) => {
      if (this.#lastError !== err.message) this.#log.warn(`syslog collector ${this.target}: ${err.message} — checkpoints wait in the queue; retrying in ${Math.round(this.#delayMs / 1000)} s`);
      this.#lastError = err.message;
    });
    socket.once('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#writing = false;
      this.#lastError ??= 'the collector closed the connection';
      this.#retry();
    });
  }

  #retry(): void {
    if (this.#closed) return;
    this.#state = 'waiting';
    this.#timer = setTimeout(() => this.#connect(), this.#delayMs);
    this.#timer.unref();
    this.#delayMs = Math.min(this.#delayMs * 2, this.#config.reconnectMaxSeconds * 1000);
  }

  /** Write the queue's head; it leaves the queue once TLS has taken it. */
  #flush(): void {
    const socket = this.#socket;
    if (this.#writing || this.#state !== 'connected' || !socket || this.#queue.length === 0) return;
    this.#writing = true;
    const frame = this.#queue[0];
    socket.write(frame, (err) => {
      this.#writing = false;
      if (err || this.#socket !== socket) return;
      // The same frame is still the head unless the queue overflowed meanwhile.
      if (this.#queue[0] === frame) this.#queue.shift();
      this.#sent++;
      this.#lastSentAt = new Date().toISOString();
      this.#flush();
    });
  }

  /** Give the queue up to `graceMs` to drain, then close. */
  async close(graceMs = 2000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.#state === 'connected' && this.#queue.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => { socket.destroy(); resolve(); }, 500).unref();
      });
    }
  }
}
