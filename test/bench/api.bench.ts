// API latency under load: scan detail and filtered lists over 100k scans at 500 requests/s
// (autocannon, `overallRate`), idle and while a worker validates a 1M-triangle scan, next
// to the same load on GET /health (the trivial route) in the same run. Target: p99 < 10 ms.
//
// The server runs in a child process (as the daemon does) so the load generator does not
// share its event loop; the 1M-triangle validation runs in that child's worker thread
// through dispatcher.runOnce, over and over, while the loaded runs take place.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const RATE = 500;
const SECONDS = 10;
const SCANS = 100_000;
const PATIENTS = 2_000;

interface Ready { port: number; token: string; uids: string[]; patients: string[]; setupMs: number; triangles: number }

async function serve(): Promise<void> {
  const { randomBytes } = await import('node:crypto');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createApp } = await import('../../src/api/app.js');
  const { listenHttps } = await import('../../src/api/server.js');
  const { AuditLog } = await import('../../src/audit/audit-log.js');
  const { loadOrCreateSigningKey } = await import('../../src/audit/signing.js');
  const { configSchema } = await import('../../src/config/index.js');
  const { EventBus } = await import('../../src/events/bus.js');
  const { JobDispatcher } = await import('../../src/jobs/dispatcher.js');
  const { defaultWorkerDir } = await import('../../src/jobs/worker-path.js');
  const { writeStlBinary } = await import('../../src/mesh/write/stl.js');
  const { defaultSubjectAltNames, ensureTls } = await import('../../src/security/tls.js');
  const { openStore } = await import('../../src/store/store.js');
  const { captureLogging } = await import('../helpers/logging.js');
  const { generateToothMesh, seededRandom } = await import('./generate-mesh.js');

  const dir = mkdtempSync(join(tmpdir(), 'cusp-bench-api-'));
  const t0 = performance.now();
  const store = openStore(join(dir, 'cusp.db'), randomBytes(32));
  const signingKey = loadOrCreateSigningKey(join(dir, 'signing.key'));
  const audit = new AuditLog(store.db, { signingKey, checkpointFile: join(dir, 'checkpoints.jsonl'), checkpointEvery: 1000, checkpointMinutes: 10 });
  const random = seededRandom(7);
  // 100k scans of 2000 patients over five years, a handful of real blobs behind them.
  const blobs = Array.from({ length: 5 }, (_v, i) => store.blobs.put(writeStlBinary(generateToothMesh(2_000, 10 + i))));
  const jaws = ['upper', 'lower', 'bite', 'other'] as const;
  const start = Date.parse('2021-01-01T00:00:00Z');
  store.transaction(() => {
    const patients = Array.from({ length: PATIENTS }, (_v, i) => store.patients.create({ lastName: `Name${i}`, firstName: 'Bench', birthDate: '1980-01-01' }));
    const spread = store.db.prepare('UPDATE scans SET received_at = ?, captured_at = ? WHERE id = ?');
    for (let i = 0; i < SCANS; i++) {
      const blob = blobs[i % blobs.length];
      const scan = store.scans.insert({
        patientId: patients[Math.floor(random() * PATIENTS)].id, jaw: jaws[i % 4], originalName: `scan_${i}.stl`, format: 'stl', size: blob.size, sha256: blob.hash, sourceFolder: 'inbox',
      });
      const r = random();
      store.scans.setStatus(scan.id, r < 0.8 ? 'validated' : r < 0.95 ? 'received' : 'rejected', r < 0.7 ? 'ok' : r < 0.8 ? 'warn' : null, null);
      const at = new Date(start + (i / SCANS) * 5 * 365 * 86_400_000).toISOString();
      spread.run(at, at.slice(0, 10), scan.id);
    }
  });
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  // Experiments (not the shipped settings): CUSP_BENCH_SYNC=NORMAL, CUSP_BENCH_AUTOCHECKPOINT=0.
  if (process.env.CUSP_BENCH_SYNC) store.db.pragma(`synchronous = ${process.env.CUSP_BENCH_SYNC}`);
  if (process.env.CUSP_BENCH_AUTOCHECKPOINT) store.db.pragma(`wal_autocheckpoint = ${Number(process.env.CUSP_BENCH_AUTOCHECKPOINT)}`);
  const uids = (store.db.prepare('SELECT uid FROM scans ORDER BY random() LIMIT 2000').all() as Array<{ uid: string }>).map((r) => r.uid);
  const patients = (store.db.prepare('SELECT pseudo_id FROM patients ORDER BY random() LIMIT 200').all() as Array<{ pseudo_id: string }>).map((r) => r.pseudo_id);

  const bus = new EventBus();
  const logging = captureLogging('info');
  const dispatcher = new JobDispatcher({ store, bus, log: logging.logging.logger('jobs'), handlers: [], workerDir: defaultWorkerDir(), concurrency: 1, timeoutMs: 600_000, retryBackoffMs: 10 });
  const config = configSchema.parse({ dataDir: dir, folders: [] });
  const tls = ensureTls({ certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.crt'), caKeyFile: join(dir, 'ca.key') }, defaultSubjectAltNames('127.0.0.1'));
  const services = { config, store, audit, bus, log: logging.logging.logger('api'), version: 'bench', health: () => ({ status: 'ready' as const, version: 'bench', uptimeSeconds: 1 }), dispatcher };
  const server = await listenHttps(createApp(services, { via: 'tls' }).app, tls, '127.0.0.1', 0);
  const clinician = store.principals.create('bench', 'clinician');
  const token = store.principals.issueToken(clinician.id, 'bench', { ttlDays: 1 }).token;

  const big = writeStlBinary(generateToothMesh(1_000_000, 1));
  let processing = false;
  let runs = 0;
  const loop = async () => {
    while (processing) {
      const bytes = new Uint8Array(new ArrayBuffer(big.length));
      bytes.set(big);
      await dispatcher.runOnce('validate', { kind: 'validate', name: 'big_upper.stl', bytes: bytes.buffer, siblings: {}, options: { profile: 'scan' } }, 600_000);
      runs++;
    }
  };
  let looping: Promise<void> = Promise.resolve();
  process.on('message', async (msg: { cmd: string }) => {
    if (msg.cmd === 'process') {
      processing = true;
      looping = loop();
      // Let the first run get going before the load starts.
      setTimeout(() => process.send!({ processing: true }), 1000);
    } else if (msg.cmd === 'idle') {
      processing = false;
      await looping;
      process.send!({ idle: true, runs });
    } else if (msg.cmd === 'exit') {
      await server.close(100);
      await dispatcher.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  const ready: Ready = { port: server.port, token, uids, patients, setupMs: performance.now() - t0, triangles: 1_000_000 };
  process.send!(ready);
}

interface Result { latency: { p50: number; p99: number; average: number }; requests: { total: number; average: number }; non2xx: number; errors: number; timeouts: number }
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;

async function load(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
  const ready = await next<Ready>();
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (the machine is shared: latencies include other programs' load)`);
  console.log(`API latency at ${RATE} requests/s for ${SECONDS} s each (autocannon, 20 connections, HTTPS, bearer token), ${SCANS} scans of ${PATIENTS} patients (set up in ${(ready.setupMs / 1000).toFixed(1)} s)`);
  let n = 0;
  const pick = <T>(list: T[]) => list[n++ % list.length];
  const routes: Array<[string, () => string]> = [
    ['GET /health (reference)', () => '/api/v1/health'],
    ['GET /scans/:uid (detail)', () => `/api/v1/scans/${pick(ready.uids)}`],
    ['GET /scans?status&jaw&limit=50', () => `/api/v1/scans?status=validated&jaw=${pick(['upper', 'lower', 'bite'])}&limit=50`],
    ['GET /scans?patient=…', () => `/api/v1/scans?patient=${pick(ready.patients)}`],
    ['GET /scans?from&to (one month)', () => `/api/v1/scans?from=2023-0${1 + (n++ % 9)}-01&to=2023-0${2 + (n % 8)}-01&limit=50`],
  ];
  const run = async (path: () => string, load: { connections: number; rate: number; seconds: number }) => {
    const r = await autocannon({
      url: `https://127.0.0.1:${ready.port}`, connections: load.connections, duration: load.seconds, overallRate: load.rate,
      headers: { Authorization: `Bearer ${ready.token}` },
      requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: path() }) }],
    });
    return r;
  };
  const LOADED = { connections: 20, rate: RATE, seconds: SECONDS };
  // One request at a time: what a request costs when nothing waits in front of it.
  const SERVICE = { connections: 1, rate: 50, seconds: 5 };
  const WARM = { connections: 20, rate: RATE, seconds: 3 };
  const rows: string[] = [];
  const table: Record<string, { service?: Result; idle?: Result; busy?: Result }> = {};
  for (const phase of ['idle', 'busy'] as const) {
    if (phase === 'busy') {
      child.send({ cmd: 'process' });
      await next();
    }
    for (const [name, path] of routes) {
      await run(path, WARM); // first connections' TLS handshakes and JIT warm-up stay out of the figures
      table[name] ??= {};
      if (phase === 'idle') table[name].service = await run(path, SERVICE);
      table[name][phase] = await run(path, LOADED);
    }
    if (phase === 'busy') {
      child.send({ cmd: 'idle' });
      const { runs } = await next<{ runs: number }>();
      rows.push(`(the worker validated the ${ready.triangles.toLocaleString('en')}-triangle scan ${runs} times during the busy runs)`);
    }
  }
  const ref = table[routes[0][0]];
  console.log('phases: service = 1 connection at 50/s (no queueing); idle = 500/s; busy = 500/s while the worker validates');
  console.log('route                              phase    req/s  p50 ms  p99 ms  p99/ref  non-2xx  errors');
  for (const [name] of routes) {
    for (const phase of ['service', 'idle', 'busy'] as const) {
      const r = table[name][phase]!;
      const base = ref[phase]!;
      console.log(`${name.padEnd(35)}${phase.padEnd(9)}${String(Math.round(r.requests.average)).padEnd(7)}${r.latency.p50.toFixed(1).padEnd(8)}${r.latency.p99.toFixed(1).padEnd(8)}${(r.latency.p99 / Math.max(base.latency.p99, 0.1)).toFixed(2).padEnd(9)}${String(r.non2xx).padEnd(9)}${r.errors + r.timeouts}`);
    }
  }
  for (const row of rows) console.log(row);
  const worst = Math.max(...routes.slice(1).map(([name]) => table[name].busy!.latency.p99));
  console.log(`worst p99 of the metadata reads while processing: ${worst.toFixed(1)} ms (target < 10 ms); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  child.send({ cmd: 'exit' });
}

if (process.argv.includes('--serve')) await serve();
else await load();
