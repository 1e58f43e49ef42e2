// Point 5 of the security brief: the auditor role never receives file names (which carry
// patient names) in the changes feed or the live events; clinical roles still do.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventSubscription, ServerEvent } from '../../src/api/sse-reader.js';
import { apiStack } from '../helpers/api.js';

const NAME = 'Geheimname_Greta_1955-05-05_upper.stl';

async function firstEvent(sub: EventSubscription, type: string): Promise<ServerEvent> {
  const timer = setTimeout(() => sub.close(), 30_000);
  try {
    for await (const e of sub) if (e.event === type) return e;
    throw new Error(`the stream ended without ${type}`);
  } finally {
    clearTimeout(timer);
    sub.close();
  }
}

test('a named file is quarantined: the auditor sees that it happened in /changes and /events, never its name', async (t) => {
  const api = await apiStack(t);
  const auditorLive = await api.as('auditor').events();
  const adminLive = await api.as('admin').events();
  writeFileSync(join(api.inbox, NAME), 'this is not a mesh at all, just text from a broken export\n'.repeat(20));
  const outcome = await api.ingest.ingestFolderFile({ folder: api.folder, path: join(api.inbox, NAME), relativePath: NAME, firstSeenMs: Date.now() - 3_600_000 }) // seen long ago: no grace for a writer still at work;
  assert.equal(outcome.kind, 'quarantined');

  const auditorChanges = await api.as('auditor').send('GET', '/changes');
  assert.equal(auditorChanges.status, 200);
  const text = JSON.stringify(auditorChanges.body);
  assert.ok(!text.includes('Geheimname') && !text.includes('1955'), `no file name for the auditor: ${text}`);
  const change = (auditorChanges.body as { changes: Array<{ type: string; objectId: string; data: Record<string, unknown> }> }).changes.find((c) => c.type === 'scan.quarantined');
  assert.deepEqual(change && { objectId: change.objectId, data: change.data }, { objectId: 'inbox', data: { redacted: true } }, 'the auditor still learns that a file of folder inbox was quarantined');

  const auditorEvent = await firstEvent(auditorLive, 'scan.quarantined');
  assert.ok(!JSON.stringify(auditorEvent.data).includes('Geheimname'), JSON.stringify(auditorEvent.data));

  // The control: the clinical view does carry the name, so the checks above can fail.
  assert.ok(JSON.stringify((await api.as('admin').send('GET', '/changes')).body).includes('Geheimname'));
  assert.ok(JSON.stringify((await firstEvent(adminLive, 'scan.quarantined')).data).includes('Geheimname'));
  assert.ok(JSON.stringify((await api.as('integration').send('GET', '/changes')).body).includes('Geheimname'));
});
