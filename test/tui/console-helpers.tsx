// Shared by the console tests: a real daemon on a temp folder, the console rendered against
// it with ink-testing-library at 80×24, keys, and waiting for what a user would see.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { render } from 'ink-testing-library';
import { App, type AppProps } from '../../tui/app.js';
import { Connection } from '../../tui/connection.js';
import { startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

export const KEYS = {
  up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', tab: '\t', backspace: '\u007F', ctrlL: '\u000C',
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ConsoleDaemon {
  daemon: RunningDaemon;
  dir: string;
  inbox: string;
  socketPath: string;
}

/** A real `cusp daemon` (from dist/) with one watched folder `inbox` that settles fast. */
export async function consoleDaemon(t: TestContext, extraConfig = ''): Promise<ConsoleDaemon> {
  const dir = tempDir(t, 'cusp-tui-');
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: 0.3\n    rescanMinutes: 0.1\n# The test's folder stands for the clinic's /srv/cusp: folders may be added below it.\nfolderRoots:\n  - ${dir}\n${extraConfig}`,
  });
  t.after(() => daemon.stop('SIGKILL'));
  return { daemon, dir, inbox, socketPath: join(dir, 'data', 'cusp.sock') };
}

export type Rendered = ReturnType<typeof render> & {
  frame(): string;
  /** Wait until the frame matches; fails with the last frame. */
  waitFor(match: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Type keys one at a time (Ink reads each write as one key press). */
  press(...keys: string[]): Promise<void>;
  /** Type text as one key press per character. */
  type(text: string): Promise<void>;
};

/** Render the console at 80×24 without colour (tests read plain text). */
export function renderConsole(t: TestContext, connection: Connection, props: Partial<AppProps> = {}): Rendered {
  const r = render(<App connection={connection} idleLockMinutes={15} colour={false} size={{ columns: 80, rows: 24 }} {...props} />);
  t.after(() => r.unmount());
  const frame = () => r.lastFrame() ?? '';
  return Object.assign(r, {
    frame,
    async waitFor(match: string | RegExp | ((f: string) => boolean), timeoutMs = 30_000) {
      const test = typeof match === 'string' ? (f: string) => f.includes(match) : match instanceof RegExp ? (f: string) => match.test(f) : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (test(f)) return f;
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${String(match)}; the console shows:\n${f}`);
        await sleep(50);
      }
    },
    async press(...keys: string[]) {
      for (const k of keys) {
        r.stdin.write(k);
        await sleep(60);
      }
    },
    async type(text: string) {
      for (const ch of text) {
        r.stdin.write(ch);
        await sleep(15);
      }
    },
  });
}

/** Every line of the frame is at most `columns` wide and there are at most `rows - 1` lines. */
export function assertFits(frame: string, columns = 80, rows = 24): void {
  const lines = frame.split('\n');
  assert.ok(lines.length <= rows - 1, `the frame has ${lines.length} lines, more than ${rows - 1}:\n${frame}`);
  for (const line of lines) {
    const width = Array.from(line).length;
    assert.ok(width <= columns, `a line is ${width} columns wide (max ${columns}):\n${line}`);
  }
}

export { Connection };

/** The frame's text with every run of spaces and line breaks as one space (for wrapped sentences). */
export function flat(frame: string): string {
  return frame.replace(/\s+/g, ' ');
}
