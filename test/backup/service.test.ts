import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BackupService } from '../../src/backup/service.js';
import { configSchema } from '../../src/config/index.js';
import { captureLogging } from '../helpers/logging.js';
import { installation } from './installation.js';
import { dbOf } from '../helpers/db.js';

test('the daemon\'s backups: automatic names in backup.dir, rotation to backup.keep, hand-named ones kept, every backup and failure in the audit trail', async (t) => {
  const inst = installation(t);
  const backups = join(inst.dir, 'backups');
  const config = configSchema.parse({
    dataDir: inst.dir, store: { path: inst.files.dbPath }, audit: { checkpointFile: inst.files.checkpointFile, signingKeyFile: inst.files.signingKeyFile },
    api: { tls: { caFile: inst.files.caFile, caKeyFile: inst.files.caKeyFile } }, backup: { dir: backups, keep: 2 },
  });
  const captured = captureLogging();
  t.after(() => captured.logging.close());
  let now = Date.parse('2026-05-01T03:00:00Z');
  const service = new BackupService({ config, audit: inst.audit, log: captured.logging.logger('store'), dbKey: () => inst.key, cuspVersion: 'test', clock: () => now });

  const made = [];
  for (let i = 0; i < 3; i++) {
    made.push(await service.backup({ actor: 'system', reason: 'scheduled' }));
    now += 86_400_000;
  }
  const named = await service.backup({ actor: 'local-admin', reason: 'manual', file: join(backups, 'before-update.cuspbak') });
  assert.deepEqual(made[2].pruned, [join(backups, 'cusp-20260501-030000.cuspbak')]);
  assert.deepEqual(named.pruned, []);
  assert.deepEqual(readdirSync(backups).sort(), ['before-update.cuspbak', 'cusp-20260502-030000.cuspbak', 'cusp-20260503-030000.cuspbak']);

  await assert.rejects(service.backup({ actor: 'local-admin', reason: 'manual', file: join(backups, 'before-update.cuspbak') }), /already exists/);
  const events = dbOf(inst.store).prepare("SELECT actor, outcome, details FROM audit_events WHERE action = 'backup.create' ORDER BY seq").all() as Array<{ actor: string; outcome: string; details: string }>;
  assert.deepEqual(events.map((e) => [e.actor, e.outcome, JSON.parse(e.details).reason]), [
    ['system', 'success', 'scheduled'], ['system', 'success', 'scheduled'], ['system', 'success', 'scheduled'], ['local-admin', 'success', 'manual'], ['local-admin', 'failure', 'manual'],
  ]);
  assert.equal(inst.verify().ok, true);
});
