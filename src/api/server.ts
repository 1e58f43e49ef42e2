/**
 * The HTTPS listener: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers only.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type Koa from 'koa';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { chmodSync, rmSync } from 'node:fs';
import { CuspError } from '../errors.js';
import { applyConnectionLimits, DEFAULT_LIMITS, type ConnectionLimits } from './connection-limits.js';

/** TLS 1.2 suites allowed (TLS 1.3 suites are all AEAD and always on). */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

export interface RunningServer {
  server: Server;
  port: number;
  /** Stop accepting, let open requests finish for up to `graceMs`, then cut the rest. */
  close(graceMs?: number): Promise<void>;
}

export function listenHttps(
  app: Koa<any>, tls: { key: string; cert: string; clientCa?: string }, host: string, port: number, // eslint-disable-line @typescript-eslint/no-explicit-any
  options: { limits?: ConnectionLimits; onSlowBody?: (address: string, bytesPerSecond: number) => void } = {},
): Promise<RunningServer> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // With a client CA (api.tls.clientCaFile), ask for client certificates but let the
  // handshake succeed without one: tokens still work, and auth.ts decides what a verified
  // certificate is worth.
  const mutual = tls.clientCa ? { requestCert: true, rejectUnauthorized: false, ca: tls.clientCa } : {};
  const server = createServer({
    key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true, ...mutual,
    // A handshake that never finishes is cut like slow headers; the header and request
    // timeouts are checked every 5 s rather than Node's 30, so they hold close to their value.
    handshakeTimeout: limits.headersTimeoutSeconds * 1000, connectionsCheckingInterval: 5000,
  }, app.callback());
  applyConnectionLimits(server, limits, options.onSlowBody);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new CuspError('unavailable', `cannot listen on ${host}:${port}: the port is in use by another program — stop it or set api.port`));
      else if (err.code === 'EACCES') reject(new CuspError('unavailable', `cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges) — set api.port above 1024`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new CuspError('unavailable', `cannot listen on ${host}:${port}: this machine has no such address — fix api.host`));
      else reject(err);
    });
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: actualPort,
        close: (graceMs = 3000) => new Promise<void>((done) => {
          const timer = setTimeout(() => sockets.forEach((s) => s.destroy()), graceMs);
          server.close(() => {
            clearTimeout(timer);
            done();
          });
          server.closeIdleConnections();
        }),
      });
    });
  });
}

/**
 * The admin socket: the same API over a Unix socket for the console. Mode 0660: the
 * service user and its group (clinic IT) may connect; the permission is the authentication.
 */
export function listenSocket(app: Koa<any>, path: string): Promise<{ server: HttpServer; close(): Promise<void> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  rmSync(path, { force: true }); // a stale socket from a crash; the pid lock rules out a live daemon
  const server = createHttpServer(app.callback());
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new CuspError('unavailable', `cannot create the admin socket ${path}: ${err.code ?? err.message}`)));
    server.listen(path, () => {
      chmodSync(path, 0o660);
      resolve({
        server,
        close: () => new Promise<void>((done) => {
          server.close(() => {
            rmSync(path, { force: true });
            done();
          });
          server.closeAllConnections();
        }),
      });
    });
  });
}
