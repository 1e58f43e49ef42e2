import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ago, bar, bytes, dayAndWeekStart, duration, fit, fitStart, minutes, reasonWithoutName } from '../../tui/format.js';

test('fit cuts long text with … to the width and pads when asked; fitStart keeps the end of a path', () => {
  assert.equal(fit('Mustermann_Erika_2026-11-20_upper.stl', 10), 'Musterman…');
  assert.equal(fit('short', 8, true), 'short   ');
  assert.equal(fit('a\nb', 5), 'a b');
  assert.equal(fitStart('/srv/cusp/data/cusp.sock', 12), '…a/cusp.sock');
});

test('sizes, durations, relative times and bars read as a person expects', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(250 * 1024 ** 3), '250 GiB');
  assert.equal(duration(125), '2m 5s');
  assert.equal(duration(93784), '1d 2h');
  const now = Date.parse('2026-11-20T12:00:00Z');
  assert.equal(ago('2026-11-20T11:57:00Z', now), '3m 0s ago');
  assert.equal(ago('2026-11-22T12:00:00Z', now), 'in 2d 0h');
  assert.equal(bar(0.5, 10), '█████░░░░░');
  assert.equal(bar(2, 4), '████');
  assert.equal(minutes(15), '15 minutes');
  assert.equal(minutes(1), '1 minute');
  assert.equal(minutes(0.5), '30s');
  assert.equal(reasonWithoutName('scan.stl: header says 12 triangles', 'case/scan.stl'), 'header says 12 triangles');
  assert.equal(reasonWithoutName('scan.stl is truncated: header says 12', 'scan.stl'), 'the file is truncated: header says 12');
  assert.equal(reasonWithoutName('not an STL', 'scan.stl'), 'not an STL');
});

test('the week starts on Monday at local midnight', () => {
  const { day, week } = dayAndWeekStart(new Date(2026, 10, 20, 15, 30)); // Friday 20 Nov 2026
  assert.equal(new Date(day).getDate(), 20);
  assert.equal(new Date(week).getDay(), 1);
  assert.equal(new Date(week).getDate(), 16);
  assert.equal(new Date(week).getHours(), 0);
});
