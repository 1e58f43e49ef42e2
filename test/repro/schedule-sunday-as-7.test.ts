// Found moving backup.schedule onto bree's cron engine (@breejs/later, Dec 2026): later reads
// a day-of-week 7 as Saturday (it adds one to each day and caps at 7), and requires both day
// fields where cron runs when either matches. A schedule `0 4 * * 7` (documented: 0 and 7
// are Sunday) would have run backups on Saturdays. config/schedule.ts hands later 7 as 0 and
// splits a schedule with both day fields into two.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextRun, parseSchedule, type Schedule } from '../../src/config/index.js';

const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi);

function days(text: string, from: Date, count: number): number[] {
  const schedule = parseSchedule(text) as Schedule;
  const out: number[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    t = nextRun(schedule, t)!;
    out.push(t.getDay());
  }
  return out;
}

test('day-of-week 7 is Sunday, alone, in a list and at the end of a range, with or without a step', () => {
  // 2026-11-20 is a Friday.
  assert.deepEqual(days('0 4 * * 7', at(2026, 11, 20), 2), [0, 0]);
  assert.deepEqual(days('0 4 * * 6,7', at(2026, 11, 20), 2), [6, 0]);
  assert.deepEqual(days('0 4 * * 5-7', at(2026, 11, 20, 5), 3), [6, 0, 5]);
  assert.deepEqual(days('0 4 * * 3-7/2', at(2026, 11, 20, 5), 3), [0, 3, 5]);
});

test('both day fields restricted: either one matching runs it', () => {
  // The 1st of the month or any Monday: Monday the 23rd comes before 1 December.
  assert.deepEqual(nextRun(parseSchedule('0 12 1 * 1') as Schedule, at(2026, 11, 20)), at(2026, 11, 23, 12, 0));
  assert.deepEqual(nextRun(parseSchedule('0 12 1 * 1') as Schedule, at(2026, 11, 30, 13)), at(2026, 12, 1, 12, 0));
});
