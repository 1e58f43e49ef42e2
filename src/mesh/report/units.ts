/**
 * A guess of the length unit from the size of the model. Files carry no unit (STL has
 * none, PLY and OBJ rarely say), and a scan read in the wrong unit is 10x or 1000x off in
 * every measurement, so the report says what the size suggests and why.
 */

export type UnitGuess = 'mm' | 'cm' | 'm' | 'inch' | 'unknown';

/** The guess and the reason, in words. */
export interface Units {
  guess: UnitGuess;
  reason: string;
}

// Dental models, from a single tooth (~8 mm) to a full arch on a model base (~100 mm).
const SMALLEST_MM = 4;
const LARGEST_MM = 150;

// Candidates in order of how often they occur in dental exports: nearly everything is mm.
const CANDIDATES: { unit: Exclude<UnitGuess, 'unknown'>; mm: number }[] = [
  { unit: 'mm', mm: 1 },
  { unit: 'cm', mm: 10 },
  { unit: 'inch', mm: 25.4 },
  { unit: 'm', mm: 1000 },
];

/** Guess the unit from the largest side of the bounding box. */
export function guessUnits(min: readonly number[], max: readonly number[]): Units {
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(extent > 0) || !Number.isFinite(extent)) {
    return { guess: 'unknown', reason: 'the model has no size, so its unit cannot be told' };
  }
  const size = formatNumber(extent);
  const fits = CANDIDATES.filter((c) => extent * c.mm >= SMALLEST_MM && extent * c.mm <= LARGEST_MM);
  if (fits.length === 0) {
    return {
      guess: 'unknown',
      reason: `largest side is ${size} units, which is no dental size in mm, cm, inches or metres`,
    };
  }
  const best = fits[0];
  if (best.unit === 'mm') return { guess: 'mm', reason: `largest side is ${size}, a dental size in mm` };
  const name = (u: UnitGuess): string => (u === 'inch' ? 'inches' : u);
  const also = fits.slice(1).map((c) => name(c.unit));
  const tooBig = extent > LARGEST_MM;
  const reason =
    `largest side is ${size}: ${formatNumber(extent * best.mm)} mm if read as ${name(best.unit)}, ` +
    `while in mm it would be too ${tooBig ? 'big' : 'small'} for a dental model` +
    (also.length > 0 ? ` (${also.join(' or ')} would also fit)` : '');
  return { guess: best.unit, reason };
}

function formatNumber(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2);
}
