/** Reading a folder's `rule` setting into a rule that matches paths. */
import { CuspError } from '../errors.js';
import { compilePattern, compileRegex } from './pattern-rule.js';
import { PRESETS } from './presets/index.js';
import type { CompiledRule } from './types.js';

const PRESET_LIST = Object.keys(PRESETS).join(', ');

/**
 * Parses a folder's `rule`: a preset name (generic, auto, trios, medit, itero, primescan), a
 * pattern with named fields (`{lastName}_{firstName}_{date}_{jaw}`; fields lastName firstName
 * birthDate date jaw patientId orderId caseId any, `*` a wildcard), or `re:<regex>` with named
 * groups of the same names. Throws CuspError('config_invalid') naming the problem.
 */
export function compileRule(spec: string): CompiledRule {
  const text = spec.trim();
  if (text === '') {
    throw new CuspError('config_invalid', `filename rule is empty: use a preset (${PRESET_LIST}), a pattern like {lastName}_{firstName}_{date}_{jaw}, or re:<regex>`);
  }
  const key = text.toLowerCase();
  if (Object.hasOwn(PRESETS, key)) return PRESETS[key];
  if (text.startsWith('re:')) return compileRegex(text);
  if (/[{}*]/.test(text)) return compilePattern(text);
  throw new CuspError('config_invalid', `filename rule '${text}' is not a known preset (${PRESET_LIST}), nor a pattern with {fields}, nor re:<regex>`);
}

/**
 * A compiled folder rule kept across files: `compileRule` once per distinct `spec` (a folder's
 * rule is matched against every file it takes in). Specs come from the config and the API
 * (a handful per installation), so the cache stays small.
 */
const compiled = new Map<string, CompiledRule>();
export function cachedRule(spec: string): CompiledRule {
  let rule = compiled.get(spec);
  if (!rule) {
    rule = compileRule(spec);
    compiled.set(spec, rule);
  }
  return rule;
}
