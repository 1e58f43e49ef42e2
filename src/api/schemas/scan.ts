/** The API's scan resource: one shape for lists and detail. */
import { z } from 'zod';
import type { Scan } from '../../store/scans.js';
import type { Store } from '../../store/store.js';

export const jawSchema = z.enum(['upper', 'lower', 'bite', 'other']);
export const statusSchema = z.enum(['received', 'validated', 'rejected', 'analysed']);
export const verdictSchema = z.enum(['ok', 'warn', 'fail']);

export const scanSchema = z.object({
  uid: z.string().describe('The scan id used everywhere in the API'),
  patient: z.string().nullable().describe('Pseudonymous patient id (GET /patients/{id} for the person); null while unassigned'),
  jaw: jawSchema,
  capturedAt: z.string().nullable(),
  receivedAt: z.string(),
  updatedAt: z.string(),
  status: statusSchema,
  verdict: verdictSchema.nullable(),
  reason: z.string().nullable().describe('Why a scan was rejected, or why its verdict is warn or fail (null for ok)'),
  format: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  version: z.number().int(),
  supersedes: z.string().nullable().describe('uid of the earlier version this re-export replaces'),
  source: z.object({ folder: z.string().nullable(), originalName: z.string(), scanner: z.string().nullable() }).meta({ id: 'ScanSource', description: 'Where the scan came from: the drop folder (null for uploads), the file name, the scanner' }),
}).meta({ id: 'Scan', description: 'A stored scan: one shape for lists and detail' });
export type ScanDto = z.infer<typeof scanSchema>;

/** The API shape of a stored scan. */
export function scanDto(store: Store, scan: Scan): ScanDto {
  return {
    uid: scan.uid,
    patient: scan.patientId === null ? null : scan.patientPseudoId ?? store.patients.pseudoIdOf(scan.patientId) ?? null,
    jaw: scan.jaw,
    capturedAt: scan.capturedAt,
    receivedAt: scan.receivedAt,
    updatedAt: scan.updatedAt,
    status: scan.status,
    verdict: scan.verdict,
    reason: scan.reason,
    format: scan.format,
    size: scan.size,
    sha256: scan.sha256,
    version: scan.version,
    supersedes: scan.supersedes === null ? null : store.scans.uidOf(scan.supersedes) ?? null,
    source: { folder: scan.sourceFolder, originalName: scan.originalName, scanner: scan.scanner },
  };
}

/**
 * scanDto's JSON, written by SQLite for a row of the scans table (ScanRepository.listAs):
 * the same members in the same order, so a listing is byte for byte what JSON.stringify of
 * scanDto gives (test/api/scan-json.test.ts holds them together).
 */
export const SCAN_DTO_JSON = `json_object('uid', uid, 'patient', (SELECT pseudo_id FROM patients WHERE id = scans.patient_id), 'jaw', jaw,
  'capturedAt', captured_at, 'receivedAt', received_at, 'updatedAt', updated_at, 'status', status, 'verdict', verdict, 'reason', reason,
  'format', format, 'size', size, 'sha256', sha256, 'version', version, 'supersedes', (SELECT s.uid FROM scans s WHERE s.id = scans.supersedes),
  'source', json_object('folder', source_folder, 'originalName', original_name, 'scanner', scanner))`;

/** Keyset cursors: opaque to clients, base64url JSON inside. */
export function encodeCursor(position: { value: string | null; id: number }): string {
  return Buffer.from(JSON.stringify([position.value, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { value: string | null; id: number } | undefined {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if ((typeof value === 'string' || value === null) && Number.isInteger(id)) return { value, id: id as number };
  } catch {
    // fall through
  }
  return undefined;
}
