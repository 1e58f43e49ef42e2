// A scanner that writes the file again right after Cusp read and stored it — racing the
// removal of the original. Whichever wins, nothing is lost: a rewrite that lands before the
// removal's re-check keeps the file (it is read again and stored as well); one that lands
// after it is a new file under the same name (a new arrival). Both byte sequences end up
// stored, the drop folder empties, the audit chain verifies.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';
import { startDaemon, writeConfig } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { assertAnswers, assertAuditIntact, assertNothingLost, Ledger, whereIsEverything } from './harness.js';

const skip = !hasCorpus() && 'no corpus';
const PORT = 19220;

function variant(relative: string, tag: string): Buffer {
  const bytes = Buffer.from(corpusBytes(relative));
  bytes.fill(0x20, 0, 80);
  bytes.write(`cusp race test ${tag}`, 0, 'latin1');
  return bytes;
}

test('a file rewritten the moment Cusp stored it is never lost: both versions are stored', { skip, timeout: 600_000 }, async (t) => {
  const dir = tempDir(t, 'cusp-race-');
  const keyFile = join(dir, 'cusp.key');
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const configPath = writeConfig(dir, PORT, `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: inbox\n    stabilitySeconds: 0.2\n    rescanMinutes: 0.05\n`);
  const daemon = await startDaemon(dir, { configPath, port: PORT });
  t.after(() => daemon.stop('SIGKILL'));

  const ledger = new Ledger();
  const ROUNDS = 12;
  let pending: { path: string; bytes: Buffer; name: string } | undefined;
  let stored = 0;
  // React to the daemon's own "stored scan" line (written right before it removes the
  // original): rewrite the file by its name at once, as a scanner re-exporting would.
  const onOutput = (chunk: Buffer) => {
    const n = chunk.toString().match(/stored scan /g)?.length ?? 0;
    stored += n;
    if (n > 0 && pending) {
      writeFileSync(pending.path, pending.bytes);
      ledger.add(pending.name, pending.bytes);
      pending = undefined;
    }
  };
  daemon.child.stdout!.on('data', onOutput);
  daemon.child.stderr!.on('data', onOutput);
  for (let i = 0; i < ROUNDS; i++) {
    const path = join(inbox, `race-${i}.stl`);
    const first = variant('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl', `${i} first`);
    const second = variant('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl', `${i} rewritten`);
    ledger.add(`race-${i} first`, first);
    const before = stored;
    pending = { path, bytes: second, name: `race-${i} rewritten` };
    writeFileSync(path, first);
    // Its rewrite is stored too before the next round starts.
    await until(`round ${i} to be stored twice`, () => stored >= before + 2, 120_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${daemon.output().split('\n').slice(-15).join('\n')}`);
    });
  }
  await until('the drop folder to be empty', () => readdirSync(inbox).length === 0, 120_000);
  await assertAnswers(daemon);
  const changed = daemon.output().match(/changed after Cusp read it/g)?.length ?? 0;
  t.diagnostic(`${changed} of ${ROUNDS} rewrites landed before the removal's re-check (kept and read again); the others came after it (a new file)`);

  const places = { dbPath: join(dir, 'data', 'cusp.db'), key, dropDirs: [inbox], quarantineDirs: [join(dir, 'data', 'quarantine')] };
  assertNothingLost(ledger, places);
  assert.equal(ledger.size, ROUNDS * 2);
  assert.deepEqual([...whereIsEverything(ledger, places).values()].filter((w) => w !== 'stored'), [], 'both versions of every file are stored');
  await daemon.stop('SIGTERM');
  await assertAuditIntact(configPath, dir);
});
