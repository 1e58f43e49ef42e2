/**
 * Reports in plain language for the scan detail view: the validation report's findings
 * and key figures, the analyses (wall thickness, bite, comparison with the previous scan)
 * as short sentences, anything else as its figures. Pure.
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
const n3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A measured value: small ones (deviations in mm) keep three significant digits. */
function figure(v: number): string {
  if (Number.isInteger(v)) return n0.format(v);
  return Math.abs(v) < 100 ? n3.format(v) : n1.format(v);
}

/** The unit the size suggests; "units" when it could not be told. */
function unitName(units: ValidationReport['units']): string {
  return units?.guess && units.guess !== 'unknown' ? units.guess : 'units';
}

/** The validation report as lines: verdict in words, every finding, then the figures. */
export function validationLines(report: unknown): ReportLine[] {
  if (!report || typeof report !== 'object') return [{ text: 'not validated yet' }];
  const r = report as ValidationReport;
  const lines = verdictLines(r);
  for (const group of figureGroups(r)) if (group.length) lines.push({ text: group.join(' · ') });
  return lines;
}

/** The verdict in words, then each issue and read warning on its own line. */
function verdictLines(r: ValidationReport): ReportLine[] {
  const lines: ReportLine[] = [];
  const issues = r.issues ?? [];
  if (r.verdict === 'ok') lines.push({ text: 'Good: no problems found.', tone: 'ok' });
  else if (r.verdict === 'warn') lines.push({ text: `Usable, with ${issues.length} ${issues.length === 1 ? 'thing' : 'things'} to check:`, tone: 'warn' });
  else if (r.verdict === 'fail') lines.push({ text: 'Not usable as it is:', tone: 'bad' });
  for (const issue of issues) lines.push({ text: `${issue.severity === 'fail' ? '✗' : '!'} ${issue.message ?? issue.code ?? ''}`, tone: issue.severity === 'fail' ? 'bad' : 'warn' });
  for (const w of r.readWarnings ?? []) lines.push({ text: `! ${w}`, tone: 'warn' });
  return lines;
}

/** Figures in short groups (counts, size, shape), so each fits a narrow column beside the preview. */
function figureGroups(r: ValidationReport): string[][] {
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
  return [counts, size, shape];
}

/**
 * Any other report (analysis, comparison) as `name: value` lines of its numbers, words
 * and yes/no answers, nested keys joined with dots, at most `max` lines.
 */
export function figureLines(report: unknown, max = 6): ReportLine[] {
  const out: ReportLine[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (out.length >= max) return;
    if (typeof value === 'number') out.push({ text: `${path}: ${figure(value)}` });
    else if (typeof value === 'boolean') out.push({ text: `${path}: ${value ? 'yes' : 'no'}` });
    else if (typeof value === 'string' && value.length <= 60) out.push({ text: `${path}: ${value}` });
    else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 2) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(report, '', 0);
  return out;
}

const mm = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${figure(v)} mm` : '—');
const mm2 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${n0.format(v)} mm²` : '—');
const pct = (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 100)}%` : '—');
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** One analysis report (by its kind) as a title and sentences; unknown kinds as their figures. */
export function analysisLines(kind: string, report: unknown): ReportLine[] {
  const r = obj(report);
  switch (kind) {
    case 'thickness': {
      const st = obj(r.stats);
      const thin = typeof st.thinAreaMm2 === 'number' && st.thinAreaMm2 > 0;
      return [
        { text: 'Wall thickness:' },
        { text: `  thinnest ${mm(st.minMm)} · mean ${mm(st.meanMm)}` },
        { text: `  ${thin ? `${mm2(st.thinAreaMm2)} thinner than ${mm(st.limitMm)}` : `nothing thinner than ${mm(st.limitMm)}`}`, tone: thin ? 'warn' : 'ok' },
      ];
    }
    case 'occlusion': {
      const u = obj(obj(r.upper).stats);
      const l = obj(obj(r.lower).stats);
      const overlap = Math.max(Number(u.maxPenetrationMm) || 0, Number(l.maxPenetrationMm) || 0);
      return [
        { text: `Bite with the opposing jaw (contact within ${mm(r.contactMm)}):` },
        { text: `  contact area upper ${mm2(u.contactAreaMm2)} · lower ${mm2(l.contactAreaMm2)}` },
        { text: overlap > 0 ? `  the jaws overlap by up to ${mm(overlap)}` : '  the jaws do not overlap', tone: overlap > 0 ? 'warn' : undefined },
      ];
    }
    case 'comparison': {
      const st = obj(r.stats);
      const regions = Array.isArray(r.regions) ? r.regions.length : 0;
      const warnings = Array.isArray(r.warnings) ? r.warnings.map(String) : [];
      return [
        { text: 'Compared with the previous scan:' },
        { text: `  95% within ${mm(st.p95)} · largest ${mm(st.max)}` },
        { text: `  overlap ${pct(r.overlap)} · ${regions} ${regions === 1 ? 'region' : 'regions'} moved`, tone: regions > 0 ? 'warn' : undefined },
        ...warnings.map((w) => ({ text: `  ! ${w}`, tone: 'warn' as const })),
      ];
    }
    default:
      return [{ text: `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}:` }, ...figureLines(report).map((l) => ({ text: `  ${l.text}` }))];
  }
}

/** Report kinds that describe Cusp's own derived files, not the patient: not shown. */
export const HIDDEN_REPORTS = new Set(['validation', 'preview']);
