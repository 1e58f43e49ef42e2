import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CuspError } from '../../src/errors.js';
import { loadKey } from '../../src/store/key.js';
import { tempDir } from '../helpers/temp.js';

const HEX = 'ab'.repeat(32);

test('a key file readable by group or others is refused with the chmod to run', (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, `${HEX}\n`, { mode: 0o640 });
  chmodSync(keyFile, 0o640);
  assert.throws(() => loadKey({ keyFile, credentialName: 'cusp.key', allowGenerate: false }), (err: unknown) => {
    assert.ok(err instanceof CuspError);
    assert.match(err.message, /readable by group or others \(mode 640\) — run 'chmod 600 /);
    return true;
  });
  chmodSync(keyFile, 0o600);
  const key = loadKey({ keyFile, credentialName: 'cusp.key', allowGenerate: false });
  assert.equal(key.source, 'file');
  assert.equal(key.bytes.toString('hex'), HEX);
});

test('a missing key file is an error unless generation is allowed (built-in default only)', (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'sub', 'cusp.key');
  assert.throws(() => loadKey({ keyFile, credentialName: 'cusp.key', allowGenerate: false }), /does not exist/);
  const generated = loadKey({ keyFile, credentialName: 'cusp.key', allowGenerate: true });
  assert.equal(generated.source, 'generated');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.match(readFileSync(keyFile, 'utf8'), /^[0-9a-f]{64}\n$/);
  const again = loadKey({ keyFile, credentialName: 'cusp.key', allowGenerate: true });
  assert.equal(again.source, 'file', 'the second start reads the generated key, never replaces it');
  assert.deepEqual(again.bytes, generated.bytes);
});

test('a systemd credential wins over the key file', (t) => {
  const dir = tempDir(t);
  const creds = join(dir, 'creds');
  mkdirSync(creds);
  writeFileSync(join(creds, 'cusp.key'), HEX);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, 'cd'.repeat(32), { mode: 0o600 });
  const key = loadKey({ keyFile, credentialName: 'cusp.key', credentialsDirectory: creds, allowGenerate: false });
  assert.equal(key.source, 'credential');
  assert.equal(key.bytes.toString('hex'), HEX);
});

test('a key file that is not 64 hex characters is refused and its content is not echoed', (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, 'correct horse battery staple', { mode: 0o600 });
  assert.throws(() => loadKey({ keyFile, credentialName: 'cusp.key', allowGenerate: false }), (err: unknown) => {
    assert.ok(err instanceof CuspError);
    assert.match(err.message, /is not a Cusp key: expected 64 hex characters/);
    assert.doesNotMatch(err.message, /horse/);
    return true;
  });
});
