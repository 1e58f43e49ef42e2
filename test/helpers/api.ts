// The real API (Koa app over HTTPS on a loopback port, and over a Unix socket) on the
// real services of test/helpers/stack.ts, with tokens for every role.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createApp } from '../../src/api/app.js';
import { FailureLimiter } from '../../src/api/auth.js';
import { CuspClient } from '../../src/api/client.js';
import { listenHttps, listenSocket } from '../../src/api/server.js';
import type { ApiServices } from '../../src/api/services.js';
import { configSchema } from '../../src/config/index.js';
import { defaultSubjectAltNames, ensureTls } from '../../src/security/tls.js';
import type { Role } from '../../src/store/principals.js';
import { stack } from './stack.js';

export interface ApiStackOptions {
  limiter?: FailureLimiter;
  /** More services for the API (e.g. a FolderManager), built from the stack's. */
  services?: (s: ReturnType<typeof stack>) => Partial<ApiServices>;
  /** PEM of a client CA: the HTTPS server asks for client certificates (mutual TLS). */
  clientCa?: string;
}

export async function apiStack(t: TestContext, options: ApiStackOptions = {}) {
  const s = stack(t);
  const config = configSchema.parse({ dataDir: s.dataDir, folders: [{ path: s.inbox, name: 'inbox' }] });
  const tlsPaths = { certFile: join(s.dataDir, 'tls/server.crt'), keyFile: join(s.dataDir, 'tls/server.key'), caFile: join(s.dataDir, 'tls/ca.crt'), caKeyFile: join(s.dataDir, 'tls/ca.key') };
  const tls = ensureTls(tlsPaths, defaultSubjectAltNames('127.0.0.1'));
  const services = {
    config, store: s.store, audit: s.audit, bus: s.bus, log: s.captured.logging.logger('api'), version: '0.0.0-test',
    health: () => ({ status: 'ready' as const, version: '0.0.0-test', uptimeSeconds: 1 }), ingest: s.ingest, photos: s.photos, dispatcher: s.dispatcher,
    checkpointer: await s.checkpointing,
    recentLogs: (n: number) => s.captured.logging.recent(n),
    ...options.services?.(s),
  };
  const { app, routes } = createApp(services, { via: 'tls', limiter: options.limiter });
  const server = await listenHttps(app, { ...tls, clientCa: options.clientCa }, '127.0.0.1', 0);
  const socketPath = join(s.dir, 'cusp.sock');
  const socket = await listenSocket(createApp(services, { via: 'socket' }).app, socketPath);
  // Before the stack's services stop and its folder goes (see `stack`).
  s.onClose(async () => {
    await server.close(100);
    await socket.close();
  });
  const url = `https://127.0.0.1:${server.port}`;
  const ca = readFileSync(tlsPaths.caFile);
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'clinician', 'integration', 'auditor'] as Role[]) {
    const p = s.store.principals.create(`test-${role}`, role);
    tokens[role] = s.store.principals.issueToken(p.id, 'test', { ttlDays: 1 }).token;
  }
  const as = (role: Role | null) => new CuspClient({ url, ca, token: role ? tokens[role] : undefined });
  const local = new CuspClient({ socketPath });
  return { ...s, config, services, tlsPaths, routes, url, ca, tokens, as, local, port: server.port, socketPath };
}
