/**
 * The audit trail for other systems: FHIR R4 AuditEvent resources, one per line (NDJSON,
 * as FHIR bulk data does), and RFC 5424 syslog lines in the spirit of DICOM/IHE ATNA
 * (facility authpriv, `<85>` for a success). Both carry the chain's sequence number and
 * hash, so a copy can be matched against `cusp audit verify`; neither carries anything but
 * pseudonymous ids, as the events themselves do.
 */
import type { AuditLog } from './audit-log.js';
import type { AuditEvent } from './event.js';

export type AuditExportFormat = 'fhir' | 'syslog';

/** Who observed the events: this Cusp installation. */
export interface AuditSource {
  /** The installation's id (`meta.instance_id`). */
  instanceId: string;
  hostname: string;
  version: string;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** Cusp's own code system for its action names (`scan.read`, `patient.erase`, …). */
export const ACTION_SYSTEM = 'urn:cusp:audit-action';
/** The extension that carries the hash chain link of each event. */
export const CHAIN_EXTENSION = 'urn:cusp:fhir:audit-chain';

interface Coding { system: string; code: string; display: string }

const dcm = (code: string, display: string): Coding => ({ system: DCM, code, display });
const TYPES = {
  application: dcm('110100', 'Application Activity'),
  export: dcm('110106', 'Export'),
  import: dcm('110107', 'Import'),
  patientRecord: dcm('110110', 'Patient Record'),
  query: dcm('110112', 'Query'),
  securityAlert: dcm('110113', 'Security Alert'),
  authentication: dcm('110114', 'User Authentication'),
};

const verb = (action: string): string => action.slice(action.lastIndexOf('.') + 1);

/** The DICOM audit event type of a Cusp action. */
export function eventType(action: string): Coding {
  const [family] = action.split('.');
  const v = verb(action);
  if (family === 'auth') return TYPES.authentication;
  if (action === 'security.alert' || action === 'access.denied') return TYPES.securityAlert;
  if (v === 'export' || v === 'download') return TYPES.export;
  if (v === 'ingest' || v === 'upload' || v === 'import') return TYPES.import;
  if (v === 'list' || v === 'query' || v === 'search' || family === 'changes') return TYPES.query;
  if (family === 'patient' || family === 'scan' || family === 'visit' || family === 'annotation') return TYPES.patientRecord;
  return TYPES.application;
}

/** FHIR's action code: Create, Read, Update, Delete or Execute. */
export function actionCode(action: string): 'C' | 'R' | 'U' | 'D' | 'E' {
  const v = verb(action);
  if (/^(read|list|query|search|download|export|subscribe)$/.test(v)) return 'R';
  if (/^(ingest|create|add|upload|import|duplicate)$/.test(v)) return 'C';
  if (/^(delete|erase|purge|remove|revoke)$/.test(v)) return 'D';
  if (/^(update|pause|resume|hold|release|validate|assign|set)$/.test(v) || v.startsWith('legal_hold')) return 'U';
  return 'E';
}

const OUTCOME = { success: '0', denied: '4', failure: '8' } as const;
const isIp = (s: string): boolean => /^[\d.]+$/.test(s) || s.includes(':');

function entity(event: AuditEvent): Record<string, unknown> | undefined {
  const hasDetails = Object.keys(event.details).length > 0;
  if (!event.object && !hasDetails) return undefined;
  const out: Record<string, unknown> = {};
  if (event.object) {
    const kind = event.object.slice(0, event.object.indexOf(':'));
    out.what = { identifier: { system: 'urn:cusp:object', value: event.object } };
    out.type = kind === 'patient' ? { system: ENTITY_TYPE, code: '1', display: 'Person' } : { system: ENTITY_TYPE, code: '2', display: 'System Object' };
    if (kind === 'patient') out.role = { system: OBJECT_ROLE, code: '1', display: 'Patient' };
  }
  if (hasDetails) out.detail = [{ type: 'details', valueString: JSON.stringify(event.details) }];
  return out;
}

/** One audit event as a FHIR R4 AuditEvent resource. */
export function toFhirAuditEvent(event: AuditEvent, source: AuditSource): Record<string, unknown> {
  const agent: Record<string, unknown> = { who: { identifier: { system: 'urn:cusp:actor', value: event.actor } }, requestor: true };
  if (event.source === 'local') agent.network = { address: source.hostname, type: '1' };
  else if (event.source && isIp(event.source)) agent.network = { address: event.source, type: '2' };
  const resource: Record<string, unknown> = {
    resourceType: 'AuditEvent',
    id: `${source.instanceId}-${event.seq}`,
    extension: [{
      url: CHAIN_EXTENSION,
      extension: [{ url: 'seq', valueInteger: event.seq }, { url: 'hash', valueString: event.hash }, { url: 'prevHash', valueString: event.prevHash }],
    }],
    type: eventType(event.action),
    subtype: [{ system: ACTION_SYSTEM, code: event.action, display: event.action }],
    action: actionCode(event.action),
    recorded: event.time,
    outcome: OUTCOME[event.outcome],
    agent: [agent],
    source: {
      site: source.hostname,
      observer: { identifier: { system: 'urn:cusp:instance', value: source.instanceId }, display: `Cusp ${source.version} on ${source.hostname}` },
      type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
  };
  if (event.outcome !== 'success') resource.outcomeDesc = event.outcome === 'denied' ? 'access denied' : 'failed';
  const e = entity(event);
  if (e) resource.entity = [e];
  return resource;
}

/** RFC 5424 SD-PARAM value escaping, on one line. */
const sdValue = (v: string): string => v.replace(/[\\"\]]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
/** PRINTUSASCII without spaces, at most `max` characters ('-' when empty). */
const token = (v: string, max: number): string => v.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';

/** The syslog severity: alert for security alerts, warning for refusals and failures, else notice. */
function severity(event: AuditEvent): number {
  if (event.action === 'security.alert') return 1;
  return event.outcome === 'success' ? 5 : 4;
}

/** Facility 10 (security/authorization), as IHE ATNA uses. */
const FACILITY = 10;
/**
 * The SD-ID of Cusp's parameters. 32473 is the private enterprise number IANA reserves
 * for examples (RFC 5612): a clinic that forwards these lines may map it to its own.
 */
export const SD_ID = 'cusp-audit@32473';

/** One audit event as an RFC 5424 syslog line (without the trailing newline). */
export function toSyslogLine(event: AuditEvent, source: AuditSource): string {
  const params: Array<[string, string | number | null]> = [
    ['seq', event.seq], ['action', event.action], ['actor', event.actor], ['object', event.object], ['outcome', event.outcome],
    ['source', event.source], ['type', eventType(event.action).code], ['hash', event.hash], ['prevHash', event.prevHash], ['instance', source.instanceId],
  ];
  const sd = params.filter(([, v]) => v !== null).map(([k, v]) => `${k}="${sdValue(String(v))}"`).join(' ');
  const pri = FACILITY * 8 + severity(event);
  const header = `<${pri}>1 ${event.time} ${token(source.hostname, 255)} cusp - ${token(event.action, 32)}`;
  const origin = `[origin software="cusp" swVersion="${sdValue(source.version)}"]`;
  return `${header} ${origin}[${SD_ID} ${sd}] \uFEFF${JSON.stringify(event.details)}`;
}

/** The media type of an export. */
export function exportMediaType(format: AuditExportFormat): string {
  return format === 'fhir' ? 'application/fhir+ndjson' : 'text/plain; charset=utf-8';
}

/**
 * Every event after `since`, oldest first, one line each (newline included). Reads the
 * log in pages, so any length streams in flat memory.
 */
export function* auditExportLines(audit: AuditLog, format: AuditExportFormat, source: AuditSource, since = 0): Generator<string> {
  let after = since;
  for (;;) {
    const page = audit.events(after, 1000);
    for (const event of page) {
      yield `${format === 'fhir' ? JSON.stringify(toFhirAuditEvent(event, source)) : toSyslogLine(event, source)}\n`;
    }
    if (page.length < 1000) return;
    after = page[page.length - 1].seq;
  }
}
