/**
 * What each role may see of the changes feed and the live events. The auditor role checks
 * the audit trail and answers GDPR requests: it needs to know *that* something happened to
 * which scan or pseudonymous patient, never file names (scanners name files after
 * patients: `Smith_John_1955-05-05_upper.stl`) nor free-text reasons and errors that may
 * quote them. Clinical roles (admin, clinician, integration) see everything.
 */
import type { Role } from '../store/principals.js';
import type { Change } from '../store/changes.js';
import { CLINICAL } from './route.js';

/**
 * Keys of a change's `data` known to carry ids and enums only. An allow-list, so a key added
 * later (perhaps with a name in it) stays hidden from auditors until someone decides.
 */
const SAFE_DATA_KEYS = new Set(['patient', 'jaw', 'version', 'status', 'verdict', 'reports', 'artifacts', 'kind', 'scan', 'scans', 'on', 'fields', 'visit', 'source', 'state', 'from']);

/** True when `role` may see file names and free text (PHI) in events. */
export function seesPhi(role: Role): boolean {
  return CLINICAL.includes(role);
}

/** A change as `role` may see it: for non-clinical roles, `data` keeps only id and enum keys. */
export function changeForRole(change: Change, role: Role): Change {
  if (seesPhi(role)) return change;
  const data = Object.fromEntries(Object.entries(change.data).filter(([k]) => SAFE_DATA_KEYS.has(k)));
  if (Object.keys(data).length < Object.keys(change.data).length) data.redacted = true;
  return { ...change, data };
}

/** A live (bus) event's payload as `role` may see it: job errors and folder messages are free text. */
export function liveEventForRole(name: string, payload: unknown, role: Role): unknown {
  if (seesPhi(role) || typeof payload !== 'object' || payload === null) return payload;
  const p = { ...(payload as Record<string, unknown>) };
  if (name === 'job.finished' && 'error' in p) p.error = p.error === null ? null : 'hidden from this role';
  if (name === 'folder.state') delete p.message;
  return p;
}
