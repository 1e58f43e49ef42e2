// Start the real `cusp daemon` (the built CLI in dist/) as a child process on a temp data
// folder and a free loopback port, and talk to it over HTTPS with its CA pinned.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/daemon/cli.js', import.meta.url));

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunningDaemon {
  child: ChildProcess;
  port: number;
  dir: string;
  configPath: string;
  output(): string;
  /** GET/POST a path on the API with the daemon's CA pinned. */
  request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; body: unknown; headers: Record<string, string | string[] | undefined> }>;
  /** SIGTERM, and resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Write a config for `dir` (data under dir/data) merged with `extra` YAML lines. */
export function writeConfig(dir: string, port: number, extra = ''): string {
  const path = join(dir, 'cusp.yaml');
  writeFileSync(path, `dataDir: ./data\napi:\n  port: ${port}\nlog:\n  format: json\n  level: debug\n${extra}`);
  return path;
}

/**
 * Start a daemon and wait until /health answers 200 (or the process exits). `configPath:
 * null` starts it without --config (the built-in default; pass `dataDir` then).
 */
export async function startDaemon(dir: string, options: { configPath?: string | null; dataDir?: string; port?: number; env?: NodeJS.ProcessEnv; extraConfig?: string } = {}): Promise<RunningDaemon> {
  const port = options.port ?? await freePort();
  const configPath = options.configPath === null ? '' : options.configPath ?? writeConfig(dir, port, options.extraConfig);
  const dataDir = options.dataDir ?? join(dir, 'data');
  const child = spawn(process.execPath, [CLI, 'daemon', ...(configPath ? ['--config', configPath] : [])], { cwd: dir, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let caPem: string | undefined;
  const daemon: RunningDaemon = {
    child, port, dir, configPath, exited,
    output: () => output,
    request: (method, path, opts = {}) => {
      caPem ??= readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8');
      const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
      return new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method, ca: caPem, headers: {
          ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
        } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try { body = JSON.parse(text); } catch { /* not JSON */ }
            resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
          });
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + 30_000;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`daemon exited with ${exitCode} before it was ready:\n${output}`);
    try {
      const res = await daemon.request('GET', '/api/v1/health');
      if (res.status === 200) return daemon;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`daemon not ready after 30 s:\n${output}`);
}

/** Run the CLI to completion. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
