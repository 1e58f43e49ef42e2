// The LAN transport: TLS 1.2 and 1.3 only with forward-secret AEAD suites, a chain that
// verifies against the local CA, and mutual TLS that maps a client certificate to an
// integration principal.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import { connect, createServer, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { test } from 'node:test';
import { apiStack } from '../helpers/api.js';
import { certificate, makeClientCa, rsaKeys } from '../helpers/client-ca.js';
import { dbOf } from '../helpers/db.js';

/** Open a TLS connection; resolves with the socket once the handshake is done, rejects with its error. */
function handshake(port: number, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

test('TLS 1.0 and 1.1 are refused, 1.2 and 1.3 work, the chain verifies against the CA, and TLS 1.2 uses an ECDHE AEAD suite', async (t) => {
  const api = await apiStack(t);
  const old = { ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false };
  // A control server that does allow old versions: the same client handshakes with it, so
  // the refusals below are the API's doing, not a limit of this client.
  const keys = rsaKeys();
  const self = certificate('control', { key: keys.privateKey }, keys, false);
  const control = createServer({ key: self.keyPem, cert: self.pem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, (s) => s.end());
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  t.after(() => control.close());
  const controlPort = (control.address() as { port: number }).port;
  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    const ok = await handshake(controlPort, { ...old, minVersion: version, maxVersion: version });
    assert.equal(ok.getProtocol(), version);
    ok.destroy();
    await assert.rejects(handshake(api.port, { ...old, minVersion: version, maxVersion: version }), (e: NodeJS.ErrnoException) => /PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION|no protocols available/i.test(`${e.code} ${e.message}`), `${version} is refused`);
  }

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    const s = await handshake(api.port, { ca: api.ca, minVersion: version, maxVersion: version });
    assert.equal(s.getProtocol(), version);
    assert.equal(s.authorized, true, 'the chain verifies against the pinned CA, and 127.0.0.1 is in the certificate');
    if (version === 'TLSv1.2') assert.match(s.getCipher().name, /^ECDHE-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    const leaf = new X509Certificate(s.getPeerX509Certificate()!.raw);
    const ca = new X509Certificate(api.ca);
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the server certificate is signed by the CA file');
    assert.ok(leaf.checkIP('127.0.0.1'));
    s.destroy();
  }
  await assert.rejects(handshake(api.port, { minVersion: 'TLSv1.2' }), (e: NodeJS.ErrnoException) => /SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify/i.test(`${e.code} ${e.message}`), 'without the pinned CA the chain is not trusted');
  await assert.rejects(handshake(api.port, { ...old, maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-SHA:ECDHE-RSA-AES128-SHA' }), 'suites without forward secrecy or AEAD are refused');
});

test('mutual TLS: a client certificate from the client CA naming an integration client is that client; others are refused and audited', async (t) => {
  const clientCa = makeClientCa('Clinic integration CA');
  const api = await apiStack(t, { clientCa: clientCa.pem });
  const bridge = api.store.principals.create('pms-bridge', 'integration');
  api.store.principals.create('dr-who', 'clinician', 'user');
  const get = (path: string, tls: { cert?: string; key?: string }, token?: string) => new Promise<{ status: number; body: { error?: { message: string } } }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path: `/api/v1${path}`, ca: api.ca, ...tls, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { message: string } } }));
    });
    req.on('error', reject);
    req.end();
  });

  const good = clientCa.issue('pms-bridge');
  const ok = await get('/scans', { cert: good.pem, key: good.keyPem });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const listed = dbOf(api.store).prepare("SELECT actor FROM audit_events WHERE action = 'scan.list'").get() as { actor: string };
  assert.equal(listed.actor, `principal:${bridge.id}`, 'the certificate is the integration principal');
  assert.equal((await get('/principals', { cert: good.pem, key: good.keyPem })).status, 403, 'with the integration role only');

  const clinician = clientCa.issue('dr-who');
  const notIntegration = await get('/scans', { cert: clinician.pem, key: clinician.keyPem });
  assert.equal(notIntegration.status, 401);
  assert.match(notIntegration.body.error!.message, /not an enabled integration client/);
  const stranger = makeClientCa('Somebody else').issue('pms-bridge');
  const foreign = await get('/scans', { cert: stranger.pem, key: stranger.keyPem });
  assert.equal(foreign.status, 401);
  assert.match(foreign.body.error!.message, /not signed by the CA in api.tls.clientCaFile/);
  const fails = dbOf(api.store).prepare("SELECT details FROM audit_events WHERE action = 'auth.fail' ORDER BY seq").all() as Array<{ details: string }>;
  assert.deepEqual(fails.map((f) => JSON.parse(f.details).reason), ['client certificate names no enabled integration principal', 'client certificate not issued by the configured client CA']);

  assert.equal((await get('/scans', {})).status, 401, 'without a certificate or token: refused');
  assert.equal((await get('/scans', {}, api.tokens.clinician)).status, 200, 'tokens work as before');
});
