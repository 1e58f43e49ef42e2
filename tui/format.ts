/**
 * How the console writes numbers, sizes, times and long names in narrow columns. Plain
 * functions (no React) so they are easy to test.
 */

/** `text` cut to `width` characters, ending in … when cut; padded with spaces to `width` when `pad`. */
export function fit(text: string, width: number, pad = false): string {
  if (width <= 0) return '';
  const chars = Array.from(text.replace(/[\r\n\t]+/g, ' '));
  const cut = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : chars.join('');
  return pad ? cut + ' '.repeat(Math.max(0, width - Array.from(cut).length)) : cut;
}

/** `text` cut from the left (keeps the end of a path): `…/inbox/scan.stl`. */
export function fitStart(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length > width ? `…${chars.slice(chars.length - width + 1).join('')}` : text;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** 93784 s → "1d 2h", 125 → "2m 5s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** How long ago an ISO time was, from `now`: "3m ago", "in 2d" for the future. */
export function ago(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = (now - t) / 1000;
  return diff >= 0 ? `${duration(diff)} ago` : `in ${duration(-diff)}`;
}

/** An ISO time as local "2026-11-20 14:03" (the console shows the clinic's clock). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Local midnight of the day of `now`, and of the Monday of its week, as ISO strings. */
export function dayAndWeekStart(now: Date = new Date()): { day: string; week: string } {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const week = new Date(day);
  week.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return { day: day.toISOString(), week: week.toISOString() };
}

/** A progress bar of `width` cells for 0…1: "█████░░░░░". ASCII "#####-----" when `ascii`. */
export function bar(fraction: number, width: number, ascii = false): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return (ascii ? '#' : '█').repeat(full) + (ascii ? '-' : '░').repeat(width - full);
}

/** A configured number of minutes in words: "15 minutes", "1 minute", "30s" for less than one. */
export function minutes(m: number): string {
  if (m >= 1 && Number.isInteger(m)) return `${m} ${m === 1 ? 'minute' : 'minutes'}`;
  return duration(m * 60);
}

/**
 * A reason without the file name it often starts with, for rows that show the name
 * already: "scan.stl: header says …" → "header says …", "scan.stl is truncated" → "the file is truncated".
 */
export function reasonWithoutName(reason: string, file: string): string {
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (reason.startsWith(`${name}: `)) return reason.slice(name.length + 2);
  if (reason.startsWith(`${name} `)) return `the file${reason.slice(name.length)}`;
  return reason;
}
