/** The API's retention policy, legal holds, purge and GDPR erasure shapes. */
import { z } from 'zod';

/** A patient's pseudonymous id in a path (the id the API gives out). */
export const patientParams = z.strictObject({
  id: z.string().regex(/^p_[a-z2-7]{16}$/, 'must be a patient id like p_k3j5x7q2m4n6b8v2 (the id the API gave out)'),
});

export const policySchema = z.object({
  scansYears: z.number().int(),
  basis: z.enum(['captured', 'received']).describe('captured: the capture date (the receipt date when unknown); received: when Cusp took the scan in'),
  origin: z.enum(['config', 'set']).describe('config: retention.scansYears of the config file; set: through the API'),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
}).meta({ id: 'RetentionPolicy' });

export const setPolicySchema = z.strictObject({
  scansYears: z.number().int('must be a whole number of years').min(1, 'must be at least 1 year').max(100, 'must be at most 100 years'),
  basis: z.enum(['captured', 'received']).default('captured'),
});

export const purgeQuerySchema = z.strictObject({
  dryRun: z.enum(['true', 'false']).default('true').describe('true (the default): only list what would be removed'),
});

/** A scan or photo a purge removed (or would remove). */
const purgedSchema = z.object({ uid: z.string(), patient: z.string().nullable(), date: z.string() }).meta({ id: 'PurgedItem' });

export const purgeResultSchema = z.object({
  dryRun: z.boolean(),
  policy: policySchema,
  cutoff: z.string().describe('Scans dated before this day are expired'),
  purged: z.number().int(),
  held: z.number().int().describe('Expired scans kept because their patient is on legal hold'),
  scans: z.array(purgedSchema).describe('The first 1000'),
  images: z.object({
    purged: z.number().int(),
    held: z.number().int().describe('Expired photos kept because their patient is on legal hold'),
    list: z.array(purgedSchema).describe('The first 1000'),
  }).describe('Photos, by the same policy and cutoff'),
});

/** Free text without control characters. */
const reasonSchema = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'); // eslint-disable-line no-control-regex

export const legalHoldSchema = z.strictObject({
  hold: z.boolean(),
  reason: reasonSchema.optional().describe('Required when placing a hold: the matter it is for'),
}).refine((b) => !b.hold || b.reason !== undefined, { message: 'a reason is required to place a hold', path: ['reason'] });

export const holdStateSchema = z.object({
  patient: z.string(),
  hold: z.boolean(),
  reason: z.string().nullable(),
  placedBy: z.string().nullable(),
  placedAt: z.string().nullable(),
}).meta({ id: 'LegalHold' });

/** A hold as listed: for roles that see names, the patient's name and birth date beside the id. */
export const listedHoldSchema = holdStateSchema.extend({
  name: z.object({ lastName: z.string().nullable(), firstName: z.string().nullable(), birthDate: z.string().nullable() }).nullable()
    .describe('The patient as the record names them; null for roles that see pseudonymous ids only (auditor)'),
});

export const eraseBodySchema = z.strictObject({
  confirm: z.string().max(64).describe('The patient id again, to confirm'),
}).optional();

export const eraseQuerySchema = z.strictObject({
  confirm: z.string().max(64).optional().describe('The patient id again, to confirm (or send {"confirm": …})'),
});

export const erasureSchema = z.object({
  patient: z.string(),
  scans: z.number().int(),
  blobs: z.number().int(),
  artifacts: z.number().int(),
  reports: z.number().int(),
  annotations: z.number().int(),
  jobs: z.number().int(),
  images: z.number().int().describe('Photos removed (their bytes are counted in blobs)'),
  visits: z.number().int(),
  externalIds: z.number().int(),
  auditSeq: z.number().int().describe('The audit event that records the erasure (the tombstone)'),
});
export type LegalHoldState = z.infer<typeof holdStateSchema>;
export type ErasureDto = z.infer<typeof erasureSchema>;
