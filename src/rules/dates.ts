/** Dates in file names and sidecars: the forms scanners and clinics write, checked against the calendar. */

/** The date forms a `{date}` or `{birthDate}` field accepts: YYYY-MM-DD, YYYYMMDD, DD.MM.YYYY. */
export const DATE_SOURCE = String.raw`\d{4}-\d{2}-\d{2}|\d{8}|\d{2}\.\d{2}\.\d{4}`;

const FORMS: Array<[RegExp, (m: RegExpMatchArray) => [string, string, string]]> = [
  [/^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/, (m) => [m[1], m[2], m[3]]],
  [/^(\d{4})(\d{2})(\d{2})$/, (m) => [m[1], m[2], m[3]]],
  [/^(\d{2})\.(\d{2})\.(\d{4})$/, (m) => [m[3], m[2], m[1]]],
];

/** True when year, month and day make a real calendar day between 1900 and 2199. */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/**
 * The date as YYYY-MM-DD, or undefined when the text is not one of the accepted forms or
 * not a calendar day (2026-02-30). An ISO date-time ('2026-11-20T09:15:00+01:00') gives its date.
 */
export function parseDate(text: string): string | undefined {
  const trimmed = text.trim();
  for (const [re, parts] of FORMS) {
    const m = trimmed.match(re);
    if (!m) continue;
    const [y, mo, d] = parts(m);
    return isCalendarDay(Number(y), Number(mo), Number(d)) ? `${y}-${mo}-${d}` : undefined;
  }
  return undefined;
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:$|[ T])/;

/**
 * iTero's `MM/DD/YYYY[ HH:MM:SS]` (its manifests and Rx pages write US dates whatever the
 * clinic's locale) as YYYY-MM-DD; undefined when it is not one or not a calendar day.
 * Only for sources known to write this form: in a file name, 02/03 could be either order.
 */
export function parseUsDate(text: string): string | undefined {
  const m = text.trim().match(US_DATE);
  if (!m) return undefined;
  const [mo, d, y] = [m[1].padStart(2, '0'), m[2].padStart(2, '0'), m[3]];
  return isCalendarDay(Number(y), Number(mo), Number(d)) ? `${y}-${mo}-${d}` : undefined;
}
