/**
 * A counting semaphore with a limit that may change while it runs (the config is live in
 * tests): `tryTake` for work that is refused when full (uploads answer 503 at once, before
 * the body is read), `take` for work that waits its turn (the full try-read of a big file).
 */
export class Slots {
  readonly #limit: () => number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number | (() => number)) {
    this.#limit = typeof limit === 'number' ? () => limit : limit;
  }

  /** How many slots are taken now. */
  get running(): number {
    return this.#running;
  }

  /** How many slots there are. */
  get limit(): number {
    return Math.max(1, this.#limit());
  }

  /** A slot, or undefined when all are taken. Call the returned function once, when done. */
  tryTake(): (() => void) | undefined {
    if (this.#running >= this.limit) return undefined;
    this.#running++;
    return this.#releaser();
  }

  /** A slot, waiting in line for it when all are taken. */
  take(): Promise<() => void> {
    const now = this.tryTake();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.#waiting.push(() => {
      this.#running++;
      resolve(this.#releaser());
    }));
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#running--;
      if (this.#waiting.length > 0 && this.#running < this.limit) this.#waiting.shift()!();
    };
  }
}
