/**
 * The bus speaks internal row ids (`scanId: 11`); everything that leaves the daemon speaks
 * the API's ids: a scan's uid and its patient's pseudonymous id. This turns a bus payload
 * into what the live stream sends.
 */
import type { ScanRepository } from '../store/scans.js';

/** A scan as the API names it. */
export interface ScanRef {
  scan: string;
  patient: string | null;
}

/** A lookup of a scan's uid and patient pseudoId by its row id (undefined once the scan is gone). */
export function scanRefs(scans: ScanRepository): (scanId: number) => ScanRef | undefined {
  return (scanId) => {
    try {
      const row = scans.ref(scanId);
      return row && { scan: row.uid, patient: row.pseudoId };
    } catch {
      // The database is closing under a stream (the daemon stops): a bus listener must not throw into the emitter.
      return undefined;
    }
  };
}

/**
 * A payload with `scanId` replaced by `scan` (uid) and `patient` (pseudoId), both null when
 * the event names no scan or the scan is gone; payloads without `scanId` pass unchanged.
 */
export function withApiIds(payload: unknown, refs: (scanId: number) => ScanRef | undefined): unknown {
  if (typeof payload !== 'object' || payload === null || !('scanId' in payload)) return payload;
  const { scanId, ...rest } = payload as { scanId: unknown } & Record<string, unknown>;
  const ref = typeof scanId === 'number' ? refs(scanId) : undefined;
  return { ...rest, scan: ref?.scan ?? null, patient: ref?.patient ?? null };
}
