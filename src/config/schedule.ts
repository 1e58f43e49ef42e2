/**
 * `backup.schedule`: `off`, `hourly`, `daily` (03:00), `weekly` (Sunday 03:00) or a
 * five-field cron expression (`minute hour day-of-month month day-of-week`, with `*`,
 * lists, ranges and steps; day-of-week 0–7, both 0 and 7 Sunday). Parsed here so that
 * validation and the scheduler agree on what a schedule means.
 */

/** A parsed schedule: off, or the set of allowed values per cron field. */
export type Schedule =
  | { kind: 'off' }
  | { kind: 'cron'; minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>; domAny: boolean; dowAny: boolean };

const ALIASES: Record<string, string> = { hourly: '0 * * * *', daily: '0 3 * * *', weekly: '0 3 * * 0' };
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `${field.name} '${part}' is not a number, range (a-b), * or step (*/n)`;
    const from = m[1] === '*' ? field.min : Number(m[2]);
    const to = m[1] === '*' ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? field.max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < field.min || to > field.max || from > to) return `${field.name} '${part}' is outside ${field.min}-${field.max}`;
    if (step < 1) return `${field.name} '${part}' has a step of 0`;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses a schedule; a string is the reason it is not one. */
export function parseSchedule(text: string): Schedule | string {
  const trimmed = text.trim();
  if (trimmed === 'off') return { kind: 'off' };
  const parts = (ALIASES[trimmed] ?? trimmed).split(/\s+/);
  if (parts.length !== 5) return `'${text}' is not off, hourly, daily, weekly or a five-field cron expression like '30 2 * * *'`;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const parsed = parseField(parts[i], FIELDS[i]);
    if (typeof parsed === 'string') return parsed;
    sets.push(parsed);
  }
  const dow = sets[4];
  if (dow.has(7)) dow.add(0);
  return { kind: 'cron', minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow, domAny: parts[2] === '*', dowAny: parts[4] === '*' };
}

function dayMatches(s: Extract<Schedule, { kind: 'cron' }>, date: Date): boolean {
  const dom = s.dom.has(date.getDate());
  const dow = s.dow.has(date.getDay());
  // Cron's rule: when both day fields are restricted, either may match.
  if (!s.domAny && !s.dowAny) return dom || dow;
  return dom && dow;
}

/**
 * The first time after `after` (local time, whole minutes) the schedule fires, or
 * undefined when it is off or never fires (e.g. 31 February) within five years.
 */
export function nextRun(schedule: Schedule, after: Date): Date | undefined {
  if (schedule.kind === 'off') return undefined;
  const t = new Date(after.getTime());
  t.setSeconds(0, 0);
  t.setMinutes(t.getMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (t.getTime() <= limit) {
    if (!schedule.month.has(t.getMonth() + 1)) {
      t.setMonth(t.getMonth() + 1, 1);
      t.setHours(0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setDate(t.getDate() + 1);
      t.setHours(0, 0);
    } else if (!schedule.hour.has(t.getHours())) {
      t.setHours(t.getHours() + 1, 0);
    } else if (!schedule.minute.has(t.getMinutes())) {
      t.setMinutes(t.getMinutes() + 1);
    } else {
      return t;
    }
  }
  return undefined;
}
