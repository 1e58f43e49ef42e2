/**
 * Reports in plain language for the scan detail view: the validation report's findings
 * and key figures, and the analysis/comparison figures, as short lines. Pure.
 */

export interface ReportLine {
  text: string;
  tone?: 'ok' | 'warn' | 'bad';
}

interface ValidationReport {
  verdict?: string;
  issues?: Array<{ code?: string; severity?: string; message?: string }>;
  triangles?: number;
  vertices?: number;
  bbox?: { min: number[]; max: number[] };
  area?: number;
  volume?: number | null;
  components?: { count: number };
  holes?: { count: number };
  watertight?: boolean;
  units?: { guess?: string; reason?: string };
  format?: string;
  readWarnings?: string[];
}

const n0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const n1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** The unit the size suggests; "units" when it could not be told. */
function unitName(units: ValidationReport['units']): string {
  return units?.guess && units.guess !== 'unknown' ? units.guess : 'units';
}

/** The validation report as lines: verdict in words, every finding, then the figures. */
export function validationLines(report: unknown): ReportLine[] {
  if (!report || typeof report !== 'object') return [{ text: 'not validated yet' }];
  const r = report as ValidationReport;
  const lines: ReportLine[] = [];
  const issues = r.issues ?? [];
  if (r.verdict === 'ok') lines.push({ text: 'Good: no problems found.', tone: 'ok' });
  else if (r.verdict === 'warn') lines.push({ text: `Usable, with ${issues.length} ${issues.length === 1 ? 'thing' : 'things'} to check:`, tone: 'warn' });
  else if (r.verdict === 'fail') lines.push({ text: 'Not usable as it is:', tone: 'bad' });
  for (const issue of issues) lines.push({ text: `${issue.severity === 'fail' ? '✗' : '!'} ${issue.message ?? issue.code ?? ''}`, tone: issue.severity === 'fail' ? 'bad' : 'warn' });
  for (const w of r.readWarnings ?? []) lines.push({ text: `! ${w}`, tone: 'warn' });
  // Figures in short groups, so each fits a narrow column beside the preview.
  const u = unitName(r.units);
  const counts: string[] = [];
  if (typeof r.triangles === 'number') counts.push(`${n0.format(r.triangles)} triangles`);
  if (typeof r.vertices === 'number') counts.push(`${n0.format(r.vertices)} vertices`);
  const size: string[] = [];
  if (r.bbox && r.bbox.min.length === 3) size.push(`size ${r.bbox.max.map((v, i) => n1.format(v - r.bbox!.min[i])).join(' × ')} ${u}`);
  if (typeof r.area === 'number') size.push(`area ${n0.format(r.area)} ${u}²`);
  const shape: string[] = [];
  if (typeof r.volume === 'number') shape.push(`volume ${n0.format(r.volume)} ${u}³`);
  if (r.components) shape.push(`${r.components.count} ${r.components.count === 1 ? 'piece' : 'pieces'}`);
  if (r.holes) shape.push(`${r.holes.count} ${r.holes.count === 1 ? 'hole' : 'holes'}`);
  if (typeof r.watertight === 'boolean') shape.push(r.watertight ? 'closed' : 'open surface');
  for (const group of [counts, size, shape]) if (group.length) lines.push({ text: group.join(' · ') });
  return lines;
}

/**
 * Any other report (analysis, comparison) as `name: value` lines of its numbers, words
 * and yes/no answers, nested keys joined with dots, at most `max` lines.
 */
export function figureLines(report: unknown, max = 6): ReportLine[] {
  const out: ReportLine[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (out.length >= max) return;
    if (typeof value === 'number') out.push({ text: `${path}: ${Number.isInteger(value) ? n0.format(value) : n1.format(value)}` });
    else if (typeof value === 'boolean') out.push({ text: `${path}: ${value ? 'yes' : 'no'}` });
    else if (typeof value === 'string' && value.length <= 60) out.push({ text: `${path}: ${value}` });
    else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 2) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(report, '', 0);
  return out;
}
