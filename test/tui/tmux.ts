// A private tmux server per test: the console in a real terminal, read back from the pane.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A private tmux server for one test. */
export function tmux(name: string) {
  const run = (...args: string[]) => {
    const r = spawnSync('tmux', ['-L', name, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  };
  return {
    run,
    keys: (...keys: string[]) => run('send-keys', '-t', 'console', ...keys),
    pane: () => run('capture-pane', '-p', '-t', 'console'),
    async waitFor(match: RegExp, timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pane = run('capture-pane', '-p', '-t', 'console');
        if (match.test(pane)) return pane;
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${match}; the pane shows:\n${pane}`);
        await sleep(200);
      }
    },
    kill: () => spawnSync('tmux', ['-L', name, 'kill-server']),
  };
}

