// The client's types are the routes' own: src/api/api-types.ts is generated from the
// OpenAPI document (made from the route declarations' zod schemas) and must be what the
// generator makes now; its shapes are checked against z.infer of the schemas at compile
// time (tsc runs over test/), and real answers parse with the routes' response schemas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Answer, RequestBody, Schema } from '../../src/api/client.js';
import { apiTypesSource } from '../../src/api/openapi-dump.js';
import type { AnnotationDto } from '../../src/api/schemas/annotation.js';
import type { AuditStatusDto, VerifyResultDto } from '../../src/api/schemas/audit.js';
import type { FolderDto, QuarantinedDto } from '../../src/api/schemas/folder.js';
import type { ReviewDto } from '../../src/api/schemas/identity.js';
import type { ImageDto } from '../../src/api/schemas/image.js';
import type { JobDto } from '../../src/api/schemas/job.js';
import type { PatientDto } from '../../src/api/schemas/patient.js';
import type { PrincipalDto, TokenDto } from '../../src/api/schemas/principal.js';
import type { ErasureDto, LegalHoldState } from '../../src/api/schemas/retention.js';
import type { ScanDto } from '../../src/api/schemas/scan.js';
import type { VisitDetailDto } from '../../src/api/schemas/visit.js';
import { apiStack } from '../helpers/api.js';
import { corpusBytes, hasCorpus } from '../helpers/corpus.js';

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

// Compile-time: each line fails `npm run typecheck` when the generated type and z.infer of
// the route schema part ways.
const sameShapes: [
  Equal<Schema<'Scan'>, ScanDto>,
  Equal<Answer<'/scans'>, { next: string | null; scans: ScanDto[] }>,
  Equal<Answer<'/scans', 'post'>, { duplicate: boolean; scan: ScanDto }>,
  Equal<Schema<'Patient'>, PatientDto>,
  Equal<Answer<'/patients', 'post'>, PatientDto>,
  Equal<Schema<'VisitDetail'>, VisitDetailDto>,
  Equal<Schema<'Job'>, JobDto>,
  Equal<Answer<'/jobs/{id}/retry', 'post'>, JobDto>,
  Equal<Schema<'Annotation'>, AnnotationDto>,
  Equal<Schema<'Image'>, ImageDto>,
  Equal<Schema<'Folder'>, FolderDto>,
  Equal<Schema<'QuarantinedFile'>, QuarantinedDto>,
  Equal<Schema<'Principal'>, PrincipalDto>,
  Equal<Schema<'Token'>, TokenDto>,
  Equal<Schema<'AuditStatus'>, AuditStatusDto>,
  Equal<Schema<'AuditVerification'>, VerifyResultDto>,
  Equal<Schema<'LegalHold'>, LegalHoldState>,
  Equal<Answer<'/patients/{id}', 'delete'>, ErasureDto>,
  Equal<RequestBody<'/retention', 'put'>, { basis?: 'captured' | 'received'; scansYears: number }>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

/**
 * Identity evidence is a record keyed by field names and objects with extra string members:
 * JSON Schema keeps the values but openapi-typescript widens the keys to string, so the
 * generated review type is wider than z.infer — every real review still fits it.
 */
const reviewFits: ReviewDto extends Schema<'IdentityReview'> ? true : false = true;

test('src/api/api-types.ts is what the generator makes from the routes now (npm run gen:api-types)', async () => {
  assert.equal(sameShapes.length, 19);
  assert.ok(reviewFits);
  const committed = readFileSync(new URL('../../src/api/api-types.ts', import.meta.url), 'utf8');
  const fresh = await apiTypesSource();
  assert.ok(committed === fresh, 'src/api/api-types.ts is out of date: run npm run gen:api-types and commit it');
});

test('what the client gets back parses with the route\'s own response schema', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const api = await apiStack(t);
  const client = api.as('clinician');
  const responseOf = (method: string, path: string) => api.routes.find((r) => r.method === method && r.path === path)!.response!;
  const uploaded = await client.uploadScan(corpusBytes('dental/openfulljaw_P26_maxilla_tooth08_incisor.stl'), 'a_upper.stl');
  assert.equal(uploaded.scan.jaw, 'upper');
  responseOf('POST', '/scans').parse(uploaded);
  const patient = await client.createPatient({ lastName: 'Typed', externalIds: [{ system: 'pms', value: '7' }] });
  responseOf('POST', '/patients').parse(patient);
  const assigned = await client.assignScan(uploaded.scan.uid, { patient: patient.id });
  assert.deepEqual(assigned.queued.map((j) => typeof j.id), assigned.queued.map(() => 'number'));
  responseOf('PUT', '/scans/:uid/patient').parse(assigned);
  const detail = await client.getScan(uploaded.scan.uid);
  responseOf('GET', '/scans/:uid').parse(detail);
  assert.equal(detail.arrivals[0].originalName, 'a_upper.stl', 'arrivals are typed, not unknown[]');
  responseOf('GET', '/scans').parse(await client.listScans());
  responseOf('GET', '/patients/:id').parse(await client.getPatient(patient.id));
  responseOf('GET', '/jobs').parse(await client.listJobs());
});
