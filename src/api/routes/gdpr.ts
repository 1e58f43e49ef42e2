/**
 * GDPR for one patient: export everything Cusp keeps about them as a zip (Art. 15/20;
 * auditors and admins), and erase them (Art. 17; admins only, with confirmation, never
 * while a legal hold stands), leaving a pseudonymous tombstone in the audit trail.
 */
import { Readable } from 'node:stream';
import { isCuspError } from '../../errors.js';
import { erasePatient, findPatient } from '../../gdpr/erase.js';
import { patientExport } from '../../gdpr/export.js';
import { route } from '../route.js';
import { eraseBodySchema, eraseQuerySchema, erasureSchema, patientParams } from '../schemas/retention.js';
import type { ApiServices } from '../services.js';

export function gdprRoutes(s: ApiServices) {
  const { store, audit } = s;
  return [
    route({
      method: 'GET', path: '/patients/:id/export', tag: 'gdpr', access: ['admin', 'auditor'], produces: 'application/zip',
      summary: 'Everything about a patient as a zip: patient.json, every scan as the scanner wrote it with its files, reports, notes and audit events',
      params: patientParams,
      handler: ({ ctx, params }) => {
        const patient = findPatient(store, params.id);
        const archive = patientExport(store, patient, { instanceId: store.meta.get('instance_id') ?? 'unknown', version: s.version });
        ctx.state.exported = { scans: archive.scans, images: archive.images, events: archive.events };
        ctx.type = 'application/zip';
        ctx.set('Content-Disposition', `attachment; filename="cusp-patient-${patient.pseudoId}.zip"`);
        ctx.body = Readable.from(archive.chunks, { objectMode: false });
        return undefined;
      },
      audit: ({ ctx, params }) => ({ action: 'patient.export', object: `patient:${params.id}`, details: { ...(ctx.state.exported as object) } }),
    }),
    route({
      method: 'DELETE', path: '/patients/:id', tag: 'gdpr', access: ['admin'], response: erasureSchema,
      answers: { 409: 'The patient is on legal hold' },
      summary: 'Erase a patient and all their scans for good (send {"confirm": "<id>"}); refused while on legal hold',
      params: patientParams, query: eraseQuerySchema, body: eraseBodySchema,
      auditedBy: 'the erasure (gdpr/erase.ts): its tombstone event in the transaction that erases',
      handler: async ({ params, query, body, principal, source }) => {
        try {
          // The erasure writes its own audit event (the tombstone) in its transaction.
          return await erasePatient({ store, audit, cancelJob: (id) => s.dispatcher?.cancel(id) }, {
            pseudoId: params.id, confirm: body?.confirm ?? query.confirm, actor: principal.actor, source,
          });
        } catch (err) {
          if (isCuspError(err) && err.code === 'conflict') {
            audit.append({ actor: principal.actor, action: 'patient.erase', object: `patient:${params.id}`, outcome: 'denied', source, details: { reason: 'legal hold' } });
          }
          throw err;
        }
      },
    }),
  ];
}

