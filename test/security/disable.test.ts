// Point 6 of the security brief: a principal can be disabled (API and CLI, audited), and
// then its tokens and client certificates are refused at once; tokens are listed and
// revoked from the CLI.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { test } from 'node:test';
import { ApiError, CuspClient } from '../../src/api/client.js';
import { apiStack } from '../helpers/api.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { makeClientCa } from '../helpers/client-ca.js';
import { dbOf } from '../helpers/db.js';

test('a disabled principal: its token and its client certificate are refused at once; enabled again, both work', async (t) => {
  const clientCa = makeClientCa('Clinic integration CA');
  const api = await apiStack(t, { clientCa: clientCa.pem });
  const admin = api.as('admin');
  const bridge = await admin.createPrincipal('pms-bridge', 'integration');
  const { token } = await admin.issueToken(bridge.id, 'bridge');
  const viaToken = new CuspClient({ url: api.url, ca: api.ca, token });
  const cert = clientCa.issue('pms-bridge');
  const viaCert = () => new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path: '/api/v1/scans', ca: api.ca, cert: cert.pem, key: cert.keyPem }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal((await viaToken.send('GET', '/scans')).status, 200);
  assert.equal(await viaCert(), 200);

  // Revoking every token leaves the certificate working: disabling is what stops both.
  const disabled = await admin.send('POST', `/principals/${bridge.id}/disable`);
  assert.equal(disabled.status, 200);
  assert.equal((disabled.body as { disabled: boolean }).disabled, true);
  await assert.rejects(viaToken.listScans(), (e: ApiError) => e.status === 401 && /disabled/.test(e.message));
  assert.equal(await viaCert(), 401);
  assert.equal((await admin.send('POST', `/principals/${bridge.id}/disable`)).status, 409, 'disabled already');
  const self = api.store.principals.getByName('test-admin')!;
  assert.equal((await admin.send('POST', `/principals/${self.id}/disable`)).status, 409, 'an admin cannot lock themselves out');
  assert.equal((await api.as('auditor').send('POST', `/principals/${bridge.id}/enable`)).status, 403);

  assert.equal((await admin.send('POST', `/principals/${bridge.id}/enable`)).status, 200);
  assert.equal((await viaToken.send('GET', '/scans')).status, 200);
  assert.equal(await viaCert(), 200);
  const trail = dbOf(api.store).prepare("SELECT action, object FROM audit_events WHERE action IN ('principal.disable', 'principal.enable') ORDER BY seq").all();
  assert.deepEqual(trail, [{ action: 'principal.disable', object: `principal:${bridge.id}` }, { action: 'principal.enable', object: `principal:${bridge.id}` }]);
});

test('cusp token list, token revoke and principal disable against a running daemon', async (t) => {
  const dir = tempDir(t);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const daemon = await startDaemon(dir, { port: 19711, extraConfig: `store:\n  keyFile: ${keyFile}\n` });
  t.after(() => daemon.stop('SIGKILL'));
  const cli = (...args: string[]) => runCli([...args, '--config', daemon.configPath], { cwd: dir });
  const pms = (await cli('token', 'create', '--name', 'pms', '--role', 'integration')).stdout.trim();
  const lab = (await cli('token', 'create', '--name', 'lab', '--role', 'clinician')).stdout.trim();
  const scans = (token: string) => daemon.request('GET', '/api/v1/scans', { token }).then((r) => r.status);
  assert.deepEqual([await scans(pms), await scans(lab)], [200, 200]);

  const listed = await cli('token', 'list');
  assert.equal(listed.code, 0, listed.stderr);
  const lines = listed.stdout.trim().split('\n');
  assert.equal(lines[0], 'ID\tPRINCIPAL\tROLE\tNAME\tSTATE\tEXPIRES\tLAST USED');
  assert.deepEqual(lines.slice(1).map((l) => l.split('\t').slice(1, 5)), [['pms', 'integration', 'pms', 'active'], ['lab', 'clinician', 'lab', 'active']]);
  assert.ok(!listed.stdout.includes(pms) && !listed.stdout.includes(lab), 'no secret is shown');
  const pmsId = lines[1].split('\t')[0];

  const revoked = await cli('token', 'revoke', pmsId);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.equal(await scans(pms), 401, 'the running daemon refuses a token revoked by the CLI');
  assert.equal((await cli('token', 'revoke', pmsId)).code, 1);
  assert.match((await cli('token', 'revoke', '99999')).stderr, /no token 99999/);

  const off = await cli('principal', 'disable', 'lab');
  assert.equal(off.code, 0, off.stderr);
  assert.equal(await scans(lab), 401, 'the running daemon refuses a disabled principal\'s token');
  const json = JSON.parse((await cli('token', 'list', '--json')).stdout) as { tokens: Array<{ principal: string; state: string }> };
  assert.deepEqual(json.tokens.map((x) => [x.principal, x.state]), [['pms', 'revoked'], ['lab', 'disabled']]);
  assert.equal((await cli('principal', 'enable', 'lab')).code, 0);
  assert.equal(await scans(lab), 200);
});
