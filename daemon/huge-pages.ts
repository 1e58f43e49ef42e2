/**
 * Huge pages for the commands that read whole scans (`inspect`, `compare`, `convert`).
 *
 * Such a command touches 190–400 MB of fresh memory for a 1M-triangle scan (the welded
 * mesh, the checks' arrays, the trees), and on a virtual machine every first touch of a 4 KiB
 * page is a fault the hypervisor pays for too: measured on this machine kind, filling a
 * fresh 36 MB array takes 110–145 ms with 4 KiB pages and 14–68 ms with 2 MiB ones, and
 * `cusp inspect` of a 1M-triangle STL 2.3–2.5 s against 1.55–1.7 s. Linux gives a mapping
 * transparent huge pages only when asked (THP mode "madvise", Debian's default); Node never
 * asks, but glibc's malloc does for its large blocks — where Node's typed arrays live — when
 * started with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`. A tunable is read once, at process
 * start, so these commands start themselves again with it where that pays. The daemon's unit
 * sets it in its environment instead (systemd/cusp.service).
 *
 * Starting again costs one more Node start (80–150 ms), so it is worth it only where first
 * touches are slow and the input is big. How slow they are differs between machines of one
 * kind: on the machine these figures were first taken on a 4 KiB page cost 12–16 µs (a
 * 50 MB inspect 1.21–1.42 s in one process, 1.13–1.41 s relaunched; a 100 MB one
 * 1.92–2.08 s and 1.65–1.80 s; the 98 MB compare 2.98–3.18 s and 2.61–2.86 s), on another
 * 2.3–3.1 µs, where huge pages saved less than the second start cost every time (medians of
 * 8–20 alternating runs: a 50 MB inspect 1.34 s in one process against 1.45 s relaunched,
 * the 98 MB compare 3.93 s against 4.33 s, a 100 MB convert 1.88 s against 2.67 s). So
 * the command first times the first touch of a fresh 4 MB block (1–3 ms; `firstTouchMicros`)
 * and relaunches only when a page costs `SLOW_FIRST_TOUCH_MICROS` or more, and only for
 * inputs of `HUGE_PAGES_MIN_BYTES` and more: for `convert`, which reads the whole file and
 * its triangle soup, 16 MB (a 1.8 MB molar: 0.44 s, 0.59 s relaunched); `inspect` and
 * `compare` read a binary STL welded as they go and touch much less memory, so 40 MB (a
 * 20 MB inspect: 0.73–0.88 s in one process, 0.79–0.98 s relaunched). `CUSP_HUGE_PAGES`
 * overrides the probe: `always` (any input from those sizes) or `never`. Nothing changes
 * either when GLIBC_TUNABLES is already set (a person's own tunables win), when THP is off
 * or always on, or off glibc.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

/** The glibc tunable that makes malloc advise huge pages for its mmap'd blocks (glibc ≥ 2.35). */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * The commands whose work is dominated by big typed arrays, and the input size from which
 * starting again pays for each (40 MB: a binary STL of 840k triangles; 16 MB: 330k).
 */
export const HUGE_PAGES_MIN_BYTES: Readonly<Record<string, number>> = { inspect: 40 << 20, compare: 40 << 20, convert: 16 << 20 };

/**
 * Microseconds a first touch of a fresh 4 KiB page costs from which starting again pays:
 * between the 2.3–6.4 µs (6.4 under load) of a machine where it never paid and the
 * 12–16 µs of one where it did.
 */
export const SLOW_FIRST_TOUCH_MICROS = 8;

/** `CUSP_HUGE_PAGES`: `always` or `never` instead of the probe; unset (or `auto`): the probe decides. */
export type HugePagesSetting = 'auto' | 'always' | 'never';

/**
 * True when `argv` (the words after `cusp`) should run with huge pages and does not yet.
 * `probe`: microseconds per first-touched page (see `firstTouchMicros`), asked only when the
 * command, its input and the THP mode say yes.
 */
export function wantsHugePages(argv: readonly string[], env: NodeJS.ProcessEnv, probe: () => number = firstTouchMicros): boolean {
  const min = Object.hasOwn(HUGE_PAGES_MIN_BYTES, argv[0] ?? '') ? HUGE_PAGES_MIN_BYTES[argv[0]] : undefined;
  if (min === undefined || argv.includes('--help') || argv.includes('-h')) return false;
  const setting = hugePagesSetting(env);
  if (setting === 'never' || env.GLIBC_TUNABLES !== undefined || process.platform !== 'linux') return false;
  if (!(inputFileBytes(argv.slice(1)) >= min && thpOnRequest())) return false;
  // The probe (1–3 ms) before glibc's version (a process report, 5–20 ms).
  if (setting !== 'always' && probe() < SLOW_FIRST_TOUCH_MICROS) return false;
  return glibcAtLeast(2, 35);
}

/** The `CUSP_HUGE_PAGES` setting; anything else is refused before the command runs. */
export function hugePagesSetting(env: NodeJS.ProcessEnv): HugePagesSetting {
  const value = env.CUSP_HUGE_PAGES ?? 'auto';
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  throw new Error(`CUSP_HUGE_PAGES is '${value}' — use auto (the default), always or never`);
}

/**
 * What a first touch of a fresh page costs here, in microseconds: a new 4 MB block (glibc
 * maps blocks this big afresh) written once per 4 KiB page. About 1–3 ms.
 */
export function firstTouchMicros(): number {
  const pages = 1024;
  const start = performance.now();
  const block = new Uint8Array(pages * 4096);
  for (let at = 0; at < block.length; at += 4096) block[at] = 1;
  return ((performance.now() - start) * 1000) / pages;
}

/**
 * Bytes of the words that name existing files (the scans; an option's value or an output
 * not yet written names none). A missing or unreadable file counts 0: the command itself
 * says what is wrong with it.
 */
export function inputFileBytes(words: readonly string[]): number {
  let total = 0;
  for (const word of words) {
    if (word.startsWith('-')) continue;
    try {
      const st = statSync(word);
      if (st.isFile()) total += st.size;
    } catch {
      // not a file: an option's value, or a path the command will report
    }
  }
  return total;
}

/** THP in "madvise" mode: huge pages only for memory that asks for them. */
function thpOnRequest(): boolean {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]');
  } catch {
    return false;
  }
}

function glibcAtLeast(major: number, minor: number): boolean {
  // The report's network part does DNS-free but slow socket listing: 22 ms with it, 8 without.
  if (process.report) (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const [a, b] = (header?.glibcVersionRuntime ?? '').split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * Run this same command again as a child with the tunable set, passing stdio through, and
 * resolve with its exit status. SIGINT and SIGTERM sent to this process go to the child
 * (Ctrl+C reaches both from the terminal; the child decides); a child killed by a signal
 * kills this process with the same signal, so the caller sees what really happened.
 */
export function relaunchWithHugePages(env: NodeJS.ProcessEnv): Promise<number> {
  // Inside the single executable (pkg) the binary is the program: it takes the words alone.
  const inExecutable = (process as { pkg?: unknown }).pkg !== undefined;
  const args = inExecutable ? process.argv.slice(2) : [...process.execArgv, ...process.argv.slice(1)];
  const child = spawn(process.execPath, args, {
    stdio: 'inherit',
    env: { ...env, GLIBC_TUNABLES: HUGE_PAGES_TUNABLE },
  });
  const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
  });
}
