/**
 * Tags and notes on scans and visits — the clinical tagging of aligner check-ins, in the
 * vocabulary of schemas/annotation.ts. The author is the calling principal; only the author
 * or an admin may edit or delete one.
 */
import { z } from 'zod';
import { CuspError } from '../../errors.js';
import type { Annotation } from '../../store/annotations.js';
import type { ApiPrincipal } from '../auth.js';
import { CLINICAL, route, type HandlerInput } from '../route.js';
import { type AnnotationDto, annotationBodySchema, annotationDto, annotationPatchSchema, annotationSchema, patchedAnnotation } from '../schemas/annotation.js';
import { visitIdSchema } from '../schemas/patient.js';
import type { ApiServices } from '../services.js';

const scanParams = z.strictObject({ uid: z.uuid({ error: 'must be a scan uid' }) });
const visitParams = z.strictObject({ id: visitIdSchema });
const annotationParams = z.strictObject({ id: z.coerce.number({ error: 'must be an annotation id (a whole number)' }).int('must be an annotation id (a whole number)').positive('must be an annotation id (a whole number)') });
const listSchema = z.object({ annotations: z.array(annotationSchema) }).meta({ id: 'AnnotationList' });

type AnnotationBody = z.output<typeof annotationBodySchema>;

/** What an annotation's audit event names: the scan or visit it is on. */
const auditObject = (a: AnnotationDto) => (a.scan ? `scan:${a.scan}` : `visit:${a.visit}`);

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
  /** The annotation, when the caller wrote it or is an admin. */
  const own = (id: number, principal: ApiPrincipal, verb: string): Annotation => {
    const found = store.annotations.get(id);
    if (!found) throw new CuspError('not_found', `no annotation ${id}`);
    if (principal.role !== 'admin' && found.principalId !== authorId(principal)) {
      throw new CuspError('forbidden', `only the author of annotation ${id} or an admin may ${verb} it`);
    }
    return found;
  };
  /** Add an annotation on a scan or visit (`object`, as the audit trail names it). */
  const add = (on: { scanId: number } | { visitId: number }, object: string, { body, principal, record }: HandlerInput<unknown, unknown, AnnotationBody>) => store.transaction(() => {
    const created = store.annotations.add({ on, tag: body.tag, value: body.value, note: body.note, principalId: authorId(principal) });
    record({
      audit: { action: 'annotation.create', object, details: { annotation: created.id } },
      changes: [{ type: 'annotation.created', objectType: 'annotation', objectId: created.id, data: { on: objectOf(created) } }],
    });
    return annotationDto(store, created);
  });
  return [
    route({
      method: 'POST', path: '/scans/:uid/annotations', tag: 'annotations', access: CLINICAL, summary: 'Tag or annotate a scan: tracking (good|fair|poor), fit (good|partial|poor|none), hygiene (1–3), detail, action, or a note alone',
      params: scanParams, body: annotationBodySchema, response: annotationSchema, status: 201,
      audits: 'annotation.create',
      handler: (input) => add({ scanId: scanOf(input.params.uid).id }, `scan:${input.params.uid}`, input),
    }),
    route({
      method: 'GET', path: '/scans/:uid/annotations', tag: 'annotations', access: CLINICAL, summary: "A scan's tags and notes, oldest first",
      params: scanParams, response: listSchema,
      handler: ({ params }) => ({ annotations: store.annotations.forScan(scanOf(params.uid).id).map((a) => annotationDto(store, a)) }),
      audit: ({ params }) => ({ action: 'annotation.list', object: `scan:${params.uid}` }),
    }),
    route({
      method: 'POST', path: '/visits/:id/annotations', tag: 'annotations', access: CLINICAL, summary: 'Tag or annotate a visit (an aligner check-in), in the same vocabulary as a scan',
      params: visitParams, body: annotationBodySchema, response: annotationSchema, status: 201,
      audits: 'annotation.create',
      handler: (input) => add({ visitId: visitOf(input.params.id).id }, `visit:${input.params.id}`, input),
    }),
    route({
      method: 'GET', path: '/visits/:id/annotations', tag: 'annotations', access: CLINICAL, summary: "A visit's tags and notes, oldest first",
      params: visitParams, response: listSchema,
      handler: ({ params }) => ({ annotations: store.annotations.forVisit(visitOf(params.id).id).map((a) => annotationDto(store, a)) }),
      audit: ({ params }) => ({ action: 'annotation.list', object: `visit:${params.id}` }),
    }),
    route({
      method: 'PATCH', path: '/annotations/:id', tag: 'annotations', access: CLINICAL, summary: 'Change a tag\'s value or note (its author or an admin); the tag itself stays',
      params: annotationParams, body: annotationPatchSchema, response: annotationSchema,
      audits: 'annotation.update',
      handler: ({ params, body, principal, record }) => {
        const found = own(params.id, principal, 'edit');
        const to = patchedAnnotation(found, body);
        return store.transaction(() => {
          const updated = annotationDto(store, store.annotations.update(found.id, to)!);
          // Which fields changed, never the note's text.
          record({
            audit: { action: 'annotation.update', object: auditObject(updated), details: { annotation: updated.id, fields: Object.keys(body) } },
            changes: [{ type: 'annotation.updated', objectType: 'annotation', objectId: found.id, data: { on: objectOf(found), fields: Object.keys(body) } }],
          });
          return updated;
        });
      },
    }),
    route({
      method: 'DELETE', path: '/annotations/:id', tag: 'annotations', access: CLINICAL, summary: 'Delete a tag or note (its author or an admin); answers with what was deleted',
      params: annotationParams, response: annotationSchema,
      audits: 'annotation.delete',
      handler: ({ params, principal, record }) => {
        const found = own(params.id, principal, 'delete');
        const dto = annotationDto(store, found);
        store.transaction(() => {
          store.annotations.delete(found.id);
          record({
            audit: { action: 'annotation.delete', object: auditObject(dto), details: { annotation: dto.id } },
            changes: [{ type: 'annotation.deleted', objectType: 'annotation', objectId: found.id, data: { on: objectOf(found) } }],
          });
        });
        return dto;
      },
    }),
  ];
}
