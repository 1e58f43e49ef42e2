// StabilityTracker driven by a hand-run clock and an in-memory file table: when a file counts as finished.
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { flagsWrite, writerState } from '../../src/ingest/open-writers.js';
import { StabilityTracker, type FileSnapshot, type StabilityOptions, type StableFile } from '../../src/ingest/stability.js';
import { tempDir } from '../helpers/temp.js';

/** A clock and timer queue the test advances by hand; `advance` runs due timers and lets their async work settle. */
class ManualClock {
  now = 0;
  private seq = 0;
  private readonly queue = new Map<number, { at: number; fn: () => void }>();

  readonly timers = {
    set: (fn: () => void, ms: number): unknown => {
      const id = ++this.seq;
      this.queue.set(id, { at: this.now + ms, fn });
      return id;
    },
    clear: (handle: unknown): void => {
      this.queue.delete(handle as number);
    },
  };

  get pending(): number {
    return this.queue.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const item of this.queue) if (item[1].at <= target && (!next || item[1].at < next[1].at)) next = item;
      if (!next) break;
      this.queue.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
}

/** A tracker over an in-memory file table; `files` and `locked` are what the "file system" says. */
function setup(over: Partial<StabilityOptions> = {}) {
  const clock = new ManualClock();
  const files = new Map<string, FileSnapshot>();
  const locked = new Set<string>();
  const stable: Array<StableFile & { at: number }> = [];
  let stats = 0;
  const tracker = new StabilityTracker({
    stableMs: 1000,
    now: () => clock.now,
    timers: clock.timers,
    stat: async (p) => {
      stats++;
      const f = files.get(p);
      return f && { ...f };
    },
    canRead: async (p) => !locked.has(p),
    onStable: (f) => {
      stable.push({ ...f, at: clock.now });
      return true;
    },
    ...over,
  });
  const write = (p: string, size: number) => files.set(p, { size, mtimeMs: clock.now });
  return { clock, files, locked, stable, tracker, write, stats: () => stats };
}

describe('StabilityTracker', () => {
  test('a file that keeps growing is not declared ready; it is, once, a stability time after the last write', async () => {
    const s = setup();
    s.write('/in/scan.stl', 0);
    const done = s.tracker.track('/in/scan.stl');
    // Writes every 900 ms (just under the stability time) for 9 s, as a slow copy does.
    for (let i = 1; i <= 10; i++) {
      await s.clock.advance(900);
      s.write('/in/scan.stl', i * 100_000);
      assert.equal(s.stable.length, 0, `reported while still growing, after write ${i}`);
    }
    const lastWrite = s.clock.now;
    await s.clock.advance(5000);
    assert.equal(s.stable.length, 1);
    assert.equal(s.stable[0]!.size, 1_000_000);
    assert.ok(s.stable[0]!.at >= lastWrite + 1000, 'ready no sooner than the stability time after the last change');
    assert.equal(await done, true);
    assert.equal(s.tracker.size, 0);
    assert.equal(s.clock.pending, 0, 'no timer left once the file is reported');
  });

  test('a rewrite that keeps the size but changes the mtime restarts the wait', async () => {
    const s = setup();
    s.write('/in/a.stl', 500);
    void s.tracker.track('/in/a.stl');
    await s.clock.advance(700);
    s.files.set('/in/a.stl', { size: 500, mtimeMs: s.clock.now });
    await s.clock.advance(700);
    assert.equal(s.stable.length, 0);
    await s.clock.advance(2000);
    assert.equal(s.stable.length, 1);
  });

  test('a file its writer still holds locked waits until it can be opened', async () => {
    const s = setup();
    s.write('/in/locked.stl', 800);
    s.locked.add('/in/locked.stl');
    void s.tracker.track('/in/locked.stl');
    await s.clock.advance(10_000);
    assert.equal(s.stable.length, 0);
    s.locked.delete('/in/locked.stl');
    await s.clock.advance(3000);
    assert.equal(s.stable.length, 1);
  });

  test('a file deleted before it settles is never reported and its promise says so', async () => {
    const s = setup();
    s.write('/in/gone.stl', 100);
    const done = s.tracker.track('/in/gone.stl');
    await s.clock.advance(500);
    s.files.delete('/in/gone.stl');
    await s.clock.advance(3000);
    assert.equal(s.stable.length, 0);
    assert.equal(await done, false);
    assert.equal(s.tracker.has('/in/gone.stl'), false);
  });

  test('tracking a tracked file again re-arms it: one report, every caller told', async () => {
    const s = setup();
    s.write('/in/b.stl', 10);
    const first = s.tracker.track('/in/b.stl');
    await s.clock.advance(800);
    const second = s.tracker.track('/in/b.stl');
    await s.clock.advance(800);
    assert.equal(s.stable.length, 0, 'the re-arm restarted the wait');
    await s.clock.advance(2000);
    assert.equal(s.stable.length, 1);
    assert.deepEqual([await first, await second], [true, true]);
  });

  test('a file that changes while its readability is being checked is not reported with the old size', async () => {
    let release: ((ok: boolean) => void) | undefined;
    const s = setup({
      // The open-for-reading check of the settled file is held back until after the file grew again.
      canRead: () => new Promise<boolean>((r) => (release = r)),
    });
    s.write('/in/c.stl', 10);
    void s.tracker.track('/in/c.stl');
    await s.clock.advance(1000);
    assert.ok(release, 'the file settled and is being opened');
    s.write('/in/c.stl', 20);
    void s.tracker.track('/in/c.stl');
    release!(true);
    await s.clock.advance(10);
    assert.equal(s.stable.length, 0, 'the answer for the old content must not declare the file ready');
    release = undefined;
    await s.clock.advance(1500);
    release!(true);
    await s.clock.advance(10);
    assert.equal(s.stable.length, 1);
    assert.equal(s.stable[0]!.size, 20);
  });

  test('an empty file must stay empty for emptyStableMs (its writer may not have started)', async () => {
    const s = setup({ emptyStableMs: 20_000 });
    s.write('/in/empty.stl', 0);
    void s.tracker.track('/in/empty.stl');
    await s.clock.advance(10_000);
    assert.equal(s.stable.length, 0);
    s.write('/in/empty.stl', 4000);
    await s.clock.advance(2500);
    assert.equal(s.stable.length, 1, 'once written, the normal stability time applies');
    s.write('/in/still-empty.stl', 0);
    void s.tracker.track('/in/still-empty.stl');
    await s.clock.advance(21_000);
    assert.equal(s.stable.length, 2, 'a file that stays empty is reported in the end');
  });

  test('the first observation can be delayed (a recheck)', async () => {
    const s = setup();
    s.write('/in/d.stl', 10);
    void s.tracker.track('/in/d.stl', 5000);
    await s.clock.advance(4900);
    assert.equal(s.stats(), 0, 'no look at the file before the delay');
    await s.clock.advance(2500);
    assert.equal(s.stable.length, 1);
  });

  test('forget, forgetWhere and clear cancel tracking and leave no timer', async () => {
    const s = setup();
    for (const p of ['/in/x.stl', '/in/case/y.stl', '/in/case/z.stl', '/in/w.stl']) {
      s.write(p, 5);
      void s.tracker.track(p);
    }
    s.tracker.forget('/in/x.stl');
    s.tracker.forgetWhere((p) => p.startsWith('/in/case/'));
    assert.equal(s.tracker.size, 1);
    s.tracker.clear();
    assert.equal(s.tracker.size, 0);
    assert.equal(s.clock.pending, 0);
    await s.clock.advance(5000);
    assert.equal(s.stable.length, 0);
  });

  test('onStable declining or throwing resolves the promise false and breaks nothing', async () => {
    let calls = 0;
    const s = setup({
      onStable: () => {
        calls++;
        if (calls === 1) return false;
        throw new Error('consumer failed');
      },
    });
    s.write('/in/e.stl', 1);
    s.write('/in/f.stl', 1);
    const e = s.tracker.track('/in/e.stl');
    await s.clock.advance(1500);
    const f = s.tracker.track('/in/f.stl');
    await s.clock.advance(1500);
    assert.deepEqual([await e, await f], [false, false]);
    assert.equal(calls, 2);
  });
});

describe('writerState: is a file still open for writing (/proc)', () => {
  test('fdinfo flags: O_WRONLY and O_RDWR write, O_RDONLY does not', () => {
    assert.equal(flagsWrite('pos:\t0\nflags:\t0100001\nmnt_id:\t30\n'), true);
    assert.equal(flagsWrite('pos:\t0\nflags:\t02\n'), true);
    assert.equal(flagsWrite('pos:\t0\nflags:\t0100000\n'), false);
    assert.equal(flagsWrite('no flags line'), false);
  });

  test('a real descriptor: writing while open for writing (append too), none once closed or when only read', async (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'scan_upper.obj');
    writeFileSync(path, 'v 0 0 0\n');
    const reader = openSync(path, 'r');
    try {
      assert.equal(await writerState(path), 'none');
      const writer = openSync(path, 'a');
      assert.equal(await writerState(path), 'writing');
      closeSync(writer);
      assert.equal(await writerState(path), 'none');
    } finally {
      closeSync(reader);
    }
  });

  test('/proc missing or hiding other processes: unknown (the caller relies on the stability wait)', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a.stl'), 'x');
    assert.equal(await writerState(join(dir, 'a.stl'), join(dir, 'no-proc')), 'unknown');
    mkdirSync(join(dir, 'empty-proc'));
    assert.equal(await writerState(join(dir, 'a.stl'), join(dir, 'empty-proc')), 'unknown');
  });
});
