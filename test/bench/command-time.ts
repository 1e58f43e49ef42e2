// Wall time of a reference tool (admesh, assimp), taken by a small shell around it: timing
// spawnSync from the bench also counts forking the bench's own process, whose page tables
// grow with its heap — with a 1M-triangle mesh in memory that added up to 400 ms to assimp.
import { spawnSync } from 'node:child_process';

/**
 * The environment a person's shell gives a command. `run.ts` runs each bench with the glibc
 * huge-pages tunable the daemon's unit sets, so in-process figures are the daemon's; whole
 * processes (ours and the references alike) run without it, as a person starts them — `cusp
 * inspect` and `cusp compare` then start themselves again with it where first touches of
 * memory are slow (daemon/huge-pages.ts).
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.CUSP_BENCH_SET_TUNABLES === '1') delete env.GLIBC_TUNABLES;
  delete env.CUSP_BENCH_SET_TUNABLES;
  return env;
}

/** Milliseconds `command args…` took (output discarded), or undefined if it failed or is missing. */
export function commandMs(command: string, args: string[]): number | undefined {
  const script = 'a=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || exit 1; b=$EPOCHREALTIME; echo "$a $b"';
  const r = spawnSync('bash', ['-c', script, 'time', command, ...args], { encoding: 'utf8', env: userEnv() });
  if (r.status !== 0) return undefined;
  const [a, b] = r.stdout.trim().split(' ').map(Number);
  return (b - a) * 1000;
}
