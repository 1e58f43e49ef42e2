/**
 * Medit Link exports: a folder `<PatientName>_<date>[_<time>]/` (date as YYYYMMDD or
 * YYYY-MM-DD) holding `Maxillary.stl`/`Mandibular.stl`, `upper.stl`/`lower.stl`,
 * `<case>-upperjaw.stl` (exocad style) or `…_Upper…` names; the jaw comes from the file's words.
 */
import { jawFromText } from '../jaw-words.js';
import { nameDateFolder } from '../patient-names.js';
import type { CompiledRule, RuleMatch, ScanPath } from '../types.js';

/** File names Medit writes even outside a dated folder. */
const MEDIT_FILE = /^(?:.*[-_ ])?(?:maxillary|mandibular)(?:[-_ ]situ)?(?:[-_ ]?\d+)?$/i;

function matchMedit(path: ScanPath): RuleMatch | undefined {
  const folderName = path.dirs.at(-1);
  const folder = folderName ? nameDateFolder(folderName) : undefined;
  if (!folder && !MEDIT_FILE.test(path.stem)) return undefined;
  const fields: RuleMatch['fields'] = {};
  if (folder) {
    fields.date = folder.date;
    fields.caseId = folderName;
  }
  return { rule: 'medit', scanner: 'medit', fields, patientName: folder?.patientName, jaw: jawFromText(path.stem) };
}

export const MEDIT: CompiledRule = { name: 'medit', match: matchMedit };
