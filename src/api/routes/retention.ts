/**
 * Retention: the policy (how many years scans are kept), legal holds on patients, and the
 * purge of expired scans (admins run it on demand; the daemon runs it daily). Every
 * removal is audited by the purge itself.
 */
import { z } from 'zod';
import { findPatient } from '../../gdpr/erase.js';
import { purgeExpiredScans } from '../../retention/purge.js';
import { seesPhi } from '../role-views.js';
import { route } from '../route.js';
import { holdStateSchema, legalHoldSchema, listedHoldSchema, patientParams, policySchema, purgeQuerySchema, purgeResultSchema, setPolicySchema } from '../schemas/retention.js';
import type { ApiServices } from '../services.js';

const OVERSIGHT = ['admin', 'auditor'] as const;
/** The purge answer lists this many scans at most (the audit trail has every one). */
const LIST_MAX = 1000;

export function retentionRoutes(s: ApiServices) {
  const { store, audit, config } = s;
  const defaults = { scansYears: config.retention.scansYears };
  const holdState = (pseudoId: string, patientId: number) => {
    const hold = store.retention.hold(patientId);
    return { patient: pseudoId, hold: hold !== undefined, reason: hold?.reason ?? null, placedBy: hold?.placedBy ?? null, placedAt: hold?.placedAt ?? null };
  };
  return [
    route({
      method: 'GET', path: '/retention', tag: 'retention', access: OVERSIGHT, summary: 'The retention policy in force and the number of patients on legal hold',
      response: z.object({ policy: policySchema, legalHolds: z.number().int() }),
      handler: () => ({ policy: store.retention.policy(defaults), legalHolds: store.retention.holds().length }),
    }),
    route({
      method: 'PUT', path: '/retention', tag: 'retention', access: ['admin'], summary: 'Set the retention policy (years, and which date counts)',
      body: setPolicySchema, response: policySchema,
      audits: 'retention.policy.set',
      handler: ({ body, principal, record }) => store.transaction(() => {
        store.retention.setPolicy(body.scansYears, body.basis, principal.actor);
        record({ audit: { action: 'retention.policy.set', object: null, details: { scansYears: body.scansYears, basis: body.basis } } });
        return store.retention.policy(defaults);
      }),
    }),
    route({
      method: 'POST', path: '/retention/purge', tag: 'retention', access: ['admin'],
      summary: 'Remove expired scans of patients not on legal hold (dryRun=true, the default, only lists them); every removal is audited',
      query: purgeQuerySchema, response: purgeResultSchema,
      auditedBy: 'the purge (retention/purge.ts): each removal with its audit event in its transaction, then the run\'s summary',
      handler: async ({ query, principal, source }) => {
        const r = await purgeExpiredScans({ store, audit, defaults, cancelJob: (id) => s.dispatcher?.cancel(id) }, { dryRun: query.dryRun === 'true', actor: principal.actor, source });
        return {
          dryRun: r.dryRun, policy: r.policy, cutoff: r.cutoff, purged: r.purged.length, held: r.held, scans: r.purged.slice(0, LIST_MAX),
          images: { purged: r.images.purged.length, held: r.images.held, list: r.images.purged.slice(0, LIST_MAX) },
        };
      },
    }),
    route({
      method: 'GET', path: '/retention/holds', tag: 'retention', access: OVERSIGHT, summary: 'Patients on legal hold, with the reason and who placed it',
      response: z.object({ holds: z.array(listedHoldSchema) }),
      handler: ({ principal }) => ({
        holds: store.retention.holds().map((h) => {
          const p = seesPhi(principal.role) ? store.patients.get(h.patientId) : undefined;
          const name = p ? { lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate } : null;
          return { patient: h.pseudoId, hold: true, reason: h.reason, placedBy: h.placedBy, placedAt: h.placedAt, name };
        }),
      }),
      audit: (_input, result) => ({ action: 'legal_hold.list', object: null, details: { patients: result.holds.map((h) => h.patient) } }),
    }),
    route({
      method: 'GET', path: '/patients/:id/legal-hold', tag: 'retention', access: OVERSIGHT, summary: 'Whether a patient is on legal hold, and why',
      params: patientParams, response: holdStateSchema,
      handler: ({ params }) => holdState(params.id, findPatient(store, params.id).id),
      audit: ({ params }) => ({ action: 'patient.legal_hold.read', object: `patient:${params.id}` }),
    }),
    route({
      method: 'PUT', path: '/patients/:id/legal-hold', tag: 'retention', access: OVERSIGHT,
      summary: 'Place ({"hold": true, "reason": …}) or lift ({"hold": false}) a legal hold: a held patient is neither purged nor erased',
      params: patientParams, body: legalHoldSchema, response: holdStateSchema,
      audits: 'patient.legal_hold',
      handler: ({ params, body, principal, record }) => {
        const patient = findPatient(store, params.id);
        return store.transaction(() => {
          if (body.hold) store.retention.placeHold(patient.id, body.reason!, principal.actor);
          else store.retention.liftHold(patient.id);
          // The reason may name people or matters: it stays in the database, not in the audit trail.
          record({ audit: { action: 'patient.legal_hold', object: `patient:${params.id}`, details: { hold: body.hold } } });
          return holdState(patient.pseudoId, patient.id);
        });
      },
    }),
  ];
}
