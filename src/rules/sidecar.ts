/**
 * The optional JSON sidecar next to a scan (`<scan>.json` or `cusp.json` in its folder),
 * written by the practice software: its patient id and anything else it knows. Each value is
 * checked on its own, so one bad value costs only itself; unknown keys are ignored.
 */
import { z } from 'zod';
import { parseDate } from './dates.js';
import { jawFromText } from './jaw-words.js';
import { cleanName } from './patient-names.js';
import type { Jaw, PatientHint } from './types.js';

const id = z.union([z.string().trim().min(1).max(128), z.number().int().nonnegative().transform(String)]);
const name = z.string().transform(cleanName).pipe(z.string().min(1).max(200));
const text = z.string().trim().min(1).max(200);

const SCHEMAS = {
  patientId: id,
  pmsId: id,
  externalId: z.object({ system: z.string().trim().min(1).max(64), value: id }),
  lastName: name,
  firstName: name,
  birthDate: text,
  jaw: text,
  capturedAt: text,
} as const;

/** What a sidecar says, checked. */
export interface SidecarFacts {
  patient: PatientHint;
  jaw?: Jaw;
  capturedAt?: string;
}

type Parsed = { [K in keyof typeof SCHEMAS]?: z.output<(typeof SCHEMAS)[K]> };

function parseFields(record: Record<string, unknown>, warnings: string[]): Parsed {
  const parsed: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SCHEMAS)) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    const result = schema.safeParse(value);
    if (result.success) parsed[key] = result.data;
    else warnings.push(`sidecar: ${key} is not valid (${result.error.issues[0]?.message ?? 'bad value'}) — ignored`);
  }
  return parsed as Parsed;
}

/**
 * Reads a parsed sidecar. Returns undefined (with a warning) when it is not a JSON object.
 * `externalId` wins over `pmsId`, which wins over `patientId` (both meaning system 'pms').
 */
export function readSidecar(sidecar: unknown, warnings: string[]): SidecarFacts | undefined {
  if (sidecar === undefined) return undefined;
  const record = z.record(z.string(), z.unknown()).safeParse(sidecar);
  if (!record.success || Array.isArray(sidecar)) {
    warnings.push('sidecar: not a JSON object — ignored');
    return undefined;
  }
  const f = parseFields(record.data, warnings);
  const facts: SidecarFacts = { patient: {} };
  if (f.lastName) facts.patient.lastName = f.lastName;
  if (f.firstName) facts.patient.firstName = f.firstName;
  if (f.birthDate) {
    const birthDate = parseDate(f.birthDate);
    if (birthDate) facts.patient.birthDate = birthDate;
    else warnings.push('sidecar: birthDate is not a calendar date (YYYY-MM-DD) — ignored');
  }
  const pms = f.pmsId ?? f.patientId;
  if (f.externalId) facts.patient.externalId = { system: f.externalId.system, value: f.externalId.value };
  else if (pms) facts.patient.externalId = { system: 'pms', value: pms };
  if (f.pmsId && f.patientId && f.pmsId !== f.patientId) warnings.push('sidecar: pmsId and patientId differ — using pmsId');
  if (f.jaw) {
    facts.jaw = jawFromText(f.jaw) ?? (f.jaw.toLowerCase() === 'other' ? 'other' : undefined);
    if (!facts.jaw) warnings.push('sidecar: jaw is not a known jaw word (upper, lower, bite, other, …) — ignored');
  }
  if (f.capturedAt) {
    facts.capturedAt = parseDate(f.capturedAt);
    if (!facts.capturedAt) warnings.push('sidecar: capturedAt is not a calendar date (YYYY-MM-DD) — ignored');
  }
  return facts;
}
