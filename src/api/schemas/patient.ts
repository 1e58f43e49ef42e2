/** The API's patient and visit resources: input checks and one output shape each. */
import { z } from 'zod';
import type { Patient } from '../../store/patients.js';
import type { Visit } from '../../store/visits.js';

/** Free text a person typed: no control characters (they break exports and logs). */
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

export const pseudoIdSchema = z.string().regex(/^p_[a-z2-7]{16}$/, 'must be a patient id like p_k3j5x7q2m4n6b8v2 (the id the API gave out)');

export const visitIdSchema = z.coerce.number({ error: 'must be a visit id (a whole number)' }).int('must be a visit id (a whole number)').positive('must be a visit id (a whole number)');

const birthDateSchema = z.iso.date('must be a date like 1980-02-03').refine((d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10), 'must be a date between 1900 and today');

/** `system` names the other program (`pms`, `itero-order`); `value` is the id in it. */
export const externalIdSchema = z.strictObject({
  system: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a short name of letters, digits, ".", "_" or "-" like "pms"'),
  value: text(128),
}).meta({ id: 'ExternalId' });

const externalIdsSchema = z.array(externalIdSchema).max(20, 'at most 20 external ids')
  .refine((ids) => new Set(ids.map((e) => `${e.system}\u0000${e.value}`)).size === ids.length, 'lists the same external id twice');

export const createPatientSchema = z.strictObject({
  lastName: text(100).optional(),
  firstName: text(100).optional(),
  birthDate: birthDateSchema.optional(),
  externalIds: externalIdsSchema.default([]),
}).refine((p) => p.lastName !== undefined || p.externalIds.length > 0, 'give at least lastName or one externalId');

export const updatePatientSchema = z.strictObject({
  lastName: text(100).nullable().optional(),
  firstName: text(100).nullable().optional(),
  birthDate: birthDateSchema.nullable().optional(),
  externalIds: externalIdsSchema.optional().describe('Replaces the whole list'),
}).refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change: give lastName, firstName, birthDate or externalIds');

export const patientSchema = z.object({
  id: z.string().describe('Pseudonymous patient id: what the API, audit trail and logs use'),
  lastName: z.string().nullable(),
  firstName: z.string().nullable(),
  birthDate: z.string().nullable(),
  externalIds: z.array(z.object({ system: z.string(), value: z.string() }).meta({ id: 'PatientExternalId', description: 'An id of the patient in another system (practice software, scanner order)' })),
  legalHold: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'Patient' });
export type PatientDto = z.infer<typeof patientSchema>;

export function patientDto(p: Patient): PatientDto {
  return {
    id: p.pseudoId, lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate,
    externalIds: p.externalIds, legalHold: p.legalHold, createdAt: p.createdAt, updatedAt: p.updatedAt,
  };
}

export const visitSchema = z.object({
  id: z.number().int(),
  patient: z.string().describe('Pseudonymous patient id'),
  date: z.string(),
  createdAt: z.string(),
}).meta({ id: 'Visit' });

/** A visit in a patient's list: with how many scans it holds. */
export const visitSummarySchema = visitSchema.extend({ scans: z.number().int() }).meta({ id: 'VisitSummary' });
export type VisitDto = z.infer<typeof visitSchema>;

export function visitDto(v: Visit, patientPseudoId: string): VisitDto {
  return { id: v.id, patient: patientPseudoId, date: v.date, createdAt: v.createdAt };
}
