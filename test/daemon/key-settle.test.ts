// An interrupted `cusp key rotate` beside the running daemon is judged by the daemon, which
// knows the key its open database is under: a pending key it never used is set aside and never
// taken afterwards (a killed CLI's request arriving late is refused); a pending key it did
// rotate to becomes the key file. Either way the key file ends as the database's key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { openDatabase } from '../../src/store/database.js';
import { readKeyFile } from '../../src/store/key.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const writeKey = (path: string, key: Buffer) => writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600 });

test('a leftover pending key beside the running daemon: unused ones are set aside and refused later, a used one becomes the key file', async (t) => {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const keyFile = join(data, 'cusp.key');
  writeKey(keyFile, randomBytes(32));
  const daemon = await startDaemon(dir);
  t.after(() => daemon.stop('SIGKILL'));
  const admin = new CuspClient({ socketPath: join(data, 'cusp.sock') });
  const rotate = () => runCli(['key', 'rotate', '--config', daemon.configPath], { cwd: dir });
  const original = readKeyFile(keyFile);

  // 1. A CLI killed after writing its pending key, before the daemon rotated to it.
  const unused = randomBytes(32);
  writeKey(`${keyFile}.new`, unused);
  const first = await rotate();
  assert.equal(first.code, 0, first.stderr);
  const [aside] = readdirSync(data).filter((n) => n.startsWith('cusp.key.new.unused-'));
  assert.ok(aside, `the unused pending key was set aside, never deleted: ${readdirSync(data).join(' ')}`);
  assert.deepEqual(readKeyFile(join(data, aside)), unused);
  const afterFirst = readKeyFile(keyFile);
  assert.ok(!afterFirst.equals(original) && !afterFirst.equals(unused), 'the new rotation went through with a key of its own');

  // Its request arriving late: refused, the database stays under the key file's key.
  await assert.rejects(admin.call('POST', '/maintenance/key-rotate', { body: { newKeyFile: join(data, aside) } }), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 409);
    assert.match(err.message, /was set aside as unused by a later cusp key rotate/);
    return true;
  });

  // 2. A CLI killed after the daemon rotated to its pending key, before renaming it.
  const used = randomBytes(32);
  writeKey(`${keyFile}.new`, used);
  const answer = await admin.call<{ rotated: boolean }>('POST', '/maintenance/key-rotate', { body: { newKeyFile: `${keyFile}.new` } });
  assert.equal(answer.rotated, true);
  const second = await rotate();
  assert.equal(second.code, 0, second.stderr);
  assert.equal(existsSync(`${keyFile}.new`), false);
  assert.equal(readdirSync(data).filter((n) => n.startsWith('cusp.key.new.unused-')).length, 1, 'the used key was not set aside');
  assert.equal(existsSync(join(data, 'cusp.db.pre-rekey')), false, 'the safety copy was settled');
  const final = readKeyFile(keyFile);
  assert.ok(![original, unused, afterFirst, used].some((k) => k.equals(final)), 'the second rotation went through after settling');

  // The database is under the key file's key, and only under it.
  assert.equal(await daemon.stop(), 0, daemon.output());
  const db = openDatabase(join(data, 'cusp.db'), final);
  assert.equal(db.pragma('quick_check', { simple: true }), 'ok');
  db.close();
  for (const old of [original, unused, afterFirst, used]) assert.throws(() => openDatabase(join(data, 'cusp.db'), old), /the key does not open/);
});
