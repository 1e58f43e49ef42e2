// A free loopback port inside a range: helpers that run side by side on one machine each
// get their own range, so tests that need a port known before the daemon starts (its links
// name it) never collide with another's.
import { createServer } from 'node:net';

/** A port in [from, to] that nothing listens on right now, starting at a random point. */
export async function freePortIn(from: number, to: number): Promise<number> {
  const span = to - from + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}
