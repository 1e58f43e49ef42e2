/**
 * Bounds on how long a client may hold a connection without making progress, so a few
 * hundred slow or stalled clients cannot starve the clinic's practice software of sockets:
 * headers must arrive within `headersTimeoutSeconds`, a connection between requests stays
 * open `idleTimeoutSeconds`, and a request body must keep arriving at
 * `minUploadBytesPerSecond` (checked over a window, so a 1 GiB scan upload that takes
 * minutes on a slow link is fine while a body trickled a byte every few seconds is cut).
 * `requestTimeoutSeconds` is the last backstop for a whole request.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

export interface ConnectionLimits {
  headersTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  minUploadBytesPerSecond: number;
  /** The window the upload rate is measured over (default 20 s). */
  rateWindowSeconds?: number;
}

/** The config defaults: the API's listener gets these when nothing else is said. */
export const DEFAULT_LIMITS: ConnectionLimits = { headersTimeoutSeconds: 30, requestTimeoutSeconds: 3600, idleTimeoutSeconds: 5, minUploadBytesPerSecond: 10_240 };

/** Apply the limits to a server; `onCut` hears of every request cut for a slow body. */
export function applyConnectionLimits(server: HttpsServer | HttpServer, limits: ConnectionLimits, onCut?: (address: string, bytesPerSecond: number) => void): void {
  server.headersTimeout = limits.headersTimeoutSeconds * 1000;
  server.requestTimeout = limits.requestTimeoutSeconds * 1000;
  server.keepAliveTimeout = limits.idleTimeoutSeconds * 1000;
  const windowMs = (limits.rateWindowSeconds ?? 20) * 1000;
  const minBytes = limits.minUploadBytesPerSecond * (windowMs / 1000);
  if (limits.minUploadBytesPerSecond <= 0) return;
  server.on('request', (req: IncomingMessage) => {
    if (!hasBody(req)) return;
    const socket = req.socket;
    let last = socket.bytesRead;
    const timer = setInterval(() => {
      if (req.complete || socket.destroyed) return stop();
      const got = socket.bytesRead - last;
      last = socket.bytesRead;
      // A body that waits in a full buffer is the server's doing (a handler not reading
      // yet, a disk slower than the network): not the client's, so not cut.
      if (got >= minBytes || req.readableLength >= req.readableHighWaterMark) return;
      stop();
      onCut?.((socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, ''), Math.round(got / (windowMs / 1000)));
      socket.destroy();
    }, windowMs);
    timer.unref();
    const stop = () => clearInterval(timer);
    req.once('end', stop);
    req.once('close', stop);
    socket.once('close', stop);
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
