import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const autocannon = createRequire(import.meta.url)('autocannon');
const bench = fileURLToPath(new URL('./api.bench.ts', import.meta.url));
const child = fork(bench, ['--serve'], { execArgv: ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir=/tmp/prof'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const next = () => new Promise((r) => child.once('message', r));
const ready: any = await next();
let n = 0;
const path = process.argv[2] ?? 'list';
const mk = () => path === 'list' ? `/api/v1/scans?status=validated&jaw=${['upper','lower','bite'][n++%3]}&limit=50` : path === 'patient' ? `/api/v1/scans?patient=${ready.patients[n++ % ready.patients.length]}` : path === 'detail' ? `/api/v1/scans/${ready.uids[n++ % ready.uids.length]}` : '/api/v1/health';
for (const conns of [1, 20]) {
  const r = await autocannon({ url: `https://127.0.0.1:${ready.port}`, connections: conns, duration: 8, overallRate: conns === 1 ? 50 : 500, headers: { Authorization: `Bearer ${ready.token}` }, requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: mk() }) }] });
  console.log(path, conns, 'p50', r.latency.p50, 'p99', r.latency.p99, 'avg', r.latency.average, 'non2xx', r.non2xx);
}
child.send({ cmd: 'exit' });
