// API latency under load: scan detail and filtered lists over 100k scans at a steady 500
// requests/s (open loop), idle and while a worker validates a 1M-triangle scan, next to the
// same load on GET /health (the trivial route) in the same run, and each route's capacity
// measured with autocannon. Target: p99 < 10 ms.
//
// The server runs in a child process (as the daemon does) so the load generator does not
// share its event loop; the 1M-triangle validation runs in that child's worker thread
// through dispatcher.runOnce, over and over, while the loaded runs take place.
import { fork, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dbOf } from '../helpers/db.js';

const RATE = 500;
const SECONDS = 10;
const SCANS = 100_000;
const PATIENTS = 2_000;
// What "busy" does (an experiment knob; the figures in the README are 'all'): 'all' = store,
// read back, validate in a worker, delete; 'store' = the same without the worker; 'validate' =
// only the worker's validation.
const BUSY = (process.env.CUSP_BENCH_BUSY ?? 'all') as 'all' | 'store' | 'validate';

/**
 * A performance.now() reading on the clock every process shares (CLOCK_MONOTONIC, ms):
 * performance.timeOrigin comes from the wall clock and differed by milliseconds between
 * the server's process and the generator's.
 */
const clockOffset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
function sharedClock(now: number): number {
  return now + clockOffset;
}

/** This process's main thread: time on a core and time waiting for one (ns), and its wake-ups. */
function schedstat(): number[] {
  return readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
}

interface Ready { port: number; ca: string; token: string; uids: string[]; patients: string[]; setupMs: number; triangles: number }

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
  const { sha256Async } = await import('../../src/store/blobs.js');
  const { captureLogging } = await import('../helpers/logging.js');
  const { generateToothMesh, seededRandom } = await import('./generate-mesh.js');

  const { startCheckpointThread } = await import('../../src/store/wal-checkpointer.js');
  const { niceHelperThreads } = await import('../../src/os/thread-priority.js');

  const dir = mkdtempSync(join(tmpdir(), 'cusp-bench-api-'));
  const t0 = performance.now();
  const key = randomBytes(32);
  const store = openStore(join(dir, 'cusp.db'), key);
  const signingKey = loadOrCreateSigningKey(join(dir, 'signing.key'));
  const audit = new AuditLog(store.auditEvents, { signingKey, checkpointFile: join(dir, 'checkpoints.jsonl'), checkpointEvery: 1000, checkpointMinutes: 10 });
  const random = seededRandom(7);
  // 100k scans of 2000 patients over five years, a handful of real blobs behind them.
  const blobs = Array.from({ length: 5 }, (_v, i) => store.blobs.put(writeStlBinary(generateToothMesh(2_000, 10 + i))));
  const jaws = ['upper', 'lower', 'bite', 'other'] as const;
  const start = Date.parse('2021-01-01T00:00:00Z');
  store.transaction(() => {
    const patients = Array.from({ length: PATIENTS }, (_v, i) => store.patients.create({ lastName: `Name${i}`, firstName: 'Bench', birthDate: '1980-01-01' }));
    const spread = dbOf(store).prepare('UPDATE scans SET received_at = ?, captured_at = ? WHERE id = ?');
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
  dbOf(store).pragma('wal_checkpoint(TRUNCATE)');
  // Experiments (not the shipped settings): CUSP_BENCH_SYNC=NORMAL, CUSP_BENCH_AUTOCHECKPOINT=0.
  if (process.env.CUSP_BENCH_SYNC) dbOf(store).pragma(`synchronous = ${process.env.CUSP_BENCH_SYNC}`);
  if (process.env.CUSP_BENCH_AUTOCHECKPOINT) dbOf(store).pragma(`wal_autocheckpoint = ${Number(process.env.CUSP_BENCH_AUTOCHECKPOINT)}`);
  const uids = (dbOf(store).prepare('SELECT uid FROM scans ORDER BY random() LIMIT 2000').all() as Array<{ uid: string }>).map((r) => r.uid);
  const patients = (dbOf(store).prepare('SELECT pseudo_id FROM patients ORDER BY random() LIMIT 200').all() as Array<{ pseudo_id: string }>).map((r) => r.pseudo_id);

  const bus = new EventBus();
  const logging = captureLogging('info');
  // As the daemon does: checkpoints on their own thread (CUSP_BENCH_CHECKPOINTS=main: the old way).
  const checkpointer = process.env.CUSP_BENCH_CHECKPOINTS === 'main' ? undefined : await startCheckpointThread(store, key, logging.logging.logger('store'));
  // As the daemon does (jobs.priority; CUSP_BENCH_JOB_PRIORITY=low: nice only, as before SCHED_IDLE).
  const priority = process.env.CUSP_BENCH_JOB_PRIORITY === 'low' ? 'low' as const : 'idle' as const;
  const dispatcher = new JobDispatcher({ store, bus, log: logging.logging.logger('jobs'), handlers: [], workerDir: defaultWorkerDir(), concurrency: 1, timeoutMs: 600_000, retryBackoffMs: 10, priority });
  dispatcher.start();
  const config = configSchema.parse({ dataDir: dir, folders: [] });
  const tls = ensureTls({ certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.crt'), caKeyFile: join(dir, 'ca.key') }, defaultSubjectAltNames('127.0.0.1'));
  const services = { config, store, audit, bus, log: logging.logging.logger('api'), version: 'bench', health: () => ({ status: 'ready' as const, version: 'bench', uptimeSeconds: 1 }), dispatcher };
  const server = await listenHttps(createApp(services, { via: 'tls' }).app, tls, '127.0.0.1', 0);
  const clinician = store.principals.create('bench', 'clinician');
  const token = store.principals.issueToken(clinician.id, 'bench', { ttlDays: 1 }).token;

  const big = writeStlBinary(generateToothMesh(1_000_000, 1));
  let processing = false;
  let runs = 0;
  // What the daemon does with a new 1M-triangle scan, over and over: store its 50 MB (as
  // ingest does: hash, stage the chunks, link them in a transaction), read it back for the
  // worker (as a job does), validate it in a worker thread, then delete it again (as the
  // retention purge would) so the database does not grow. Each round's bytes differ (one
  // triangle's attribute bytes in every chunk), so nothing is deduplicated away.
  const loop = async () => {
    while (processing) {
      // The daemon gets the bytes from an async readFile (filled off the event loop): copy in slices.
      const bytes = new Uint8Array(big.length);
      for (let at = 0; at < big.length; at += 1 << 20) {
        bytes.set(big.subarray(at, at + (1 << 20)), at);
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (let at = 84 + 48 + 50 * runs; at < bytes.length; at += 50 * 5243) { bytes[at] = runs & 0xff; bytes[at + 1] = (runs >> 8) & 0xff; }
      const hash = await sha256Async(bytes);
      if (BUSY === 'validate') {
        await dispatcher.runOnce('validate', { name: 'big_upper.stl', bytes: bytes.buffer, siblings: {}, options: { profile: 'scan' } }, 600_000);
      } else {
        const staged = await store.blobs.stage(bytes, hash);
        store.transaction(() => store.blobs.put(bytes, hash, staged));
        const input = await store.blobs.readArrayBuffer(hash);
        if (BUSY === 'all') await dispatcher.runOnce('validate', { name: 'big_upper.stl', bytes: input!, siblings: {}, options: { profile: 'scan' } }, 600_000);
        await store.blobs.freeChunks(store.transaction(() => store.blobs.remove(hash)));
      }
      runs++;
    }
  };
  // Why a phase is slow, printed per route and phase: the server's event-loop delay (libuv's
  // own 1 ms timer in C++ — a JavaScript 1 ms interval cost the API's thread 4%), its GC
  // pauses, and the time its main thread was runnable but waited for a core (schedstat).
  const { PerformanceObserver, monitorEventLoopDelay } = await import('node:perf_hooks');
  let gcPauses: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let sched = schedstat();
  let schedAt = performance.now();
  // Time inside the server, from a request's headers to the last byte of its response handed
  // to the socket: what the server adds, without the network and the load generator. The
  // first RATE requests of a run (its uncounted warm-up second: TLS handshakes) are left out.
  // CUSP_BENCH_SAMPLE=1: a thread that reads the main thread's schedstat every 0.5 ms, so
  // the slowest requests can be matched with whether that thread was running, waiting for a
  // core, or asleep meanwhile.
  const { Worker } = await import('node:worker_threads');
  const sampler = process.env.CUSP_BENCH_SAMPLE ? new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { openSync, readSync } = require('node:fs');
    const fd = openSync('/proc/' + workerData.pid + '/task/' + workerData.pid + '/schedstat', 'r');
    const buf = Buffer.alloc(128);
    let samples = [];
    const sample = () => { const n = readSync(fd, buf, 0, 128, 0); const [run, wait] = buf.toString('latin1', 0, n).split(' ').map(Number); samples.push(Number(process.hrtime.bigint()) / 1e6, run / 1e6, wait / 1e6); };
    parentPort.on('message', () => { parentPort.postMessage(samples); samples = []; });
    setInterval(sample, 0.5);
  `, { eval: true, workerData: { pid: process.pid } }) : undefined;
  let inside: Array<[number, number]> = [];
  // Per request of a paced run (its x-bench-id): when its headers arrived and when its
  // response was handed to the socket, on the clock all processes share (sharedClock).
  let timeline: Array<[number, number, number]> = [];
  server.server.on('request', (req, res) => {
    const t0 = performance.now();
    const id = Number(req.headers['x-bench-id'] ?? -1);
    res.once('finish', () => {
      const t1 = performance.now();
      inside.push([t0, t1 - t0]);
      if (id >= 0) timeline.push([id, sharedClock(t0), sharedClock(t1)]);
    });
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 2) gcPauses.push(e.duration);
  }).observe({ entryTypes: ['gc'] });
  // As the daemon does: every thread but the API's at nice 10 (CUSP_BENCH_HELPERS=normal: not).
  if (process.env.CUSP_BENCH_HELPERS !== 'normal') niceHelperThreads();
  let looping: Promise<void> = Promise.resolve();
  process.on('message', async (msg: { cmd: string }) => {
    if (msg.cmd === 'process') {
      if (process.env.CUSP_BENCH_HELPERS !== 'normal') niceHelperThreads();
      processing = true;
      looping = loop();
      // Let the first run get going before the load starts.
      setTimeout(() => process.send!({ processing: true }), 1000);
    } else if (msg.cmd === 'idle') {
      processing = false;
      await looping;
      process.send!({ idle: true, runs });
    } else if (msg.cmd === 'stalls') {
      const now = schedstat();
      const wall = performance.now() - schedAt;
      const [run, wait, slices] = [now[0] - sched[0], now[1] - sched[1], now[2] - sched[2]];
      sched = now;
      schedAt = performance.now();
      const cpu = `main thread ran ${(run / 1e6 / wall * 100).toFixed(0)}% of the time and waited for a core ${(wait / 1e6 / wall * 100).toFixed(1)}% (${(wait / 1e6 / Math.max(1, slices)).toFixed(2)} ms a wake-up)`;
      const sum = (a: number[]) => `${a.length} (${a.filter((x) => x > 10).length} over 10 ms, longest ${Math.max(0, ...a).toFixed(0)} ms)`;
      const times = inside.sort((x, y) => x[0] - y[0]).slice(RATE).map(([, ms]) => ms).sort((x, y) => x - y);
      const q = (f: number) => (times[Math.min(times.length - 1, Math.floor(f * times.length))] ?? NaN).toFixed(2);
      const loopDelay = `event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(0)} ms`;
      const samples = sampler ? await new Promise<number[]>((resolve) => { sampler.once('message', resolve); sampler.postMessage('send'); }) : [];
      process.send!({ stalls: `in the server p50 ${q(0.5)} p99 ${q(0.99)} ms; ${loopDelay}; GC pauses >2 ms ${sum(gcPauses)}; ${cpu}`, timeline, samples });
      inside = [];
      timeline = [];
      delay.reset();
      gcPauses = [];
    } else if (msg.cmd === 'exit') {
      await server.close(100);
      await dispatcher.stop();
      await checkpointer?.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  const ready: Ready = { port: server.port, ca: tls.ca, token, uids, patients, setupMs: performance.now() - t0, triangles: 1_000_000 };
  process.send!(ready);
}

interface Result { latency: { p50: number; p99: number; average: number }; requests: { total: number; average: number }; non2xx: number; errors: number; timeouts: number }
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;

interface Paced {
  sent: number; p50: number; p99: number; p999: number; max: number; failed: number; achieved: number; generator: string;
  /** Counted requests: [id, due, sent, done], on the clock all processes share (sharedClock). */
  requests: Array<[number, number, number, number]>;
}

/**
 * Open-loop load at a steady `rate`: request i is due at t0 + i/rate whatever happened to
 * the earlier ones, and its latency counts from when it was due (so a stall of the server,
 * or of this generator, is charged to every request it delayed — no coordinated
 * omission). Keep-alive HTTPS over `connections` sockets, the CA pinned.
 */
async function paced(port: number, ca: string, token: string, path: () => string, rate: number, seconds: number, connections: number): Promise<Paced> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: connections, ca });
  const latencies: number[] = [];
  const requests: Paced['requests'] = [];
  let failed = 0;
  const total = rate * seconds;
  const warm = rate; // the first second opens the connections and warms the JIT: not counted
  const t0 = performance.now() + 50;
  // The generator's own health: its CPU and event-loop stalls delay requests too, and they
  // are charged to the latency (they are not the server's, but cannot be told apart there).
  const cpu0 = process.cpuUsage();
  const sched0 = schedstat();
  const gaps: number[] = [];
  let lastTick = performance.now();
  const gcs: number[] = [];
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > 2) gcs.push(e.duration);
  });
  gcWatch.observe({ entryTypes: ['gc'] });
  const watch = setInterval(() => {
    const now = performance.now();
    if (now - lastTick > 4) gaps.push(now - lastTick);
    lastTick = now;
  }, 1);
  let sent = 0;
  let done = 0;
  const t1 = await new Promise<number>((resolve) => {
    const fire = (due: number, counted: boolean, id: number) => {
      const sentAt = performance.now();
      const req = https.request({ host: '127.0.0.1', port, path: path(), agent, headers: { Authorization: `Bearer ${token}`, 'x-bench-id': String(id) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (counted) {
            const now = performance.now();
            if (res.statusCode === 200) {
              latencies.push(now - due);
              requests.push([id, sharedClock(due), sharedClock(sentAt), sharedClock(now)]);
            } else failed++;
          }
          if (++done === total + warm) resolve(performance.now());
        });
      });
      req.on('error', () => {
        if (counted) failed++;
        if (++done === total + warm) resolve(performance.now());
      });
      req.end();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total + warm && t0 + (sent * 1000) / rate <= now) {
        fire(t0 + (sent * 1000) / rate, sent >= warm, sent);
        sent++;
      }
      if (sent < total + warm) setTimeout(tick, Math.max(0, Math.min(1, t0 + (sent * 1000) / rate - performance.now())));
    };
    setTimeout(tick, 50);
  });
  clearInterval(watch);
  gcWatch.disconnect();
  const cpu = process.cpuUsage(cpu0);
  const sched1 = schedstat();
  const waited = `waited for a core ${((sched1[1] - sched0[1]) / 1e6 / (t1 - t0) * 100).toFixed(1)}%`;
  const generator = `generator ran ${(((cpu.user + cpu.system) / 1000 / (t1 - t0)) * 100).toFixed(0)}% of a core, ${waited}, loop stalls >4 ms ${gaps.length} (longest ${Math.max(0, ...gaps).toFixed(0)} ms), GC pauses >2 ms ${gcs.length} (longest ${Math.max(0, ...gcs).toFixed(0)} ms)`;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { sent: total, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: latencies[latencies.length - 1] ?? NaN, failed, achieved: total / ((t1 - t0) / 1000 - 1), generator, requests };
}

/** The routes measured, each with a generator of request paths (the first is the reference). */
function routeList(ready: Ready): Array<[string, () => string]> {
  let n = 0;
  const pick = <T>(list: T[]) => list[n++ % list.length];
  return [
    ['GET /health (reference)', () => '/api/v1/health'],
    ['GET /scans/:uid (detail)', () => `/api/v1/scans/${pick(ready.uids)}`],
    ['GET /scans?status&jaw&limit=50', () => `/api/v1/scans?status=validated&jaw=${pick(['upper', 'lower', 'bite'])}&limit=50`],
    ['GET /scans?patient=…', () => `/api/v1/scans?patient=${pick(ready.patients)}`],
    ['GET /scans?from&to (one month)', () => `/api/v1/scans?from=2023-0${1 + (n++ % 9)}-01&to=2023-0${2 + (n % 8)}-01&limit=50`],
  ];
}

/**
 * Where the slowest 1% of a paced run's requests spent their time, on average: the
 * generator sending late, on the way to the server's request event (loopback TCP, TLS, and
 * the server's event loop busy with something else), inside the server, and back until the
 * generator had read the response (its own event loop included). "Inside" ends at the
 * response's 'finish' event, which a busy server records after the generator may already
 * have read the bytes, so "back" can come out negative: their sum is right, the split not.
 */
function slowest(requests: Paced['requests'], timeline: Array<[number, number, number]>, samples: number[]): string {
  const server = new Map(timeline.map(([id, arrived, finished]) => [id, [arrived, finished]]));
  const slow = [...requests].sort((a, b) => (b[3] - b[1]) - (a[3] - a[1])).slice(0, Math.max(1, Math.floor(requests.length / 100)));
  const parts = [0, 0, 0, 0];
  let n = 0;
  for (const [id, due, sent, done] of slow) {
    const s = server.get(id);
    if (!s) continue;
    parts[0] += sent - due;
    parts[1] += s[0] - sent;
    parts[2] += s[1] - s[0];
    parts[3] += done - s[1];
    n++;
  }
  const [late, to, inside, back] = parts.map((p) => (p / Math.max(1, n)).toFixed(1));
  let state = '';
  if (samples.length > 0) {
    // The server's main thread from each slow request's send to its arrival: ran, waited for a core, neither (asleep or idle).
    let ran = 0;
    let waited = 0;
    let span = 0;
    const at = (t: number) => {
      let i = 0;
      while (i + 3 < samples.length && samples[i + 3] <= t) i += 3;
      return i;
    };
    for (const [id, , sent] of slow) {
      const s = server.get(id);
      if (!s) continue;
      const a = at(sent);
      const b = at(s[0]);
      ran += samples[b + 1] - samples[a + 1];
      waited += samples[b + 2] - samples[a + 2];
      span += samples[b] - samples[a];
    }
    state = `; meanwhile the server's main thread ran ${(ran / Math.max(1, n)).toFixed(1)}, waited for a core ${(waited / Math.max(1, n)).toFixed(1)}, neither ${((span - ran - waited) / Math.max(1, n)).toFixed(1)} ms`;
  }
  return `slowest 1% (${n}): generator late ${late} + to the server ${to} + inside ${inside} + back ${back} ms${state}`;
}

/**
 * One paced run in a process of its own (this file with --paced): the generator is the
 * measuring instrument, and in the process that had just run autocannon its own GC paused
 * it for up to 15 ms — latency charged to the server. A fresh heap with a roomy young
 * generation keeps its pauses short.
 */
async function pacedInChild(ready: Ready, route: number): Promise<Paced> {
  const child = fork(fileURLToPath(import.meta.url), ['--paced'], { execArgv: [...process.execArgv, '--max-semi-space-size=64'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise<Paced>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Paced));
    child.once('exit', (code) => reject(new Error(`the paced load process exited with ${code}`)));
  });
  child.send({ ready, route });
  return result;
}

async function pacedMain(): Promise<void> {
  const { ready, route } = await new Promise<{ ready: Ready; route: number }>((resolve) => process.once('message', (m) => resolve(m as { ready: Ready; route: number })));
  const path = routeList(ready)[route][1];
  process.send!(await paced(ready.port, ready.ca, ready.token, path, RATE, SECONDS, 20), undefined, {}, () => process.exit(0));
}

async function load(): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  // CUSP_BENCH_SERVER_ARGS: node options for the server's process only (e.g. --cpu-prof).
  const serverArgs = (process.env.CUSP_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: [...process.execArgv, ...serverArgs], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(): Promise<T> => new Promise((resolve) => child.once('message', (m) => resolve(m as T)));
  const ready = await next<Ready>();
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores (the machine is shared: latencies include other programs' load)`);
  console.log(`${SCANS} scans of ${PATIENTS} patients (set up in ${(ready.setupMs / 1000).toFixed(1)} s); HTTPS with keep-alive, bearer token`);
  const routes = routeList(ready);
  // Capacity: autocannon as fast as the route goes (10 connections, 5 s). Its overallRate
  // is not used for latency: it sends each connection's quota for the second at once and
  // then charges the queue it made to the server (coordinated-omission correction at a
  // 1 ms interval), which measures autocannon's bursts, not a steady 500 requests/s.
  const capacity = async (path: () => string) => autocannon({
    url: `https://127.0.0.1:${ready.port}`, connections: 10, duration: 5,
    headers: { Authorization: `Bearer ${ready.token}` },
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: path() }) }],
  });
  // Experiment knobs (the README's figures run everything): CUSP_BENCH_ROUTES=regex keeps the
  // matching routes besides the reference; CUSP_BENCH_PHASES=idle or busy runs one phase.
  const only = process.env.CUSP_BENCH_ROUTES ? new RegExp(process.env.CUSP_BENCH_ROUTES) : undefined;
  if (only) routes.splice(0, routes.length, ...routes.filter(([name], i) => i === 0 || only.test(name)));
  const phases = (['idle', 'busy'] as const).filter((p) => (process.env.CUSP_BENCH_PHASES ?? 'idle,busy').split(',').includes(p));
  const table: Record<string, { capacity?: Result; idle?: Paced; busy?: Paced }> = {};
  let runs = 0;
  for (const phase of phases) {
    if (phase === 'busy') {
      child.send({ cmd: 'process' });
      await next();
    }
    for (const [name, path] of routes) {
      table[name] ??= {};
      if (phase === 'idle' || !phases.includes('idle')) table[name].capacity = await capacity(path);
      child.send({ cmd: 'stalls' });
      await next();
      table[name][phase] = await pacedInChild(ready, routeList(ready).findIndex(([n]) => n === name)); // its place in the full list, as the child builds it
      child.send({ cmd: 'stalls' });
      const server = await next<{ stalls: string; timeline: Array<[number, number, number]>; samples: number[] }>();
      console.log(`${phase} ${name}: ${server.stalls}; ${table[name][phase]!.generator}; ${slowest(table[name][phase]!.requests, server.timeline, server.samples)}`);
    }
    if (phase === 'busy') {
      child.send({ cmd: 'idle' });
      runs = (await next<{ runs: number }>()).runs;
    }
  }
  console.log(`\nlatency at a steady ${RATE} requests/s for ${SECONDS} s (open loop, 20 connections; idle, then while a ${ready.triangles.toLocaleString('en')}-triangle scan is stored, read back, validated in a worker and deleted, over and over — ${runs} times); capacity = autocannon, 10 connections, as fast as it goes`);
  const header = ['route', 'capacity/s', 'phase', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p99/ref', 'failed'];
  const rows: string[][] = [];
  const ref = table[routes[0][0]];
  for (const [name] of routes) {
    for (const phase of phases) {
      const r = table[name][phase]!;
      const first = phase === phases[0];
      rows.push([first ? name : '', first ? String(Math.round(table[name].capacity!.requests.average)) : '', phase,
        r.p50.toFixed(2), r.p99.toFixed(2), r.p999.toFixed(1), r.max.toFixed(1), (r.p99 / ref[phase]!.p99).toFixed(2), String(r.failed)]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const worst = routes.length > 1 ? Math.max(...routes.slice(1).map(([name]) => table[name].busy?.p99 ?? NaN)) : NaN;
  console.log(`worst p99 of the metadata reads while processing: ${worst.toFixed(2)} ms (target < 10 ms); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  child.send({ cmd: 'exit' });
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--paced')) await pacedMain();
else await load();
