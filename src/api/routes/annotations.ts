/**
 * Tags and notes on scans and visits — the clinical tagging of aligner check-ins. The
 * author is the calling principal; only the author or an admin may delete one.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { Annotation } from '../../store/annotations.js';
import type { ApiPrincipal } from '../auth.js';
import { CLINICAL, route } from '../route.js';
import { annotationBodySchema, annotationDto, annotationSchema } from '../schemas/annotation.js';
import { visitIdSchema } from '../schemas/patient.js';
import type { ApiServices } from '../services.js';

const scanParams = z.strictObject({ uid: z.uuid({ error: 'must be a scan uid' }) });
const visitParams = z.strictObject({ id: visitIdSchema });
const annotationParams = z.strictObject({ id: z.coerce.number({ error: 'must be an annotation id (a whole number)' }).int('must be an annotation id (a whole number)').positive('must be an annotation id (a whole number)') });
const listSchema = z.object({ annotations: z.array(annotationSchema) });

/** The local administrator (admin socket) has no principal row: its annotations have no author id. */
const authorId = (p: ApiPrincipal) => (p.id === 0 ? null : p.id);

export function annotationRoutes(s: ApiServices) {
  const { store } = s;
  const scanOf = (uid: string) => {
    const scan = store.scans.getByUid(uid);
    if (!scan) throw new CuspError('not_found', `no scan ${uid}`);
    return scan;
  };
  const visitOf = (id: number) => {
    const visit = store.visits.get(id);
    if (!visit) throw new CuspError('not_found', `no visit ${id}`);
    return visit;
  };
  const objectOf = (a: Annotation) => (a.scanId !== null ? `scan:${store.scans.get(a.scanId)?.uid ?? a.scanId}` : `visit:${a.visitId}`);
  const add = (on: { scanId: number } | { visitId: number }, body: z.output<typeof annotationBodySchema>, principal: ApiPrincipal) => store.transaction(() => {
    const created = store.annotations.add({ on, tag: body.tag, value: body.value, note: body.note, principalId: authorId(principal) });
    store.changes.append('annotation.created', 'annotation', created.id, { on: objectOf(created) });
    return annotationDto(store, created);
  });
  return [
    route({
      method: 'POST', path: '/scans/:uid/annotations', tag: 'annotations', access: CLINICAL, summary: 'Tag or annotate a scan (tracking, fit, hygiene take a score 0–5 or ok|watch|act)',
      params: scanParams, body: annotationBodySchema, response: annotationSchema, status: 201,
      handler: ({ params, body, principal }) => add({ scanId: scanOf(params.uid).id }, body, principal),
      audit: ({ params }, result) => ({ action: 'annotation.create', object: `scan:${params.uid}`, details: { annotation: result.id } }),
    }),
    route({
      method: 'GET', path: '/scans/:uid/annotations', tag: 'annotations', access: CLINICAL, summary: "A scan's tags and notes, oldest first",
      params: scanParams, response: listSchema,
      handler: ({ params }) => ({ annotations: store.annotations.forScan(scanOf(params.uid).id).map((a) => annotationDto(store, a)) }),
      audit: ({ params }) => ({ action: 'annotation.list', object: `scan:${params.uid}` }),
    }),
    route({
      method: 'POST', path: '/visits/:id/annotations', tag: 'annotations', access: CLINICAL, summary: 'Tag or annotate a visit (an aligner check-in)',
      params: visitParams, body: annotationBodySchema, response: annotationSchema, status: 201,
      handler: ({ params, body, principal }) => add({ visitId: visitOf(params.id).id }, body, principal),
      audit: ({ params }, result) => ({ action: 'annotation.create', object: `visit:${params.id}`, details: { annotation: result.id } }),
    }),
    route({
      method: 'GET', path: '/visits/:id/annotations', tag: 'annotations', access: CLINICAL, summary: "A visit's tags and notes, oldest first",
      params: visitParams, response: listSchema,
      handler: ({ params }) => ({ annotations: store.annotations.forVisit(visitOf(params.id).id).map((a) => annotationDto(store, a)) }),
      audit: ({ params }) => ({ action: 'annotation.list', object: `visit:${params.id}` }),
    }),
    route({
      method: 'DELETE', path: '/annotations/:id', tag: 'annotations', access: CLINICAL, summary: 'Delete a tag or note (its author or an admin); answers with what was deleted',
      params: annotationParams, response: annotationSchema,
      handler: ({ params, principal }) => {
        const found = store.annotations.get(params.id);
        if (!found) throw new CuspError('not_found', `no annotation ${params.id}`);
        if (principal.role !== 'admin' && found.principalId !== authorId(principal)) {
          throw new CuspError('forbidden', `only the author of annotation ${params.id} or an admin may delete it`);
        }
        const dto = annotationDto(store, found);
        store.transaction(() => {
          store.annotations.delete(found.id);
          store.changes.append('annotation.deleted', 'annotation', found.id, { on: objectOf(found) });
        });
        return dto;
      },
      audit: (_input, result) => ({ action: 'annotation.delete', object: result.scan ? `scan:${result.scan}` : `visit:${result.visit}`, details: { annotation: result.id } }),
    }),
  ];
}
