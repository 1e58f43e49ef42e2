// Peak memory of a bench's child process, for "peak ÷ file size" figures.
import { readFileSync } from 'node:fs';

/**
 * Peak resident memory of this process in bytes: VmHWM, which starts fresh at exec
 * (getrusage's maxRSS carries over the high-water mark of the big parent that forked us).
 */
export function peakBytes(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}
