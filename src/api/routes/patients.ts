/**
 * Patients: create, change, find by external id or name, read with a summary of their
 * scans, merge two records of one person (assigning a scan to a patient is PUT /scans/:uid/patient,
 * in scans.ts). Responses carry names (this API
 * serves authorized clinical software); the audit trail and change feed carry pseudoIds only.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { PatientPosition } from '../../store/patients.js';
import { CLINICAL, route } from '../route.js';
import { createPatientSchema, patientDto, patientSchema, pseudoIdSchema, updatePatientSchema, visitSummarySchema } from '../schemas/patient.js';
import { scanDto, scanSchema } from '../schemas/scan.js';
import type { ApiServices } from '../services.js';

const idParams = z.strictObject({ id: pseudoIdSchema });

const searchQuery = z.strictObject({
  externalId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:.+$/, 'must be system:value, like pms:4711').optional().describe('system:value'),
  name: z.string().trim().min(1, 'must not be empty').max(100).optional().describe('Words that start the last or first name (case and accents ignored)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('The `next` value of the previous page'),
});

function encodePosition(p: PatientPosition): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

function decodePosition(cursor: string): PatientPosition {
  try {
    const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(p) && p.length === 3 && typeof p[0] === 'string' && typeof p[1] === 'string' && Number.isInteger(p[2])) return p as PatientPosition;
  } catch {
    // fall through to the error
  }
  throw new CuspError('invalid_input', 'query.cursor: not a cursor this API gave out — start again without it');
}

export function patientRoutes(s: ApiServices) {
  const { store } = s;
  const find = (pseudoId: string) => {
    const patient = store.patients.getByPseudoId(pseudoId);
    if (!patient) throw new CuspError('not_found', `no patient ${pseudoId}`);
    return patient;
  };
  return [
    route({
      method: 'POST', path: '/patients', tag: 'patients', access: CLINICAL, summary: 'Create a patient (an external id held by another patient is a 409)',
      answers: { 409: 'An external id given belongs to another patient' },
      body: createPatientSchema, response: patientSchema, status: 201,
      audits: 'patient.create',
      handler: ({ body, record }) => {
        const patient = store.transaction(() => {
          const created = store.patients.create(body);
          record({ audit: { action: 'patient.create', object: `patient:${created.pseudoId}` }, changes: [{ type: 'patient.created', objectType: 'patient', objectId: created.pseudoId }] });
          return created;
        });
        return patientDto(patient);
      },
    }),
    route({
      method: 'GET', path: '/patients', tag: 'patients', access: CLINICAL, summary: 'Find patients by external id or name, in name order, with cursor pages',
      query: searchQuery,
      response: z.object({ patients: z.array(patientSchema), next: z.string().nullable() }),
      handler: ({ query }) => {
        let externalId: { system: string; value: string } | undefined;
        if (query.externalId) {
          const colon = query.externalId.indexOf(':');
          externalId = { system: query.externalId.slice(0, colon), value: query.externalId.slice(colon + 1) };
        }
        const after = query.cursor === undefined ? undefined : decodePosition(query.cursor);
        const page = store.patients.search({ externalId, name: query.name, limit: query.limit, after });
        return { patients: page.patients.map(patientDto), next: page.next ? encodePosition(page.next) : null };
      },
      // The search words are names: they stay out of the audit trail; the patients shown go in.
      audit: ({ query }, result) => ({
        action: 'patient.search', object: null,
        details: { by: query.externalId ? 'externalId' : query.name ? 'name' : 'all', patients: result.patients.map((p) => p.id) },
      }),
    }),
    route({
      method: 'GET', path: '/patients/:id', tag: 'patients', access: CLINICAL, summary: 'One patient with a summary of their scans and visits',
      params: idParams,
      response: patientSchema.extend({
        scans: z.object({
          count: z.number().int(),
          byJaw: z.record(z.string(), z.number().int()),
          firstReceivedAt: z.string().nullable(),
          lastReceivedAt: z.string().nullable(),
          latest: z.array(scanSchema).describe('The 10 newest'),
        }),
        visits: z.array(visitSummarySchema),
      }),
      handler: ({ params }) => {
        const patient = find(params.id);
        const latest = store.scans.list({ patientId: patient.id, limit: 10 }).scans.map((x) => scanDto(store, x));
        return {
          ...patientDto(patient),
          scans: { ...store.scans.patientSummary(patient.id), latest },
          visits: store.visits.forPatient(patient.id).map((v) => ({ id: v.id, patient: patient.pseudoId, date: v.date, createdAt: v.createdAt, scans: v.scans })),
        };
      },
      audit: ({ params }) => ({ action: 'patient.read', object: `patient:${params.id}` }),
    }),
    route({
      method: 'PATCH', path: '/patients/:id', tag: 'patients', access: CLINICAL, summary: 'Change name, birth date or external ids (null clears a field)',
      params: idParams, body: updatePatientSchema, response: patientSchema,
      audits: 'patient.update',
      handler: ({ params, body, record }) => {
        const patient = find(params.id);
        const updated = store.transaction(() => {
          const p = store.patients.update(patient.id, body);
          // Which fields changed, never their values.
          record({
            audit: { action: 'patient.update', object: `patient:${params.id}`, details: { fields: Object.keys(body) } },
            changes: [{ type: 'patient.updated', objectType: 'patient', objectId: p.pseudoId, data: { fields: Object.keys(body) } }],
          });
          return p;
        });
        return patientDto(updated);
      },
    }),
    route({
      method: 'POST', path: '/patients/:id/merge', tag: 'patients', access: CLINICAL,
      answers: { 409: 'An external id or legal hold of the two patients conflicts, or a record of the merged patient could not be moved (nothing changed)' },
      summary: 'Merge another record of the same person into this patient: its scans, visits (a visit on the same day joins this one), tags, external ids and legal hold move here, then it is removed',
      params: idParams, body: z.strictObject({ from: pseudoIdSchema.describe('The duplicate patient, removed after the merge') }),
      response: patientSchema.extend({ moved: z.object({ scans: z.number().int(), visitsMoved: z.number().int(), visitsJoined: z.number().int(), externalIds: z.number().int() }) }),
      audits: 'patient.merge',
      handler: ({ params, body, record }) => {
        const into = find(params.id);
        const from = find(body.from);
        const { patient, moved } = store.transaction(() => {
          const result = store.patients.merge(from.id, into.id);
          record({
            audit: { action: 'patient.merge', object: `patient:${params.id}`, details: { from: body.from, ...result } },
            changes: [{ type: 'patient.merged', objectType: 'patient', objectId: into.pseudoId, data: { from: from.pseudoId, into: into.pseudoId, scans: result.scans } }],
          });
          return { patient: store.patients.get(into.id)!, moved: result };
        });
        return { ...patientDto(patient), moved };
      },
    }),
    route({
      method: 'GET', path: '/patients/:id/visits', tag: 'visits', access: CLINICAL, summary: "A patient's visits, newest first, with their number of scans",
      params: idParams,
      response: z.object({ visits: z.array(visitSummarySchema) }),
      handler: ({ params }) => {
        const patient = find(params.id);
        return { visits: store.visits.forPatient(patient.id).map((v) => ({ id: v.id, patient: patient.pseudoId, date: v.date, createdAt: v.createdAt, scans: v.scans })) };
      },
      audit: ({ params }) => ({ action: 'visit.list', object: `patient:${params.id}` }),
    }),
  ];
}
