// Point 7 of the security brief: the local CA carries name constraints for this host's names
// and networks; the server certificate still validates (OpenSSL and Node's tls); names
// outside are left out of it and reported; an older CA without constraints is kept.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { test } from 'node:test';
import forge from 'node-forge';
import { ensureTls } from '../../src/security/tls.js';
import { tempDir } from '../helpers/temp.js';

const SANS = { dns: ['localhost', 'cusp-server'], ips: ['127.0.0.1', '::1'] };

function paths(dir: string) {
  return { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), caFile: join(dir, 'ca.crt'), caKeyFile: join(dir, 'ca.key') };
}

test('a new local CA is constrained to the host\'s names and networks; its server certificate validates with OpenSSL and Node', async (t) => {
  const dir = tempDir(t);
  const p = paths(dir);
  const tls = ensureTls(p, SANS);
  assert.equal(tls.caNameConstraints, true);
  const text = execFileSync('openssl', ['x509', '-in', p.caFile, '-noout', '-text'], { encoding: 'utf8' });
  const block = /X509v3 Name Constraints: critical\n\s+Permitted:\n((?:\s+(?:DNS|IP):.*\n)+)/.exec(text);
  assert.ok(block, text);
  assert.deepEqual(block[1].trim().split(/\n\s+/), ['DNS:cusp-server', 'DNS:localhost', 'IP:127.0.0.0/255.0.0.0', 'IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF']);
  assert.match(execFileSync('openssl', ['verify', '-CAfile', p.caFile, p.certFile], { encoding: 'utf8' }), /server\.crt: OK/);

  // Node's tls: a client pinning the CA accepts the server for 127.0.0.1 and cusp-server.
  const server = createServer({ key: tls.key, cert: tls.cert }, (s) => s.end('hi'));
  await new Promise<void>((r) => server.listen(19730, '127.0.0.1', r));
  t.after(() => server.close());
  for (const servername of ['cusp-server', undefined]) {
    const socket = connect({ host: '127.0.0.1', port: 19730, ca: tls.ca, servername });
    await new Promise<void>((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
    assert.equal(socket.authorized, true, `validated for ${servername ?? '127.0.0.1'}`);
    socket.destroy();
  }

  // A certificate the CA key signs for a name outside its constraints is refused by OpenSSL:
  // a stolen ca.key cannot impersonate another site.
  const caCert = forge.pki.certificateFromPem(tls.ca);
  const caKey = forge.pki.privateKeyFromPem(readFileSync(p.caKeyFile, 'utf8'));
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024 });
  const rogue = forge.pki.createCertificate();
  rogue.publicKey = keys.publicKey;
  rogue.serialNumber = '01';
  rogue.validity.notBefore = new Date(Date.now() - 60_000);
  rogue.validity.notAfter = new Date(Date.now() + 86_400_000);
  rogue.setSubject([{ name: 'commonName', value: 'bank.example.com' }]);
  rogue.setIssuer(caCert.subject.attributes);
  rogue.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: 'bank.example.com' }] }]);
  rogue.sign(caKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  writeFileSync(join(dir, 'rogue.crt'), forge.pki.certificateToPem(rogue));
  assert.throws(() => execFileSync('openssl', ['verify', '-CAfile', p.caFile, join(dir, 'rogue.crt')], { stdio: 'pipe' }), /permitted subtree violation/);

  // A later name outside the constraints is left out of the server certificate and reported.
  const later = ensureTls(p, { dns: [...SANS.dns, 'cusp.praxis.lan'], ips: [...SANS.ips, '192.0.2.10'] });
  assert.deepEqual(later.outsideCa, ['cusp.praxis.lan', '192.0.2.10']);
  assert.match(execFileSync('openssl', ['verify', '-CAfile', p.caFile, p.certFile], { encoding: 'utf8' }), /OK/);
});

test('an existing CA without name constraints is kept as it is, not replaced silently', (t) => {
  const dir = tempDir(t);
  const p = paths(dir);
  // A CA as earlier versions made it: no name constraints.
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024 });
  const ca = forge.pki.createCertificate();
  ca.publicKey = keys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date(Date.now() - 60_000);
  ca.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  ca.setSubject([{ name: 'commonName', value: 'Cusp local CA (old)' }]);
  ca.setIssuer([{ name: 'commonName', value: 'Cusp local CA (old)' }]);
  ca.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]);
  ca.sign(keys.privateKey, forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(ca);
  writeFileSync(p.caFile, pem);
  writeFileSync(p.caKeyFile, forge.pki.privateKeyToPem(keys.privateKey), { mode: 0o600 });
  const tls = ensureTls(p, SANS);
  assert.equal(tls.created, 'server');
  assert.equal(tls.caNameConstraints, false);
  assert.equal(readFileSync(p.caFile, 'utf8'), pem, 'the pinned CA file is untouched');
  assert.ok(new X509Certificate(readFileSync(p.certFile)).checkIssued(new X509Certificate(pem)));
});
