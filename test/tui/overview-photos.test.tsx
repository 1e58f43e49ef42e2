// The console counts photos beside scans: a photo dropped into a real daemon's folder shows
// as "photos today 1", and a dark one as one to check.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jpeg, toothPhoto } from '../images/photos.js';
import { assertFits, consoleDaemon, Connection, renderConsole } from './console-helpers.js';

test('the overview counts the photos that arrived today, and those whose quality needs a look', async (t) => {
  const { socketPath, inbox } = await consoleDaemon(t);
  const app = renderConsole(t, Connection.socket(socketPath));
  await app.waitFor(/Daemon\s+ready.*live/);
  let frame = await app.waitFor(/Scans\s+today 0 · this week 0 · unassigned 0 · photos today 0/);
  writeFileSync(join(inbox, 'Mustermann_Erika_2026-11-20_frontal.jpg'), jpeg(toothPhoto(800, 600, 5)));
  writeFileSync(join(inbox, 'Mustermann_Erika_2026-11-20_links.jpg'), jpeg(toothPhoto(800, 600, 6, 0.15)));
  frame = await app.waitFor(/photos today 2 \(1 to check\)/, 90_000);
  assertFits(frame);
  assert.equal(existsSync(join(inbox, 'Mustermann_Erika_2026-11-20_frontal.jpg')), false, 'the photo left the drop folder once stored');
});
