// Point 4 of the security brief: watched folders stay inside the configured roots (API and
// config check), and no user regex runs unbounded on the API's thread.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { main } from '../../daemon/main.js';
import { FolderManager } from '../../src/ingest/folder-manager.js';
import { apiStack } from '../helpers/api.js';
import { tempDir } from '../helpers/temp.js';

async function withRoots(t: TestContext, roots: (dir: string, dataDir: string) => string[]) {
  let manager: FolderManager | undefined;
  const api = await apiStack(t, {
    services: (s) => {
      manager = new FolderManager({ folders: [s.folder], dataDir: s.dataDir, roots: roots(s.dir, s.dataDir), store: s.store, audit: s.audit, bus: s.bus, log: s.captured.logging.logger('ingest'), ingest: s.ingest });
      return { folders: manager };
    },
  });
  await manager!.start();
  t.after(() => manager!.stop());
  return api;
}

test('POST /folders refuses a path, quarantine or archive outside folderRoots (links followed); inside is fine', async (t) => {
  const api = await withRoots(t, (dir) => [join(dir, 'drop')]);
  const outside = tempDir(t); // a folder somewhere else on the host, with a file in it
  writeFileSync(join(outside, 'precious.txt'), 'not a scan');
  mkdirSync(join(api.dir, 'drop'));
  symlinkSync(outside, join(api.dir, 'drop', 'sneaky'));
  const admin = api.as('admin');
  const refusals = [
    { name: 'etc', path: outside },
    { name: 'link', path: join(api.dir, 'drop', 'sneaky', 'x') },
    { name: 'q', path: join(api.dir, 'drop', 'q'), quarantineDir: outside },
    { name: 'a', path: join(api.dir, 'drop', 'a'), after: 'archive', archiveDir: join(outside, 'archive') },
  ];
  for (const body of refusals) {
    const res = await admin.send('POST', '/folders', { body });
    assert.equal(res.status, 400, `${body.name}: ${JSON.stringify(res.body)}`);
    assert.match((res.body as { error: { message: string } }).error.message, /is outside the folders Cusp may use for drop folders \(.*drop\) — choose a folder below one of them, or add its parent to folderRoots/);
  }
  const ok = await admin.send('POST', '/folders', { body: { name: 'trios', path: join(api.dir, 'drop', 'trios'), quarantineDir: join(api.dir, 'drop', 'quarantine') } });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual((await admin.call<{ folders: Array<{ name: string }> }>('GET', '/folders')).folders.map((f) => f.name).sort(), ['inbox', 'trios']);
});

test('cusp config check refuses a folder outside folderRoots with the key and a clear message', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'cusp.yaml');
  writeFileSync(config, `dataDir: ./data\nfolderRoots: [/srv/cusp]\nfolders:\n  - path: /home/dr/scans\n`);
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  err.on('data', (c: Buffer) => (text += c.toString()));
  const status = await main(['config', 'check', '--config', config], { stdout: out, stderr: err, env: {} });
  assert.notEqual(status, 0);
  assert.match(text, /folders\[0\]\.path.*\(\/home\/dr\/scans\) is outside folderRoots \(\/srv\/cusp\)/);
  writeFileSync(config, `dataDir: ./data\nfolderRoots: [/srv/cusp]\nfolders:\n  - path: /srv/cusp/inbox\n    quarantineDir: /srv/cusp/quarantine\n`);
  assert.equal(await main(['config', 'check', '--config', config], { stdout: out, stderr: err, env: {} }), 0, text);
});

test('a catastrophic regex is refused by test-rule and POST /folders while /health keeps answering', async (t) => {
  const api = await withRoots(t, (dir) => [dir]);
  const admin = api.as('admin');
  const evil = 're:^(?<lastName>(a+)+)_x$';
  // /health, over and over, while the rule is checked: count the answers that arrive.
  let answered = 0;
  let testing = true;
  const health = (async () => {
    while (testing) {
      assert.equal((await api.as(null).send('GET', '/health')).status, 200);
      answered++;
    }
  })();
  const tried = await admin.send('POST', '/folders/test-rule', { body: { rule: evil, names: [`${'a'.repeat(34)}!`] } });
  const duringTry = answered;
  const saved = await admin.send('POST', '/folders', { body: { name: 'evil', path: join(api.dir, 'evil'), rule: evil } });
  testing = false;
  await health;
  assert.equal(tried.status, 400, JSON.stringify(tried.body));
  assert.match((tried.body as { error: { message: string } }).error.message, /body\.rule: rule re:.* takes longer than 200 ms .* backtracks catastrophically/);
  assert.equal(saved.status, 400, JSON.stringify(saved.body));
  assert.ok(duringTry >= 2, `/health answered ${duringTry} times while the regex ran (a frozen thread answers none: (a+)+ on 34 a's takes seconds)`);

  const fine = await admin.send('POST', '/folders/test-rule', { body: { rule: 're:^(?<lastName>[^_]+)_(?<firstName>[^_]+)_', names: ['Muster_Max_upper.stl'] } });
  assert.equal(fine.status, 200, JSON.stringify(fine.body));
  assert.equal((fine.body as { results: Array<{ identity: { patient?: { lastName?: string } } }> }).results[0].identity.patient?.lastName, 'Muster');
});
