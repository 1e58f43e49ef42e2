/** Visits: the scans of one appointment, with the tags and notes of the check-in. */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import { CLINICAL, route } from '../route.js';
import { annotationDto, annotationSchema } from '../schemas/annotation.js';
import { visitDto, visitIdSchema, visitSchema } from '../schemas/patient.js';
import { scanDto, scanSchema } from '../schemas/scan.js';
import type { ApiServices } from '../services.js';

export function visitRoutes(s: ApiServices) {
  const { store } = s;
  return [
    route({
      method: 'GET', path: '/visits/:id', tag: 'visits', access: CLINICAL, summary: 'One visit with its scans and its tags and notes',
      params: z.strictObject({ id: visitIdSchema }),
      response: visitSchema.extend({ scans: z.array(scanSchema), annotations: z.array(annotationSchema) }),
      handler: ({ params }) => {
        const visit = store.visits.get(params.id);
        if (!visit) throw new CuspError('not_found', `no visit ${params.id}`);
        const patient = store.patients.get(visit.patientId)!;
        return {
          ...visitDto(visit, patient.pseudoId),
          scans: store.scans.forVisit(visit.id).map((x) => scanDto(store, x)),
          annotations: store.annotations.forVisit(visit.id).map((a) => annotationDto(store, a)),
        };
      },
      audit: ({ params }, result) => ({ action: 'visit.read', object: `visit:${params.id}`, details: { patient: result.patient } }),
    }),
  ];
}
