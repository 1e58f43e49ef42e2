/**
 * Reading a Server-Sent Events stream (the API's `GET /events`): the one SSE reader of
 * the client and the console. The line and field rules of the format are eventsource-parser's
 * (a maintained, spec-tested parser); this module adds what Cusp needs around it — bytes
 * decoded as UTF-8 across chunk boundaries, whole events out per chunk, JSON data for the
 * client, and an async iterator over an open response.
 */
import type { IncomingMessage } from 'node:http';
import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One event as sent: its name ('message' when unnamed), the data lines joined, the id. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export interface SseParserOptions {
  /**
   * 'stream' (the default, as browsers do): an event carries the stream's last event id,
   * which stays until another `id:` line — the value to resume from with Last-Event-ID.
   * 'own': only an id sent in the event's own block (Cusp's changes have one, live job
   * events none).
   */
  ids?: 'stream' | 'own';
}

/** Feed chunks as they arrive; each call returns the events they completed. */
export class SseParser {
  readonly #decoder = new TextDecoder();
  readonly #parser: EventSourceParser;
  readonly #out: SseMessage[] = [];
  #lastId: string | undefined;

  constructor(options: SseParserOptions = {}) {
    const carry = (options.ids ?? 'stream') === 'stream';
    this.#parser = createParser({
      onEvent: (e) => {
        if (e.id !== undefined) this.#lastId = e.id;
        const id = carry ? this.#lastId : e.id;
        this.#out.push({ event: e.event ?? 'message', data: e.data, ...(id !== undefined ? { id } : {}) });
      },
    });
  }

  push(chunk: Uint8Array | string): SseMessage[] {
    this.#parser.feed(typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true }));
    return this.#out.splice(0);
  }
}

export interface ServerEvent {
  /** The change's sequence number (changes only; live job events have none). */
  id?: number;
  event: string;
  /** The data parsed as JSON, or its text when it is not JSON. */
  data: unknown;
}

function serverEvent(m: SseMessage): ServerEvent {
  let data: unknown = m.data;
  try {
    data = JSON.parse(m.data);
  } catch {
    // not JSON: hand over the text
  }
  return m.id === undefined ? { event: m.event, data } : { id: Number(m.id), event: m.event, data };
}

/**
 * The complete events in `text` (a stream read so far) and the rest after the last one —
 * what has not ended with a blank line yet.
 */
export function parseSse(text: string): { events: ServerEvent[]; rest: string } {
  const normal = text.replace(/\r\n?/g, '\n');
  const end = normal.lastIndexOf('\n\n');
  const complete = end < 0 ? '' : normal.slice(0, end + 2);
  return { events: new SseParser({ ids: 'own' }).push(complete).map(serverEvent), rest: normal.slice(complete.length) };
}

/** The events of an open SSE response; iterate with `for await`, stop with `close()`. */
export class EventSubscription implements AsyncIterable<ServerEvent> {
  readonly #queue: ServerEvent[] = [];
  readonly #waiters: Array<(r: IteratorResult<ServerEvent>) => void> = [];
  #ended = false;
  /** The id of the last change received: pass it as Last-Event-ID to resume. */
  lastEventId: number | undefined;

  constructor(response: IncomingMessage, private readonly closer: () => void) {
    const parser = new SseParser({ ids: 'own' });
    response.on('data', (chunk: Buffer) => {
      for (const m of parser.push(chunk)) this.#push(serverEvent(m));
    });
    const end = () => this.#end();
    response.on('end', end);
    response.on('close', end);
    response.on('error', end);
  }

  #push(e: ServerEvent): void {
    if (e.id !== undefined) this.lastEventId = e.id;
    const waiter = this.#waiters.shift();
    if (waiter) waiter({ value: e, done: false });
    else this.#queue.push(e);
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const w of this.#waiters.splice(0)) w({ value: undefined, done: true });
  }

  /** The next event, or undefined once the stream ended. */
  next(): Promise<ServerEvent | undefined> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push((r) => resolve(r.done ? undefined : r.value)));
  }

  close(): void {
    this.closer();
    this.#end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ServerEvent> {
    for (;;) {
      const e = await this.next();
      if (!e) return;
      yield e;
    }
  }
}
