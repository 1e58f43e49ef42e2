/**
 * Dentsply Sirona Primescan / Connect exports: a session folder with `UpperJaw.stl`,
 * `LowerJaw.stl`, `BuccalBite.stl` (German: `Oberkiefer.stl`, `Unterkiefer.stl`), newer ones
 * a folder per jaw with `UpperJaw/Data.obj`; some tools prefix the case: `case87990_UpperJaw.stl`.
 */
import { jawFromText } from '../jaw-words.js';
import { nameDateFolder } from '../patient-names.js';
import type { CompiledRule, RuleMatch, ScanPath } from '../types.js';

const JAW_NAME = String.raw`upper[ _]?jaw|lower[ _]?jaw|oberkiefer|unterkiefer|buccal[ _]?(?:bite|registration)?(?:[ _]?(?:left|right))?|bukkal(?:registrierung)?`;
/** `[<case>_]UpperJaw[ (1)]` */
const FILE = new RegExp(String.raw`^(?:(?<caseId>[^_]+)_)?(?<jaw>${JAW_NAME})(?:\s*\(\d+\)|_\d+)?$`, 'i');
const JAW_FOLDER = new RegExp(String.raw`^(?:${JAW_NAME})$`, 'i');
/** The mesh inside a per-jaw folder. */
const DATA_FILE = /^(?:data|mesh|scan)(?:\s*\(\d+\))?$/i;

function matchPrimescan(path: ScanPath): RuleMatch | undefined {
  const file = path.stem.match(FILE);
  const inJawFolder = !file && DATA_FILE.test(path.stem) && JAW_FOLDER.test(path.dirs.at(-1) ?? '');
  if (!file?.groups && !inJawFolder) return undefined;
  const jawText = file?.groups ? file.groups.jaw : (path.dirs.at(-1) ?? '');
  const session = inJawFolder ? path.dirs.at(-2) : path.dirs.at(-1);
  const caseId = file?.groups?.caseId ?? session;
  const fields: RuleMatch['fields'] = {};
  if (caseId) fields.caseId = caseId;
  const named = session ? nameDateFolder(session) : undefined;
  if (named) fields.date = named.date;
  return { rule: 'primescan', scanner: 'primescan', fields, patientName: named?.patientName, jaw: jawFromText(jawText) ?? 'other' };
}

export const PRIMESCAN: CompiledRule = { name: 'primescan', match: matchPrimescan };
