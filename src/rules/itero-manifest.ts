/**
 * iTero / OrthoCAD's XML manifest `itero_export_#<order>_v30.xml`:
 * `<iTeroExport Version="3.0"><RxInfo>` with OrderID, OrderCode, CaseTypeName, Patient
 * ("A, B" — the order of the two parts is not labelled), Doctor, DueDate, ExportTime
 * (`MM/DD/YYYY[ HH:MM:SS]`, when the export was made, not when the patient was scanned),
 * and `<ExportedObjects>` naming each file with its jaw. Parsed with fast-xml-parser, read
 * tolerantly (elements or attributes, any letter case); junk gives undefined, never a throw.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseUsDate } from './dates.js';
import { cleanName } from './patient-names.js';

/** One file the manifest lists. */
export interface IteroObject {
  type: string;
  subType: string;
  jaw?: 'upper' | 'lower';
  fileName: string;
}

/** What an iTero manifest says. */
export interface IteroManifest {
  orderId?: string;
  orderCode?: string;
  caseType?: string;
  /** The Patient field as written: "Last, First" in most exports, but not labelled so. */
  patient?: string;
  /** ExportTime as YYYY-MM-DD: when the export was made (kept for the record, never the capture date). */
  exportedAt?: string;
  objects: IteroObject[];
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false,
  trimValues: true, processEntities: true, htmlEntities: true,
});

/** The child (element or attribute) named `name`, letter case ignored. */
function child(node: unknown, name: string): unknown {
  if (!node || typeof node !== 'object') return undefined;
  const want = name.toLowerCase();
  for (const [key, value] of Object.entries(node as XmlNode)) {
    const k = key.replace(/^@/, '').toLowerCase();
    if (k === want) return value;
  }
  return undefined;
}

/** The text of a child: an element's text or an attribute's value; '' counts as absent. */
function text(node: unknown, name: string): string | undefined {
  let value = child(node, name);
  if (Array.isArray(value)) value = value[0];
  if (value && typeof value === 'object') value = (value as XmlNode)['#text'];
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const t = cleanName(String(value));
  return t === '' ? undefined : t;
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether the text looks like an iTero manifest (cheap, before parsing). */
export function isIteroManifest(xml: string): boolean {
  return /<\s*iTeroExport[\s>]/i.test(xml.slice(0, 4096));
}

/** Reads an iTero manifest; undefined when the text is not one. */
export function parseIteroManifest(xml: string): IteroManifest | undefined {
  if (typeof xml !== 'string' || !isIteroManifest(xml)) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    return undefined;
  }
  const root = child(doc, 'iTeroExport');
  if (!root || typeof root !== 'object') return undefined;
  const rx = child(root, 'RxInfo') ?? root;
  const out: IteroManifest = { objects: [] };
  const orderId = text(rx, 'OrderID');
  if (orderId) out.orderId = orderId;
  const orderCode = text(rx, 'OrderCode');
  if (orderCode) out.orderCode = orderCode;
  const caseType = text(rx, 'CaseTypeName');
  if (caseType) out.caseType = caseType;
  const patient = text(rx, 'Patient');
  if (patient) out.patient = patient;
  const exported = text(rx, 'ExportTime');
  const exportedAt = exported ? parseUsDate(exported) : undefined;
  if (exportedAt) out.exportedAt = exportedAt;
  for (const o of asList(child(child(root, 'ExportedObjects'), 'Object'))) {
    const fileName = text(o, 'FileName');
    if (!fileName) continue;
    const jawId = text(o, 'JawId')?.toLowerCase();
    out.objects.push({
      type: text(o, 'ObjectType') ?? '', subType: text(o, 'SubType') ?? '', fileName,
      ...(jawId === 'upper' || jawId === 'lower' ? { jaw: jawId } : {}),
    });
  }
  return out;
}
