import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRun, parseSchedule, type Schedule } from '../../src/config/index.js';

function parsed(text: string): Schedule {
  const s = parseSchedule(text);
  assert.notEqual(typeof s, 'string', String(s));
  return s as Schedule;
}

/** Local time, as the schedule reads it. */
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi);

describe('backup schedule', () => {
  it('never runs when off', () => {
    assert.equal(nextRun(parsed('off'), at(2026, 11, 20)), undefined);
  });

  it('runs hourly on the hour, daily and weekly at 03:00', () => {
    assert.deepEqual(nextRun(parsed('hourly'), at(2026, 11, 20, 10, 7)), at(2026, 11, 20, 11, 0));
    assert.deepEqual(nextRun(parsed('daily'), at(2026, 11, 20, 10, 7)), at(2026, 11, 21, 3, 0));
    assert.deepEqual(nextRun(parsed('daily'), at(2026, 11, 20, 2, 59)), at(2026, 11, 20, 3, 0));
    // 2026-11-20 is a Friday; the next Sunday is the 22nd.
    assert.deepEqual(nextRun(parsed('weekly'), at(2026, 11, 20, 10, 0)), at(2026, 11, 22, 3, 0));
  });

  it('follows cron fields: steps, lists, ranges, Sunday as 7, day fields or-ed', () => {
    assert.deepEqual(nextRun(parsed('*/15 * * * *'), at(2026, 11, 20, 10, 7)), at(2026, 11, 20, 10, 15));
    assert.deepEqual(nextRun(parsed('30 2,14 * * 1-5'), at(2026, 11, 20, 15, 0)), at(2026, 11, 23, 2, 30));
    assert.deepEqual(nextRun(parsed('0 4 * * 7'), at(2026, 11, 20)), at(2026, 11, 22, 4, 0));
    assert.deepEqual(nextRun(parsed('0 12 1 * 1'), at(2026, 11, 20)), at(2026, 11, 23, 12, 0));
    assert.deepEqual(nextRun(parsed('0 0 1 1 *'), at(2026, 11, 20)), at(2027, 1, 1, 0, 0));
    assert.deepEqual(nextRun(parsed('0 0 29 2 *'), at(2026, 11, 20)), at(2028, 2, 29, 0, 0));
    assert.equal(nextRun(parsed('0 0 31 2 *'), at(2026, 11, 20)), undefined);
  });

  it('explains what is wrong with a schedule it cannot read', () => {
    // cron-validate's words (the validator bree checks cron strings with): the field and the value.
    assert.equal(parseSchedule('61 * * * *'), "Number '61' of minutes field is bigger than upper limit '59'.");
    assert.equal(parseSchedule('*/0 * * * *'), "Second step element '0' of '*/0' cannot be zero.");
    assert.equal(parseSchedule('5-1 * * * *'), "Lower range end '5' is bigger than upper range end '1' of minutes field.");
    assert.equal(parseSchedule('0 3 * * mon'), "Element 'mon' of daysOfWeek field is invalid.");
    assert.equal(parseSchedule('nightly'), "'nightly' is not off, hourly, daily, weekly or a five-field cron expression like '30 2 * * *'");
  });
});
