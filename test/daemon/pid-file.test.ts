import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { claimDataFolder, dataFolderLocked, lockingPid } from '../../daemon/pid-file.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

test('the data folder lock: one holder, a clear refusal naming the pid file, free again on release', (t) => {
  const dir = tempDir(t);
  assert.equal(lockingPid(dir), undefined, 'no lock file yet: nobody holds it');
  const release = claimDataFolder(dir);
  assert.equal(readFileSync(join(dir, 'cusp.pid'), 'utf8'), `${process.pid}\n`);
  assert.equal(dataFolderLocked(dir), true);
  assert.equal(lockingPid(dir), process.pid);
  assert.throws(() => claimDataFolder(dir), /^CuspError: another cusp daemon is running on this data folder \(pid \d+ from the pid file\) — stop it first/);
  release();
  assert.equal(existsSync(join(dir, 'cusp.pid')), false);
  assert.equal(lockingPid(dir), undefined);
  claimDataFolder(dir)();
});

test('a pid file naming a live process decides nothing; a SIGKILLed holder frees the folder at once', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'cusp.pid'), `${process.pid}\n`);
  assert.equal(lockingPid(dir), undefined);
  claimDataFolder(dir)();

  const script = `
    import { claimDataFolder } from ${JSON.stringify(new URL('../../daemon/pid-file.ts', import.meta.url).href)};
    claimDataFolder(process.argv[1]);
    process.stdout.write('held\\n');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  await until('the child holds the lock', () => out.includes('held'));
  assert.equal(lockingPid(dir), child.pid);
  assert.throws(() => claimDataFolder(dir), new RegExp(`pid ${child.pid} from the pid file`));
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  // The stale pid file stays (the holder died); it blocks nothing.
  assert.equal(readFileSync(join(dir, 'cusp.pid'), 'utf8').trim(), String(child.pid));
  assert.equal(lockingPid(dir), undefined);
  claimDataFolder(dir)();
});
