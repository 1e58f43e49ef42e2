import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureTls, fingerprint } from '../../src/security/tls.js';
import { tempDir } from '../helpers/temp.js';

const SANS = { dns: ['localhost', 'cusp-server'], ips: ['127.0.0.1', '::1'] };

function paths(dir: string) {
  return { certFile: join(dir, 'tls/server.crt'), keyFile: join(dir, 'tls/server.key'), caFile: join(dir, 'tls/ca.crt'), caKeyFile: join(dir, 'tls/ca.key') };
}

test('first start makes a local CA and a server certificate that chains to it', (t) => {
  const dir = tempDir(t);
  const p = paths(dir);
  const tls = ensureTls(p, SANS);
  assert.equal(tls.created, 'ca+server');
  const ca = new X509Certificate(readFileSync(p.caFile));
  const server = new X509Certificate(readFileSync(p.certFile));
  assert.equal(ca.ca, true);
  assert.equal(server.ca, false);
  assert.ok(server.verify(ca.publicKey), 'server certificate is signed by the CA');
  assert.ok(server.checkIssued(ca));
  assert.equal(server.checkHost('cusp-server'), 'cusp-server');
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(tls.caFingerprint, fingerprint(readFileSync(p.caFile, 'utf8')));
  assert.match(tls.caFingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const days = (tls.serverExpiresAt.getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 390 && days <= 397, `server certificate valid for ~397 days, got ${days}`);
  assert.equal(statSync(p.keyFile).mode & 0o777, 0o600);
  assert.equal(statSync(p.caKeyFile).mode & 0o777, 0o600);
});

test('a second start reuses the certificates; a new host name renews only the server certificate', (t) => {
  const dir = tempDir(t);
  const p = paths(dir);
  const first = ensureTls(p, SANS);
  const second = ensureTls(p, SANS);
  assert.equal(second.created, 'none');
  assert.equal(second.cert, first.cert);
  // A new name inside the CA's name constraints (a subdomain of a host name, another
  // loopback address) renews the server certificate under the same CA.
  const third = ensureTls(p, { dns: [...SANS.dns, 'api.cusp-server'], ips: [...SANS.ips, '127.0.0.2'] });
  assert.equal(third.created, 'server');
  assert.equal(third.caFingerprint, first.caFingerprint, 'the pinned CA stays the same');
  const server = new X509Certificate(readFileSync(p.certFile));
  assert.equal(server.checkHost('api.cusp-server'), 'api.cusp-server');
  assert.equal(server.checkIP('127.0.0.2'), '127.0.0.2');
  assert.deepEqual(third.outsideCa, []);
});

test('certificate serials are positive DER integers without padding, however the random bytes fall', async () => {
  const { certificateSerial } = await import('../../src/security/tls.js');
  for (let i = 0; i < 2000; i++) {
    const hex = certificateSerial();
    assert.equal(hex.length, 32);
    const first = parseInt(hex.slice(0, 2), 16);
    assert.ok(first >= 1 && first <= 0x7f, `first byte ${first}`);
  }
});
