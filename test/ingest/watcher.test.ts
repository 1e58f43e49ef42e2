// FolderWatcher on real temp folders with real chokidar and real timers (small stability times).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { FSWatcher, watch, type ChokidarOptions } from 'chokidar';
import { configSchema, type FolderConfig } from '../../src/config/index.js';
import { FolderWatcher, type DetectedFile, type FolderState, type FolderWatcherOptions, type WatchFactory } from '../../src/ingest/watcher.js';
import { captureLogging } from '../helpers/logging.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { tempDir } from '../helpers/temp.js';

const NO_CORPUS = !hasCorpus() && 'corpus not present';
const TOOTH = 'dental/openfulljaw_P26_maxilla_tooth08_incisor.stl';
const MOLAR = 'dental/openfulljaw_P26_mandible_tooth19_molar.stl';
const PLY = 'dental/derived_tooth24_big_endian.ply';
const GLB = 'gltf/BoxMeshopt.glb';
/** Long enough after a report for a wrongly repeated one to show up (several stability times). */
const SETTLE_MS = 1200;

function folderConfig(dataDir: string, path: string, over: Record<string, unknown> = {}): FolderConfig {
  return configSchema.parse({ dataDir, folders: [{ path, stabilitySeconds: 0.3, rescanMinutes: 10, ...over }] }).folders[0]!;
}

async function until(what: string, cond: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Harness {
  w: FolderWatcher;
  files: DetectedFile[];
  states: Array<{ state: FolderState; message?: string }>;
  handled: Map<string, string>;
  logLines: () => Array<Record<string, unknown>>;
  count: (relativePath: string) => number;
}

/**
 * Starts a watcher like the ingest service does: a reported file counts as handled with its
 * size and mtime (as a kept original would), so rescans do not report it again.
 */
async function startWatcher(t: TestContext, folder: FolderConfig, extra: Partial<FolderWatcherOptions> = {}): Promise<Harness> {
  const cap = captureLogging();
  const files: DetectedFile[] = [];
  const states: Harness['states'] = [];
  const handled = new Map<string, string>();
  const w = new FolderWatcher({
    folder,
    log: cap.logging.logger('ingest'),
    onFile: (f) => {
      files.push(f);
      handled.set(f.path, `${f.size}:${f.mtimeMs}`);
    },
    onState: (state, message) => states.push({ state, message }),
    isHandled: (path, size, mtimeMs) => handled.get(path) === `${size}:${mtimeMs}`,
    ...extra,
  });
  t.after(async () => {
    await w.stop();
    await cap.logging.close();
  });
  await w.start();
  return { w, files, states, handled, logLines: cap.lines, count: (rel) => files.filter((f) => f.relativePath === rel).length };
}

async function live(h: Harness): Promise<void> {
  await until('the watcher to be ready', () => h.w.state === 'watching' || h.w.state === 'polling');
}

describe('FolderWatcher', { skip: NO_CORPUS }, () => {
  test('a file written slowly in chunks is not reported while it grows, then exactly once, whole', async (t) => {
    const root = tempDir(t);
    const h = await startWatcher(t, folderConfig(root, root, { stabilitySeconds: 0.6 }));
    await live(h);
    const bytes = corpusBytes(TOOTH);
    const target = join(root, 'Smith_John_upper.stl');
    const fd = openSync(target, 'w');
    const chunks = 14;
    const step = Math.ceil(bytes.length / chunks);
    for (let i = 0; i < chunks; i++) {
      writeSync(fd, bytes, i * step, Math.min(step, bytes.length - i * step));
      await sleep(150);
      assert.equal(h.files.length, 0, `reported after chunk ${i + 1} of ${chunks}, while the file was still growing`);
    }
    closeSync(fd);
    await until('the finished file', () => h.files.length > 0);
    await sleep(SETTLE_MS);
    assert.equal(h.files.length, 1);
    assert.deepEqual(h.files[0], { path: target, relativePath: 'Smith_John_upper.stl', size: bytes.length, mtimeMs: statSync(target).mtimeMs });
  });
  test('several files at once are each reported once; a file present at start too; sidecars never, photos too (they are images); recheck reports again', async (t) => {
    const root = tempDir(t);
    const dir = join(root, 'drop');
    mkdirSync(join(dir, 'case-7'), { recursive: true });
    writeFileSync(join(dir, 'left-over.stl'), corpusBytes(MOLAR));
    const h = await startWatcher(t, folderConfig(root, dir));
    await live(h);
    const batch: Record<string, Buffer> = {
      'case-7/case-7-upperjaw.stl': corpusBytes(TOOTH),
      'case-7/case-7-lowerjaw.stl': corpusBytes(MOLAR),
      '123456_shell_occlusion_u.ply': corpusBytes(PLY),
      'UpperJaw.glb': corpusBytes(GLB),
    };
    for (const [rel, bytes] of Object.entries(batch)) writeFileSync(join(dir, rel), bytes);
    writeFileSync(join(dir, 'case-7', 'case-7.dentalProject'), '<DentalProject/>');
    writeFileSync(join(dir, 'gallery_1.jpg'), 'jpeg');
    await until('six reports', () => h.files.length >= 6);
    await sleep(SETTLE_MS);
    assert.deepEqual(h.files.map((f) => f.relativePath).sort(), ['123456_shell_occlusion_u.ply', 'UpperJaw.glb', 'case-7/case-7-lowerjaw.stl', 'case-7/case-7-upperjaw.stl', 'gallery_1.jpg', 'left-over.stl']);
    for (const f of h.files) assert.equal(f.size, statSync(f.path).size, f.relativePath);
    assert.equal(h.files.find((f) => f.relativePath === 'UpperJaw.glb')!.path, join(dir, 'UpperJaw.glb'));

    // The ingest service's try-read found it incomplete (so it is not handled) and asks again.
    h.handled.delete(join(dir, 'UpperJaw.glb'));
    h.w.recheck(join(dir, 'UpperJaw.glb'), 100);
    await until('the recheck', () => h.count('UpperJaw.glb') === 2);
  });

  test('temp, partial and hidden names are not reported until renamed, then once under the new name; excluded folders never', async (t) => {
    const root = tempDir(t);
    const dir = join(root, 'drop');
    mkdirSync(join(dir, 'inbox-quarantine'), { recursive: true });
    mkdirSync(join(dir, 'held'));
    const h = await startWatcher(t, folderConfig(root, dir, { quarantineDir: join(dir, 'inbox-quarantine') }), { exclude: [join(dir, 'held')] });
    await live(h);
    const stl = corpusBytes(TOOTH);
    for (const name of ['scan.stl.part', '~$upper.stl', '.lower.stl', 'bite.stl~', 'model.tmp', 'export.crdownload', 'inbox-quarantine/q.stl', 'held/h.stl']) {
      writeFileSync(join(dir, name), stl);
    }
    await sleep(SETTLE_MS);
    assert.equal(h.files.length, 0, 'nothing is a finished scan yet');
    renameSync(join(dir, 'scan.stl.part'), join(dir, 'scan.stl'));
    renameSync(join(dir, '.lower.stl'), join(dir, 'lower.stl'));
    await until('the renamed files', () => h.files.length >= 2);
    await sleep(SETTLE_MS);
    assert.deepEqual(h.files.map((f) => f.relativePath).sort(), ['lower.stl', 'scan.stl']);
  });

  test('pause holds files back; resume reports them (a rescan finds what the paused watcher dropped)', async (t) => {
    const root = tempDir(t);
    const h = await startWatcher(t, folderConfig(root, root));
    await live(h);
    h.w.pause();
    assert.equal(h.w.state, 'paused');
    writeFileSync(join(root, 'UpperJaw.stl'), corpusBytes(TOOTH));
    await sleep(SETTLE_MS);
    assert.equal(h.files.length, 0, 'no report while paused');
    assert.equal(await h.w.rescan(), 0, 'a paused folder is not rescanned');
    h.w.resume();
    assert.equal(h.w.state, 'watching');
    await until('the file after resume', () => h.files.length === 1);
    assert.ok(h.logLines().some((l) => /rescan of folder .*: 1 candidates, 1 not handled yet/.test(String(l.msg))), 'found by the rescan on resume');
    await sleep(SETTLE_MS);
    assert.equal(h.files.length, 1);
    assert.deepEqual(h.states.map((s) => s.state), ['starting', 'watching', 'paused', 'watching']);
  });

  test('a folder configured paused reports nothing, not even files already there, until resumed', async (t) => {
    const root = tempDir(t);
    writeFileSync(join(root, 'UpperJaw.stl'), corpusBytes(TOOTH));
    const h = await startWatcher(t, folderConfig(root, root, { paused: true }));
    await sleep(SETTLE_MS);
    assert.equal(h.w.state, 'paused');
    assert.equal(h.files.length, 0);
    h.w.resume();
    await until('the file after resume', () => h.files.length === 1);
    assert.equal(h.w.state, 'watching');
  });

  test('rescan reconciles with isHandled: a file chokidar already reported is reported again once it counts as not handled', async (t) => {
    const root = tempDir(t);
    const kept = join(root, 'kept.stl');
    writeFileSync(kept, corpusBytes(MOLAR));
    const s = statSync(kept);
    const handled = new Set([`${kept}:${s.size}:${s.mtimeMs}`]);
    const h = await startWatcher(t, folderConfig(root, root), {
      isHandled: (path, size, mtimeMs) => handled.has(`${path}:${size}:${mtimeMs}`),
    });
    await live(h);
    await sleep(SETTLE_MS);
    assert.equal(h.files.length, 0, 'a file handled before (kept original) is not reported again at start');
    // Its ingest failed and left it in place: no new event will come, the rescan must find it.
    handled.clear();
    assert.equal(await h.w.rescan(), 1);
    assert.deepEqual(h.files.map((f) => f.relativePath), ['kept.stl']);
    handled.add(`${kept}:${s.size}:${s.mtimeMs}`);
    assert.equal(await h.w.rescan(), 0);
  });

  test('the periodic rescan finds files the file-system events never announced', async (t) => {
    const root = tempDir(t);
    // A chokidar watcher that watches nothing: every event is lost, as when polling misses a
    // file created on the server side of a share.
    const deaf: WatchFactory = (_path, options) => new FSWatcher(options);
    const h = await startWatcher(t, folderConfig(root, root, { rescanMinutes: 0.01 }), { watchFactory: deaf });
    mkdirSync(join(root, 'Patient 12'));
    writeFileSync(join(root, 'Patient 12', 'LowerJaw.stl'), corpusBytes(MOLAR));
    await until('the rescan to find the file', () => h.files.length === 1);
    assert.equal(h.files[0]!.relativePath, 'Patient 12/LowerJaw.stl');
    await sleep(SETTLE_MS);
    assert.equal(h.files.length, 1, 'later rescans skip it: it is handled');
  });

  test('polling mode detects files', async (t) => {
    const root = tempDir(t);
    const h = await startWatcher(t, folderConfig(root, root, { polling: true, pollIntervalSeconds: 0.1 }));
    await live(h);
    assert.equal(h.w.state, 'polling');
    writeFileSync(join(root, 'UpperJaw.ply'), corpusBytes(PLY));
    await until('the polled file', () => h.files.length === 1);
    assert.equal(h.files[0]!.relativePath, 'UpperJaw.ply');
    assert.equal(h.states.at(-1)!.message, undefined, 'configured polling is not a problem to report');
  });

  // chokidar reads a folder first and only then starts watching it (fs.watch, or
  // fs.watchFile whose first stat is the baseline): a file a scanner writes in between gets
  // no event in either mode and waited for the periodic rescan (minutes; seen in CI under
  // load in polling mode). Here the file is written exactly in that gap — inside the call
  // that starts the watch — with the real chokidar and the real fs functions otherwise.
  for (const polling of [true, false]) {
    test(`a file written while chokidar starts watching (${polling ? 'polling' : 'inotify'}) is still reported, once`, async (t) => {
      const root = tempDir(t);
      const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
      const name = polling ? 'watchFile' : 'watch';
      const real = fs[name];
      let written = false;
      const inGap = (path: unknown): void => {
        if (written || String(path) !== root) return;
        written = true;
        writeFileSync(join(root, 'UpperJaw.ply'), corpusBytes(PLY));
      };
      (fs as Record<string, unknown>)[name] = (path: unknown, ...rest: unknown[]) => {
        inGap(path);
        return (real as (...a: unknown[]) => unknown)(path, ...rest);
      };
      syncBuiltinESMExports();
      t.after(() => {
        (fs as Record<string, unknown>)[name] = real;
        syncBuiltinESMExports();
      });
      const h = await startWatcher(t, folderConfig(root, root, { polling, pollIntervalSeconds: 0.1 }));
      await live(h);
      assert.ok(written, 'the file was written between the folder\'s read and its watch');
      await until('the file written in the gap', () => h.files.length === 1);
      await sleep(SETTLE_MS);
      assert.equal(h.count('UpperJaw.ply'), 1);
    });
  }

  test('ENOSPC from inotify: one clear log line, state polling with the reason, real polling chokidar keeps detecting', async (t) => {
    const root = tempDir(t);
    const calls: ChokidarOptions[] = [];
    // Stands in for a kernel out of inotify watches (cannot be produced here without sysctl):
    // the inotify watcher reports ENOSPC, as chokidar does once per refused watch.
    const factory: WatchFactory = (path, options) => {
      calls.push(options);
      if (options.usePolling) return watch(path, options);
      const refused = new FSWatcher(options);
      const enospc = () => Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${path}'`), { code: 'ENOSPC', errno: -28, syscall: 'watch' });
      setImmediate(() => {
        refused.emit('error', enospc());
        refused.emit('error', enospc());
      });
      return refused;
    };
    const h = await startWatcher(t, folderConfig(root, root, { name: 'trios', pollIntervalSeconds: 0.1 }), { watchFactory: factory });
    await until('the fallback', () => h.w.state === 'polling');
    const expected = `watching ${root} needs more inotify watches than the system allows (fs.inotify.max_user_watches) — falling back to polling every 0.1 s; raise the limit with sysctl to get instant detection`;
    assert.deepEqual(h.states.at(-1), { state: 'polling', message: expected });
    const lines = h.logLines().filter((l) => String(l.msg).includes('max_user_watches'));
    assert.equal(lines.length, 1, 'one line for the whole burst of errors');
    assert.equal(lines[0]!.level, 'warn');
    assert.equal(lines[0]!.msg, expected);
    assert.deepEqual(calls.map((c) => c.usePolling), [false, true]);
    writeFileSync(join(root, 'UpperJaw.stl'), corpusBytes(TOOTH));
    await until('detection after the fallback', () => h.files.length === 1);
  });

  test('a missing folder is an error state that recovers once created; a folder that vanishes too', async (t) => {
    const root = tempDir(t);
    const dir = join(root, 'share');
    const h = await startWatcher(t, folderConfig(root, dir, { rescanMinutes: 0.01 }));
    assert.equal(h.w.state, 'error');
    assert.match(h.states.at(-1)!.message!, new RegExp(`^folder ${dir} does not exist — create it or fix this folder's path in the config`));
    mkdirSync(dir);
    writeFileSync(join(dir, 'UpperJaw.stl'), corpusBytes(TOOTH));
    await until('the folder to be watched', () => h.files.length === 1);
    assert.equal(h.w.state, 'watching');

    rmSync(dir, { recursive: true });
    await until('the error state', () => h.w.state === 'error');
    assert.match(h.states.at(-1)!.message!, /is gone \(no such folder\)/);
    mkdirSync(dir);
    writeFileSync(join(dir, 'LowerJaw.stl'), corpusBytes(MOLAR));
    await until('the file in the returned folder', () => h.files.some((f) => f.relativePath === 'LowerJaw.stl'));
    assert.equal(h.w.state, 'watching');
  });

  test('stop closes chokidar and every timer: a process with a stopped watcher exits by itself', async (t) => {
    const root = tempDir(t);
    mkdirSync(join(root, 'in'));
    const src = (rel: string) => pathToFileURL(join(import.meta.dirname, '../../src', rel)).href;
    const script = join(root, 'child.mjs');
    writeFileSync(script, `
      import { writeFileSync } from 'node:fs';
      import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
      import { FolderWatcher } from '${src('ingest/watcher.ts')}';
      import { configSchema } from '${src('config/index.ts')}';
      import { createLogging } from '${src('log/index.ts')}';
      const dir = ${JSON.stringify(join(root, 'in'))};
      const folder = configSchema.parse({ dataDir: ${JSON.stringify(root)}, folders: [{ path: dir, stabilitySeconds: 0.2, rescanMinutes: 60 }] }).folders[0];
      const logging = createLogging({ level: 'info', format: 'json', stream: process.stderr, isTTY: false, env: {} });
      let reported = 0;
      const w = new FolderWatcher({ folder, log: logging.logger('ingest'), onFile: () => reported++, onState: () => {} });
      await w.start();
      writeFileSync(join(dir, 'a.stl'), 'solid a\\nendsolid a\\n');
      while (reported === 0) await new Promise((r) => setTimeout(r, 20));
      w.recheck(join(dir, 'a.stl'), 600000);
      writeFileSync(join(dir, 'b.stl'), 'solid b\\n');
      await new Promise((r) => setTimeout(r, 50));
      await w.stop();
      await w.stop();
      await logging.close();
      console.log('stopped, reported ' + reported + ', state ' + w.state);
    `);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const kill = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 20_000);
      child.on('exit', (c) => {
        clearTimeout(kill);
        resolve(c);
      });
    });
    assert.notEqual(code, null, `the process did not exit after stop(): something still holds the event loop\n${out}\n${err}`);
    assert.equal(code, 0, err);
    assert.match(out, /stopped, reported 1, state stopped/);
  });
});

describe('FolderWatcher: detection that does not depend on luck (issue 15)', () => {
  test('a file held open for writing across pauses longer than the stability wait is reported only after its writer closes it, whole', async (t) => {
    const root = tempDir(t);
    const h = await startWatcher(t, folderConfig(root, root, { stabilitySeconds: 0.3 }));
    await live(h);
    const path = join(root, 'slow_upper.obj');
    const fd = openSync(path, 'w');
    let written = 0;
    try {
      for (let i = 0; i < 4; i++) {
        written += writeSync(fd, `v ${i} 0 0\n`.repeat(200));
        await sleep(900); // three stability waits of silence, the writer still holding the file
      }
      assert.equal(h.count('slow_upper.obj'), 0, 'reported while its writer still held it open for writing');
    } finally {
      closeSync(fd);
    }
    await until('the closed file to be reported', () => h.count('slow_upper.obj') === 1);
    assert.equal(h.files[0]!.size, written);
    assert.ok(h.logLines().some((l) => String(l.msg).includes('still open for writing')), 'the wait is in the debug log');
  });

  for (const polling of [false, true]) test(`a file whose chokidar add/change events are lost is still reported from the raw events, long before the rescan (${polling ? 'polling' : 'inotify'})`, async (t) => {
    const root = tempDir(t);
    // chokidar that loses every add and change after ready (its throttled re-read dropping them).
    const lossy: WatchFactory = (path: string, options: ChokidarOptions) => {
      const fsw = watch(path, options);
      let ready = false;
      fsw.on('ready', () => (ready = true));
      const emit = fsw.emit.bind(fsw) as (event: string, ...args: unknown[]) => boolean;
      (fsw as unknown as { emit: typeof emit }).emit = (event: string, ...args: unknown[]) => (ready && (event === 'add' || event === 'change') ? false : emit(event, ...args));
      return fsw;
    };
    const h = await startWatcher(t, folderConfig(root, root, { stabilitySeconds: 0.3, rescanMinutes: 60, polling, pollIntervalSeconds: 0.2 }), { watchFactory: lossy });
    await live(h);
    for (const name of ['one_upper.stl', 'two_upper.stl', 'three_upper.stl']) {
      writeFileSync(join(root, name), corpusBytes(TOOTH));
      await until(`${name} to be reported without chokidar's add`, () => h.count(name) === 1);
    }
  });

  test('repro: the thread busy for 1.5 s while chokidar re-reads the folder loses its add (6 of 8 runs before the fix); the raw event still reports the file', async (t) => {
    const root = tempDir(t);
    // Real chokidar; the only help is blocking the event loop at the moment that loses the
    // event: the second file's creation arrives while the re-read for the first is in flight,
    // and the 1 s throttle timer then fires before the re-read ends, forgetting the re-read.
    let phase = 0;
    const busy: WatchFactory = (path: string, options: ChokidarOptions) => {
      const fsw = watch(path, options);
      fsw.on('raw', (_event: string, name: string) => {
        if (phase === 1 && name === 'first_upper.stl') {
          phase = 2;
          setImmediate(() => writeFileSync(join(root, 'second_upper.stl'), corpusBytes(MOLAR)));
        } else if (phase === 2 && name === 'second_upper.stl') {
          phase = 3;
          const t0 = Date.now();
          while (Date.now() - t0 < 1500); // the daemon's thread busy (a big scan going in)
        }
      });
      return fsw;
    };
    const h = await startWatcher(t, folderConfig(root, root, { stabilitySeconds: 0.3, rescanMinutes: 60 }), { watchFactory: busy });
    await live(h);
    phase = 1;
    writeFileSync(join(root, 'first_upper.stl'), corpusBytes(TOOTH));
    await until('both files to be reported', () => h.count('first_upper.stl') === 1 && h.count('second_upper.stl') === 1);
    assert.equal(phase, 3, 'the busy moment happened');
  });

  test('every add/change/unlink is in the debug log with a file reference, never the name', async (t) => {
    const root = tempDir(t);
    const h = await startWatcher(t, folderConfig(root, root));
    await live(h);
    writeFileSync(join(root, 'Smith_John_upper.stl'), corpusBytes(TOOTH));
    await until('the file to be reported', () => h.count('Smith_John_upper.stl') === 1);
    rmSync(join(root, 'Smith_John_upper.stl'));
    await until('the unlink to be logged', () => h.logLines().some((l) => /watcher event unlink/.test(String(l.msg))));
    const events = h.logLines().filter((l) => /watcher event/.test(String(l.msg)));
    assert.ok(events.some((l) => /watcher event add\/change .*file#[0-9a-f]{10}/.test(String(l.msg))), JSON.stringify(events));
    assert.doesNotMatch(JSON.stringify(h.logLines()), /Smith|John/);
  });

  test('symbolic links to a folder and to a file outside are not followed: nothing reported, one warn each, onSkipped, the outside untouched', async (t) => {
    const root = tempDir(t);
    const outside = tempDir(t);
    mkdirSync(join(outside, 'case'));
    writeFileSync(join(outside, 'case', 'Doe_Jane_upper.stl'), corpusBytes(TOOTH));
    writeFileSync(join(outside, 'Doe_Jane_lower.stl'), corpusBytes(MOLAR));
    const drop = join(root, 'drop');
    mkdirSync(drop);
    symlinkSync(join(outside, 'case'), join(drop, 'linked-case'));
    symlinkSync(join(outside, 'Doe_Jane_lower.stl'), join(drop, 'linked_lower.stl'));
    const skipped: Array<[string, string]> = [];
    const h = await startWatcher(t, folderConfig(root, drop), { onSkipped: (rel, kind) => skipped.push([rel, kind]) });
    await live(h);
    // One made while watching, too.
    symlinkSync(join(outside, 'Doe_Jane_lower.stl'), join(drop, 'later_lower.stl'));
    writeFileSync(join(drop, 'real_upper.stl'), corpusBytes(TOOTH));
    await until('the real file to be reported', () => h.count('real_upper.stl') === 1);
    await h.w.rescan();
    await until('three skipped links', () => skipped.length === 3);
    await sleep(SETTLE_MS);
    assert.deepEqual(h.files.map((f) => f.relativePath), ['real_upper.stl']);
    assert.deepEqual(skipped.map(([rel, kind]) => `${rel}:${kind}`).sort(), ['later_lower.stl:symlink', 'linked-case:symlink', 'linked_lower.stl:symlink']);
    const warns = h.logLines().filter((l) => l.level === 'warn' && /symbolic link/.test(String(l.msg)));
    assert.equal(warns.length, 3);
    assert.doesNotMatch(JSON.stringify(warns), /Doe|Jane|linked/);
    assert.deepEqual(readFileSync(join(outside, 'case', 'Doe_Jane_upper.stl')), Buffer.from(corpusBytes(TOOTH)));
    assert.deepEqual(readFileSync(join(outside, 'Doe_Jane_lower.stl')), Buffer.from(corpusBytes(MOLAR)));
  });

  test('a FIFO with a scan name is skipped with one warn and onSkipped, never opened; the folder keeps working', async (t) => {
    const root = tempDir(t);
    const skipped: string[] = [];
    const h = await startWatcher(t, folderConfig(root, root), { onSkipped: (_rel, kind) => skipped.push(kind) });
    await live(h);
    execFileSync('mkfifo', [join(root, 'pipe_upper.stl')]);
    await until('the FIFO to be skipped', () => skipped.length === 1);
    writeFileSync(join(root, 'after_upper.stl'), corpusBytes(TOOTH));
    await until('the next file to be reported', () => h.count('after_upper.stl') === 1);
    await h.w.rescan();
    await sleep(SETTLE_MS);
    assert.deepEqual(skipped, ['fifo']);
    assert.equal(h.count('pipe_upper.stl'), 0);
    assert.equal(h.logLines().filter((l) => l.level === 'warn' && /FIFO/.test(String(l.msg))).length, 1);
  });

  test('a name that is not valid UTF-8 is renamed to its percent-escaped bytes and reported, bytes unchanged', async (t) => {
    const root = tempDir(t);
    const h = await startWatcher(t, folderConfig(root, root));
    await live(h);
    const bad = Buffer.concat([Buffer.from(root + '/M'), Buffer.from([0xfc]), Buffer.from('ller_upper.stl')]); // Latin-1 "Müller"
    writeFileSync(bad, corpusBytes(TOOTH));
    await until('the file to be reported under its safe name', () => h.count('M%FCller_upper.stl') === 1);
    assert.deepEqual(readFileSync(join(root, 'M%FCller_upper.stl')), Buffer.from(corpusBytes(TOOTH)));
    assert.deepEqual(readdirSync(root, { encoding: 'buffer' }).map((n) => n.toString('latin1')), ['M%FCller_upper.stl']);
    assert.ok(h.logLines().some((l) => l.level === 'warn' && /not valid UTF-8/.test(String(l.msg))));
  });
});
