/**
 * The default rule: the common `{lastName}_{firstName}[_{birthDate}]_{date}_{jaw}` names
 * (separators `_`, `-`, space or `.`; dates YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY), then every
 * scanner preset. Sidecars and jaw words anywhere in the path are applied by identifyScan
 * for every rule, so they need no step here.
 */
import { DATE_SOURCE } from '../dates.js';
import { jawFromText } from '../jaw-words.js';
import type { CompiledRule, RuleMatch, ScanPath } from '../types.js';
import { ITERO } from './itero.js';
import { MEDIT } from './medit.js';
import { PRIMESCAN } from './primescan.js';
import { TRIOS } from './trios.js';

/**
 * One separator per name (so `Müller-Lüdenscheidt_Hans_…` keeps its hyphen), names without
 * digits, and anything after the date (`_upper`, `-UpperJaw (1)`, `_OK_v2`) read for jaw words.
 */
function commonPatterns(): RegExp[] {
  const patterns: RegExp[] = [];
  for (const sep of ['_', '-', ' ', '.']) {
    const s = sep === '.' ? '\\.' : sep;
    const name = String.raw`\p{L}[^/\d${s === '-' ? '\\-' : s}]*`;
    const tail = String.raw`(?:[-_. ]+(?<rest>.*))?`;
    patterns.push(new RegExp(`^(?<lastName>${name})${s}(?<firstName>${name})${s}(?<birthDate>${DATE_SOURCE})${s}(?<date>${DATE_SOURCE})${tail}$`, 'iu'));
    patterns.push(new RegExp(`^(?<lastName>${name})${s}(?<firstName>${name})${s}(?<date>${DATE_SOURCE})${tail}$`, 'iu'));
  }
  return patterns;
}

const COMMON = commonPatterns();
/** Most specific first: iTero's order ids, Primescan's fixed names, Medit's dated folders, TRIOS cases. */
const SCANNER_PRESETS = [ITERO, PRIMESCAN, MEDIT, TRIOS];

function matchCommon(path: ScanPath): RuleMatch | undefined {
  for (const re of COMMON) {
    const g = path.stem.match(re)?.groups;
    if (!g) continue;
    const fields: RuleMatch['fields'] = { lastName: g.lastName, firstName: g.firstName, date: g.date };
    if (g.birthDate) fields.birthDate = g.birthDate;
    return { rule: 'generic', scanner: null, fields, jaw: g.rest ? jawFromText(g.rest) : undefined };
  }
  return undefined;
}

function matchGeneric(path: ScanPath): RuleMatch | undefined {
  const common = matchCommon(path);
  if (common) return common;
  for (const preset of SCANNER_PRESETS) {
    const found = preset.match(path);
    if (found) return found;
  }
  return undefined;
}

export const GENERIC: CompiledRule = { name: 'generic', match: matchGeneric };
export const AUTO: CompiledRule = { name: 'auto', match: matchGeneric };
