// Watched folders through the API, on a real FolderManager: list, add, pause, resume,
// remove, the quarantine with reasons, and the filename-rule tester.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ApiError } from '../../src/api/client.js';
import { FolderManager } from '../../src/ingest/folder-manager.js';
import { apiStack } from '../helpers/api.js';
import { dbOf } from '../helpers/db.js';
import type { Store } from '../../src/store/store.js';

async function withFolders(t: TestContext) {
  let manager: FolderManager | undefined;
  const api = await apiStack(t, {
    services: (s) => {
      manager = new FolderManager({ folders: [s.folder], dataDir: s.dataDir, store: s.store, audit: s.audit, bus: s.bus, log: s.captured.logging.logger('ingest'), ingest: s.ingest });
      return { folders: manager };
    },
  });
  await manager!.start();
  t.after(() => manager!.stop());
  const adminId = api.store.principals.getByName('test-admin')!.id;
  return { ...api, manager: manager!, adminId };
}

const actions = (api: { store: Store }) =>
  (dbOf(api.store).prepare('SELECT action, actor, object FROM audit_events ORDER BY seq').all() as Array<{ action: string; actor: string; object: string | null }>);

test('an admin lists, adds, pauses, resumes and removes watched folders; each change is audited with who did it', async (t) => {
  const api = await withFolders(t);
  const admin = api.as('admin');
  const listed = await admin.listFolders();
  assert.deepEqual(listed.folders.map((f) => [f.name, f.origin, f.paused]), [['inbox', 'config', false]]);

  const extra = join(api.dir, 'lab-drop');
  const added = await admin.addFolder({ path: extra, name: 'lab', rule: 'itero', after: 'keep' });
  assert.equal(added.name, 'lab');
  assert.equal(added.origin, 'runtime');
  assert.equal(added.rule, 'itero');
  assert.deepEqual((await admin.listFolders()).folders.map((f) => f.name).sort(), ['inbox', 'lab']);

  const paused = await admin.setFolderPaused('lab', true);
  assert.equal(paused.paused, true);
  assert.equal(paused.state, 'paused');
  assert.equal((await admin.setFolderPaused('lab', false)).paused, false);

  await assert.rejects(admin.removeFolder('inbox'), (e: ApiError) => e.status === 409 && /config file/.test(e.message));
  await admin.removeFolder('lab');
  assert.deepEqual((await admin.listFolders()).folders.map((f) => f.name), ['inbox']);
  await assert.rejects(admin.setFolderPaused('lab', true), (e: ApiError) => e.status === 404);

  const trail = actions(api).filter((a) => a.action.startsWith('folder.'));
  assert.deepEqual(trail.map((a) => a.action), ['folder.add', 'folder.pause', 'folder.resume', 'folder.remove']);
  assert.ok(trail.every((a) => a.actor === `principal:${api.adminId}` && a.object === 'folder:lab'));
  const again = await admin.addFolder({ path: extra, name: 'lab' });
  assert.equal(again.name, 'lab', 'a removed folder can be added again');
  await assert.rejects(admin.addFolder({ path: join(extra, 'inner'), name: 'inner' }), (e: ApiError) => e.status === 409 && /overlaps/.test(e.message));
});

test('the quarantine lists each file a folder could not take in, with its reason, and reading it is audited', async (t) => {
  const api = await withFolders(t);
  mkdirSync(join(api.inbox, 'case7'));
  const broken = join(api.inbox, 'case7', 'Doe_Jane_upper.stl');
  writeFileSync(broken, 'solid x\nfacet normal 0 0 1\nendsolid');
  await api.ingest.quarantine(api.folder, broken, 'case7/Doe_Jane_upper.stl', 'scan.stl is truncated: header says 12 triangles, file holds 0');
  const q = await api.as('admin').quarantine('inbox');
  assert.equal(q.folder, 'inbox');
  assert.equal(q.files.length, 1, 'the .reason.txt note is not listed as a file of its own');
  assert.equal(q.files[0].file, 'case7/Doe_Jane_upper.stl');
  assert.match(q.files[0].reason ?? '', /truncated: header says 12 triangles/);
  assert.ok(q.files[0].size > 0);
  const read = actions(api).find((a) => a.action === 'folder.quarantine.list');
  assert.deepEqual(read, { action: 'folder.quarantine.list', actor: `principal:${api.adminId}`, object: 'folder:inbox' });
  await assert.rejects(api.as('admin').quarantine('nowhere'), (e: ApiError) => e.status === 404);
});

test('the rule tester shows what a rule makes of sample names, before anything is saved', async (t) => {
  const api = await withFolders(t);
  const admin = api.as('admin');
  const named = await admin.testRule('{lastName}_{firstName}_{date}_{jaw}', ['Smith_John_2026-11-20_upper.stl', 'nothing-to-see.stl']);
  assert.equal(named.results[0].identity.patient?.lastName, 'Smith');
  assert.equal(named.results[0].identity.patient?.firstName, 'John');
  assert.equal(named.results[0].identity.capturedAt, '2026-11-20');
  assert.equal(named.results[0].identity.jaw, 'upper');
  assert.equal(named.results[1].identity.patient, null, 'a name the rule does not fit stays unassigned');

  const itero = await admin.testRule('itero', ['OrthoCAD_Export_76392642/76392642_shell_occlusion_l.stl']);
  assert.equal(itero.results[0].identity.jaw, 'lower');
  assert.deepEqual(itero.results[0].identity.patient?.orderId, { system: 'itero-order', value: '76392642' }, 'an order id is the order, not the person');
  assert.equal(itero.results[0].identity.patient?.externalId, undefined);
  assert.deepEqual(itero.results[0].evidence.fields.jaw, { value: 'lower', source: 'name' });

  // A Primescan session folder as the patient folder: its date is the visit's, never a birth date.
  const session = await admin.testRule('primescan', ['Meier_Anna_2026-12-02/UpperJaw/Data.obj'], 'patient-subfolder');
  assert.equal(session.results[0].identity.patient?.birthDate, undefined);
  assert.equal(session.results[0].identity.capturedAt, '2026-12-02');
  assert.deepEqual(session.results[0].evidence.fields.capturedAt, { value: '2026-12-02', source: 'folder' });
  assert.deepEqual(session.results[0].evidence.fields.lastName, { value: 'Meier', source: 'folder' });
  assert.deepEqual(session.results[0].evidence.fields.jaw, { value: 'upper', source: 'name' });

  const bySubfolder = await admin.testRule('generic', ['Smith_John/upper.stl'], 'patient-subfolder');
  assert.equal(bySubfolder.results[0].identity.patient?.lastName, 'Smith');

  await assert.rejects(admin.testRule('{nosuchfield}_x', ['a.stl']), (e: ApiError) => e.status === 400 && /body\.rule/.test(e.message));
  await assert.rejects(admin.testRule('generic', ['../../etc/passwd']), (e: ApiError) => e.status === 400 && /inside the folder/.test(e.message));
  await assert.rejects(admin.testRule('generic', []), (e: ApiError) => e.status === 400);
  assert.equal((await admin.listFolders()).folders[0].rule, 'generic', 'testing saved nothing');
});
