/**
 * What a session opened through a signed review link may reach: the routes the review page
 * needs for one patient — the patient, their visits, scans, photos, tags and notes — and
 * only when every object the path names belongs to that patient. An allow-list, so a route
 * added later (a listing across patients, say) stays out of link sessions until someone
 * decides it belongs here.
 */
import type { Store } from '../store/store.js';
import type { LinkScope } from './session.js';

type Owner = (store: Store, id: string) => number | null | undefined;

const ofPatient: Owner = (store, pseudoId) => store.patients.getByPseudoId(pseudoId)?.id;
const ofScan: Owner = (store, uid) => store.scans.getByUid(uid)?.patientId;
const ofVisit: Owner = (store, id) => (/^\d{1,12}$/.test(id) ? store.visits.get(Number(id))?.patientId : undefined);
const ofImage: Owner = (store, uid) => store.images.getByUid(uid)?.patientId;
const ofAnnotation: Owner = (store, id) => {
  const a = /^\d{1,12}$/.test(id) ? store.annotations.get(Number(id)) : undefined;
  if (!a) return undefined;
  return a.scanId !== null ? store.scans.get(a.scanId)?.patientId : a.visitId !== null ? store.visits.get(a.visitId)?.patientId : undefined;
};

/** One allowed route shape: methods, the path below /api/v1 (its first group is the object id) and whose object that is. */
interface Allowed {
  methods: readonly string[];
  path: RegExp;
  owner?: Owner;
}

const SEG = '([^/]+)';
const ALLOWED: readonly Allowed[] = [
  { methods: ['GET', 'DELETE'], path: /^\/session$/ },
  { methods: ['GET'], path: new RegExp(`^/patients/${SEG}(?:/visits)?$`), owner: ofPatient },
  { methods: ['GET'], path: new RegExp(`^/scans/${SEG}(?:/annotations|/converted|/original|/artifacts/[^/]+)?$`), owner: ofScan },
  { methods: ['POST'], path: new RegExp(`^/scans/${SEG}/(?:annotations|links)$`), owner: ofScan },
  { methods: ['GET'], path: new RegExp(`^/visits/${SEG}(?:/annotations|/images)?$`), owner: ofVisit },
  { methods: ['POST'], path: new RegExp(`^/visits/${SEG}/(?:annotations|review)$`), owner: ofVisit },
  { methods: ['PATCH', 'DELETE'], path: new RegExp(`^/annotations/${SEG}$`), owner: ofAnnotation },
  { methods: ['GET'], path: new RegExp(`^/images/${SEG}(?:/file|/thumbnail)?$`), owner: ofImage },
];

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * True when a link session limited to `scope` may make this request. `path` is below
 * /api/v1; `query` is the parsed query string. The scan list is allowed only filtered to
 * the patient (the patient timeline uses it).
 */
export function linkAllows(store: Store, scope: LinkScope, method: string, path: string, query: Record<string, unknown>): boolean {
  if (path === '/scans') return method === 'GET' && query.patient === scope.patientPseudoId;
  for (const allowed of ALLOWED) {
    if (!allowed.methods.includes(method)) continue;
    const m = allowed.path.exec(path);
    if (!m) continue;
    if (!allowed.owner) return true;
    const id = decode(m[1]);
    return id !== undefined && allowed.owner(store, id) === scope.patientId;
  }
  return false;
}
