// kill -9 at random moments while scans arrive through the real daemon's drop folder: after
// restarts every scan is stored exactly once and nothing is lost. In the fault suite (npm run
// test:faults); the calm path is test/daemon/ingest-e2e.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { freePort, runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('crash test: SIGKILL at random moments while 40 scans arrive; after restarts every scan is stored exactly once, none is lost, the audit chain verifies', { skip }, async (t) => {
  const dir = tempDir(t);
  const key = randomBytes(32);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const extraConfig = `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: 0.3\n    rescanMinutes: 0.05\n`;
  // 40 distinct valid scans: the same tooth with a different 80-byte STL header each.
  const base = corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl');
  const files = new Map<string, Buffer>();
  for (let i = 0; i < 40; i++) {
    const b = Buffer.from(base);
    b.write(`cusp crash test scan ${i}`.padEnd(80, ' '), 0, 'latin1');
    files.set(`Patient${i % 7}_Test_2026-11-${String(10 + (i % 9)).padStart(2, '0')}_${i % 2 ? 'upper' : 'lower'}_${i}.stl`, b);
  }
  const names = [...files.keys()];
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

  let dropped = 0;
  let interruptedWithFilesLeft = 0;
  const port = await freePort();
  for (let round = 0; round < 4; round++) {
    const daemon = await startDaemon(dir, { extraConfig, port, configPath: round === 0 ? undefined : join(dir, 'cusp.yaml') });
    const batch = names.slice(dropped, dropped + 10);
    for (const name of batch) {
      writeFileSync(join(inbox, name), files.get(name)!);
      await sleep(random() * 80);
    }
    dropped += batch.length;
    // Within the drop folder's stability wait (0.3 s) of the last file and the ingest of
    // those before it: with warm workers a batch of ten is in within a second.
    await sleep(100 + random() * 500);
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    interruptedWithFilesLeft += readdirSync(inbox).length > 0 ? 1 : 0;
  }
  assert.ok(interruptedWithFilesLeft > 0, 'at least one kill hit while scans were still being taken in');
  // A final clean run takes in whatever is left.
  const daemon = await startDaemon(dir, { port, configPath: join(dir, 'cusp.yaml') });
  t.after(() => daemon.stop('SIGKILL'));
  await until('the inbox to empty', () => readdirSync(inbox).length === 0, 120_000);
  const store = openStore(join(dir, 'data', 'cusp.db'), key);
  t.after(() => store.close());
  await until('every scan validated', () => (dbOf(store).prepare("SELECT count(*) AS n FROM scans WHERE status = 'received'").get() as { n: number }).n === 0 && store.scans.count() === 40, 120_000);
  const rows = dbOf(store).prepare('SELECT sha256, count(*) AS n FROM scans GROUP BY sha256').all() as Array<{ sha256: string; n: number }>;
  assert.equal(rows.length, 40, 'all 40 scans are stored');
  assert.ok(rows.every((r) => r.n === 1), 'none is stored twice');
  const hashes = new Set(rows.map((r) => r.sha256));
  const { createHash } = await import('node:crypto');
  for (const [name, bytes] of files) {
    assert.ok(hashes.has(createHash('sha256').update(bytes).digest('hex')), `${name} is stored`);
  }
  assert.equal(await daemon.stop(), 0);
  const verify = await runCli(['audit', 'verify', '--config', join(dir, 'cusp.yaml')], { cwd: dir });
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
});
