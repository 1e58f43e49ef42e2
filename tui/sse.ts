/**
 * Reading a text/event-stream (the daemon's `/events`): bytes in, whole events out. Pure,
 * so it is tested on split and odd input without a server.
 */

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Feed chunks as they arrive; each call returns the events they completed. */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  readonly #decoder = new TextDecoder();

  push(chunk: Uint8Array | string): SseMessage[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    const out: SseMessage[] = [];
    let nl: number;
    while ((nl = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, nl);
      const sepLen = this.#buffer.startsWith('\r\n', nl) ? 2 : 1;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (sepLen === 1 && this.#buffer[nl] === '\r' && nl === this.#buffer.length - 1) break;
      this.#buffer = this.#buffer.slice(nl + sepLen);
      this.#line(line, out);
    }
    return out;
  }

  #line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.#data.length > 0) out.push({ event: this.#event || 'message', data: this.#data.join('\n'), ...(this.#id !== undefined ? { id: this.#id } : {}) });
      this.#event = '';
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}
