/**
 * Reading a Server-Sent Events stream (the API's `GET /events`) on the client side: the
 * response body in, one parsed event at a time out, as an async iterator.
 */
import type { IncomingMessage } from 'node:http';

export interface ServerEvent {
  /** The change's sequence number (changes only; live job events have none). */
  id?: number;
  event: string;
  data: unknown;
}

/** Parse complete SSE blocks from `text`; returns the events and the unparsed rest. */
export function parseSse(text: string): { events: ServerEvent[]; rest: string } {
  const events: ServerEvent[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: number | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = Number(value);
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) continue;
    const joined = data.join('\n');
    let parsed: unknown = joined;
    try {
      parsed = JSON.parse(joined);
    } catch {
      // not JSON: hand over the text
    }
    events.push(id === undefined ? { event, data: parsed } : { id, event, data: parsed });
  }
  return { events, rest };
}

/** The events of an open SSE response; iterate with `for await`, stop with `close()`. */
export class EventSubscription implements AsyncIterable<ServerEvent> {
  readonly #queue: ServerEvent[] = [];
  readonly #waiters: Array<(r: IteratorResult<ServerEvent>) => void> = [];
  #ended = false;
  /** The id of the last change received: pass it as Last-Event-ID to resume. */
  lastEventId: number | undefined;

  constructor(response: IncomingMessage, private readonly closer: () => void) {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      const { events, rest } = parseSse(buffer + chunk.replace(/\r\n?/g, '\n'));
      buffer = rest;
      for (const e of events) this.#push(e);
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
