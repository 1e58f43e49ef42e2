/**
 * The `validate` job around its worker: hand it the scan's bytes and siblings, store the
 * report and the verdict it returns, or mark the scan rejected with the reason.
 */
import type { AuditLog } from '../../audit/audit-log.js';
import { CuspError } from '../../errors.js';
import type { EventBus } from '../../events/bus.js';
import { busEvent, record } from '../../events/record.js';
import type { Store } from '../../store/store.js';
import type { JobHandler } from '../job-handler.js';
import { meshInput } from '../mesh-input.js';
import { queueAnalyses } from './analysis.js';

/** Bumped when the report's shape changes, so old reports can be told apart. */
export const VALIDATION_REPORT_VERSION = 1;

/** Why a scan got a warn or fail verdict: the messages of the issues at that severity, most important first. */
export function verdictReason(report: { verdict: string; issues: Array<{ severity: string; message: string }> }): string | null {
  if (report.verdict === 'ok') return null;
  const messages = report.issues.filter((i) => i.severity === report.verdict).map((i) => i.message);
  return messages.length ? messages.join(' ') : null;
}

export function validateHandler(deps: { store: Store; audit: AuditLog; bus: EventBus }): JobHandler<'validate'> {
  const { store } = deps;
  const scanOf = (scanId: number | null) => {
    const scan = scanId === null ? undefined : store.scans.get(scanId);
    if (!scan) throw new CuspError('not_found', `scan ${scanId} no longer exists`);
    return scan;
  };
  return {
    kind: 'validate',
    async prepare(job) {
      return { ...(await meshInput(store, scanOf(job.scanId))), options: { profile: job.payload.profile === 'solid' ? 'solid' : 'scan' } };
    },
    complete(job, result) {
      const scan = scanOf(job.scanId);
      const { report } = result;
      store.transaction(() => {
        store.reports.put(scan.id, 'validation', VALIDATION_REPORT_VERSION, { format: result.format, variant: result.variant, readWarnings: result.warnings, ...report });
        store.scans.setStatus(scan.id, 'validated', report.verdict, verdictReason(report));
        record(deps, {
          audit: { actor: 'system', action: 'scan.validate', object: `scan:${scan.uid}`, details: { verdict: report.verdict, triangles: report.triangles, issues: report.issues.length } },
          changes: [{ type: 'scan.validated', objectType: 'scan', objectId: scan.uid, data: { status: 'validated', verdict: report.verdict } }],
          events: [busEvent('scan.validated', { scanId: scan.id, uid: scan.uid, status: 'validated', verdict: report.verdict, reason: verdictReason(report) })],
        });
        queueAnalyses(store, store.scans.get(scan.id)!, job.payload.profile === 'solid' ? 'solid' : 'scan');
      });
    },
    failed(job, failure) {
      if (failure.code !== 'mesh_rejected') return; // a crash or time-out: the job shows the reason; the scan stays 'received'
      const scan = scanOf(job.scanId);
      store.transaction(() => {
        store.scans.setStatus(scan.id, 'rejected', null, failure.message);
        record(deps, {
          audit: { actor: 'system', action: 'scan.validate', object: `scan:${scan.uid}`, outcome: 'failure', details: { rejected: true } },
          changes: [{ type: 'scan.validated', objectType: 'scan', objectId: scan.uid, data: { status: 'rejected' } }],
          events: [busEvent('scan.validated', { scanId: scan.id, uid: scan.uid, status: 'rejected', verdict: null, reason: failure.message })],
        });
      });
    },
  };
}
