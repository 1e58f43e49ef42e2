/**
 * iTero's Rx page `Rx_<order>.html`: table cells that read `Order ID: <order> <code>`,
 * `Patient: Last, First`, `Chart #: …`, `Scanning Date: MM/DD/YYYY` (a label and its value
 * in one cell, or in two cells side by side). Parsed with node-html-parser; every fact here is
 * labelled, so the patient's last and first name are known apart and a birth date is taken
 * only from a cell that says it is one. Junk gives undefined, never a throw.
 */
import { parse } from 'node-html-parser';
import { parseDate, parseUsDate } from './dates.js';
import { cleanName } from './patient-names.js';

/** What an Rx page says. */
export interface RxPage {
  orderId?: string;
  lastName?: string;
  firstName?: string;
  /** The practice's chart number for the patient. */
  chart?: string;
  /** The scanning date (YYYY-MM-DD): the visit's capture date. */
  scannedAt?: string;
  birthDate?: string;
}

type Label = 'order' | 'patient' | 'chart' | 'scanned' | 'birth';

const LABELS: Array<[RegExp, Label]> = [
  [/^order\s*(?:id|#|no\.?)$/i, 'order'],
  [/^patient(?:\s*name)?$/i, 'patient'],
  [/^chart\s*(?:#|no\.?|number)$/i, 'chart'],
  [/^scan(?:ning)?\s*date$/i, 'scanned'],
  [/^(?:date\s*of\s*birth|birth\s*date|dob)$/i, 'birth'],
];

function labelOf(text: string): Label | undefined {
  return LABELS.find(([re]) => re.test(text.trim()))?.[1];
}

/** A date as the Rx writes it (US order), else an ISO or European one. */
function rxDate(text: string): string | undefined {
  return parseUsDate(text) ?? parseDate(text);
}

/** Reads an Rx page; undefined when it has none of the labelled cells. */
export function parseRxHtml(html: string): RxPage | undefined {
  if (typeof html !== 'string' || !html.includes('<')) return undefined;
  let cells: string[];
  try {
    const root = parse(html, { comment: false, blockTextElements: { script: false, style: false } });
    cells = root.querySelectorAll('td, th, li, p, span, div')
      .filter((el) => el.querySelector('td, th, li, p, div') === null)
      .map((el) => cleanName(el.text));
  } catch {
    return undefined;
  }
  const found: Partial<Record<Label, string>> = {};
  cells.forEach((cell, i) => {
    const colon = cell.indexOf(':');
    const [label, value] = colon > 0 ? [labelOf(cell.slice(0, colon)), cell.slice(colon + 1).trim()] : [labelOf(cell.replace(/:$/, '')), ''];
    if (!label || found[label] !== undefined) return;
    // `<td>Patient:</td><td>Meier, Anna</td>`: the value is the next cell.
    const v = value !== '' ? value : (cells[i + 1] !== undefined && !labelOf((cells[i + 1].split(':')[0]) ?? '') ? cells[i + 1] : '');
    if (v !== '') found[label] = v;
  });
  const out: RxPage = {};
  if (found.order) out.orderId = found.order.split(/\s+/)[0];
  if (found.patient) {
    const comma = found.patient.indexOf(',');
    if (comma > 0) {
      const last = cleanName(found.patient.slice(0, comma));
      const first = cleanName(found.patient.slice(comma + 1));
      if (last) out.lastName = last;
      if (first) out.firstName = first;
    } else {
      out.lastName = found.patient;
    }
  }
  if (found.chart) out.chart = found.chart;
  const scannedAt = found.scanned ? rxDate(found.scanned) : undefined;
  if (scannedAt) out.scannedAt = scannedAt;
  const birthDate = found.birth ? rxDate(found.birth) : undefined;
  if (birthDate) out.birthDate = birthDate;
  return Object.keys(out).length === 0 ? undefined : out;
}
