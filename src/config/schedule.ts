/**
 * `backup.schedule`: `off`, `hourly`, `daily` (03:00), `weekly` (Sunday 03:00) or a
 * five-field cron expression (`minute hour day-of-month month day-of-week`, with `*`,
 * lists, ranges and steps; day-of-week 0–7, both 0 and 7 Sunday).
 *
 * Checked with cron-validate under the settings bree checks its jobs' cron strings with,
 * and read by bree's own cron engine (@breejs/later), so that validation, the time the
 * daemon announces and the time bree runs the task (src/jobs/periodic.ts) agree. Two of
 * later's readings differ from cron's, and from what this key has always meant; they are
 * corrected here, where the schedule is made:
 * - later reads day-of-week 7 as Saturday (it adds one to every day and caps at 7), so a
 *   7 is handed to it as 0;
 * - later requires both day fields when both are restricted; cron (and Cusp) runs when
 *   either matches, so such a schedule becomes two, one per day field (later runs a
 *   composite schedule when any of its parts matches).
 */
import later from '@breejs/later';
import cronValidateModule from 'cron-validate';

/** A schedule: off, or the cron expression it stands for and bree's reading of it. */
export type Schedule =
  | { kind: 'off' }
  | { kind: 'cron'; expression: string; later: later.ScheduleData };

const ALIASES: Record<string, string> = { hourly: '0 * * * *', daily: '0 3 * * *', weekly: '0 3 * * 0' };

// later keeps one global notion of time; bree's jobs run in local time, and so do schedules.
later.date.localTime();

// cron-validate is CommonJS with its function on `exports.default`: Node hands the exports
// object to an import, tsx and esbuild (the executable's bundle) the function itself.
type CronValidate = typeof cronValidateModule.default;
const cronValidate: CronValidate = (cronValidateModule as { default?: CronValidate }).default ?? (cronValidateModule as unknown as CronValidate);

/** Day-of-week with every 7 written as 0 (see above); `*` steps are left to later. */
function sundayAsZero(field: string): string {
  return field.split(',').map((part) => {
    const m = /^(\d+)-7(?:\/(\d+))?$/.exec(part);
    if (part === '7') return '0';
    if (!m) return part;
    const from = Number(m[1]);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    const days: number[] = [];
    for (let d = from; d <= 7; d += step) days.push(d % 7);
    return days.join(',');
  }).join(',');
}

/** later's reading of a valid five-field expression, its day fields or-ed as cron's are. */
function laterSchedule(fields: { minutes: string; hours: string; daysOfMonth: string; months: string; daysOfWeek: string }): later.ScheduleData {
  const expression = [fields.minutes, fields.hours, fields.daysOfMonth, fields.months, sundayAsZero(fields.daysOfWeek)].join(' ');
  const parsed = later.parse.cron(expression);
  if (fields.daysOfMonth === '*' || fields.daysOfWeek === '*') return parsed;
  const schedules = parsed.schedules.flatMap((s) => {
    const { D, d, ...rest } = s;
    return [{ ...rest, D }, { ...rest, d }];
  });
  return { ...parsed, schedules };
}

/** Parses a schedule; a string is the reason it is not one. */
export function parseSchedule(text: string): Schedule | string {
  const trimmed = text.trim();
  if (trimmed === 'off') return { kind: 'off' };
  const expression = ALIASES[trimmed] ?? trimmed;
  if (expression.split(/\s+/).length !== 5) return `'${text}' is not off, hourly, daily, weekly or a five-field cron expression like '30 2 * * *'`;
  const checked = cronValidate(expression);
  if (!checked.isValid()) {
    // cron-validate names the field and the value; the expression is in our own words around it.
    return checked.getError().map((e: string) => e.replace(/ \(Input cron: .*\)$/, '')).join('; ');
  }
  return { kind: 'cron', expression, later: laterSchedule(checked.getValue()) };
}

/** Five years: a schedule that does not fire within them (31 February) never fires. */
const HORIZON_MS = 5 * 366 * 24 * 3600 * 1000;

/**
 * The first time after `after` (local time, whole minutes) the schedule fires, or
 * undefined when it is off or never fires (e.g. 31 February) within five years.
 */
export function nextRun(schedule: Schedule, after: Date): Date | undefined {
  if (schedule.kind === 'off') return undefined;
  // Strictly after: from the start of the next whole minute (later counts `from` itself).
  const from = new Date(after.getTime());
  from.setSeconds(0, 0);
  from.setMinutes(from.getMinutes() + 1);
  const next = later.schedule(schedule.later).next(1, from);
  if (!(next instanceof Date) || next.getTime() > after.getTime() + HORIZON_MS) return undefined;
  return next;
}
