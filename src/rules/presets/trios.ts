/**
 * 3Shape TRIOS and exocad-style case exports: a case folder `<case>/` holding
 * `<case>-upperjaw.stl`, `-lowerjaw.stl`, `-bite0.stl`, `-upperjaw-situ.stl` and a
 * `<case>.dentalProject` with the patient (read separately), plus 3Shape's own
 * `…_UpperJawScan.stl`, `PreparationScan.stl`, `AntagonistScan.stl` and `…_orig_trios_export`.
 */
import { DATE_SOURCE } from '../dates.js';
import { jawFromText } from '../jaw-words.js';
import type { CompiledRule, Jaw, RuleMatch, ScanPath } from '../types.js';

/** The scan words at the end of a TRIOS/exocad file name. */
const SCAN_WORD = String.raw`(?:upper|lower)jaw(?:scan)?(?:[-_ ]?situ)?|bite(?:scan)?\d*|(?:raw[ _]?)?(?:pre)?preparation[ _]?scan|(?:raw[ _]?)?antagonist[ _]?scan|buccal[ _]?bite\d*`;
const FILE = new RegExp(String.raw`^(?:(?<caseId>.+?)[-_ ])??(?<word>${SCAN_WORD})(?:[-_](?:orig_)?trios_export)?$`, 'i');
/** exocad case names start with the date: 2023-05-11_00003-001. */
const CASE_DATE = new RegExp(String.raw`^(?<date>${DATE_SOURCE})[_ -]`);

/** Preparation and antagonist scans say which role, not which jaw: the project knows. */
function jawOfWord(word: string): Jaw {
  const jaw = jawFromText(word);
  return /preparation/i.test(word) ? 'other' : (jaw ?? 'other');
}

function matchTrios(path: ScanPath): RuleMatch | undefined {
  const m = path.stem.match(FILE);
  // A bare 'Bite.stl' or 'UpperJaw.stl' is not TRIOS's: without a case prefix only 3Shape's '…Scan' names count.
  if (!m?.groups || (!m.groups.caseId && !/scan/i.test(m.groups.word))) return undefined;
  const caseId = m.groups.caseId ?? path.dirs.at(-1);
  const fields: RuleMatch['fields'] = {};
  if (caseId) fields.caseId = caseId;
  const date = caseId?.match(CASE_DATE)?.groups?.date;
  if (date) fields.date = date;
  return { rule: 'trios', scanner: 'trios', fields, jaw: jawOfWord(m.groups.word) };
}

export const TRIOS: CompiledRule = { name: 'trios', match: matchTrios };
