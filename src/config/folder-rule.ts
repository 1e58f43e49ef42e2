/**
 * The syntax of a watched folder's `rule`: how its file names map to a patient and a jaw.
 * Checked here so `cusp config check` catches a broken rule; ingest gives it meaning.
 */

/** Built-in rules for the scanner exports Cusp knows (see DESIGN.md). */
export const RULE_PRESETS = ['generic', 'trios', 'medit', 'itero', 'primescan'] as const;
export type RulePreset = (typeof RULE_PRESETS)[number];

/**
 * Why `rule` is not a valid rule, or undefined when it is. A rule is a preset name, a
 * pattern with `{placeholders}` (`{lastName}_{firstName}_{date}_{jaw}`), or
 * `re:` + a regular expression with named groups (`re:^(?<orderId>\d+)_.*_(?<jaw>[ul])\.stl$`).
 */
export function ruleProblem(rule: string): string | undefined {
  if ((RULE_PRESETS as readonly string[]).includes(rule)) return undefined;
  if (rule.startsWith('re:')) {
    let re: RegExp;
    try {
      re = new RegExp(rule.slice(3));
    } catch (err) {
      return `is not a valid regular expression: ${(err as Error).message}`;
    }
    if (!/\(\?<[A-Za-z_]\w*>/.test(re.source)) return 'has no named groups: name what each part is, e.g. (?<lastName>[^_]+)';
    return undefined;
  }
  const placeholders = rule.match(/\{[A-Za-z]\w*\}/g) ?? [];
  const stray = rule.replace(/\{[A-Za-z]\w*\}/g, '').match(/[{}]/);
  if (stray) return `has an unmatched '${stray[0]}': placeholders look like {lastName}`;
  if (placeholders.length === 0) return `is neither a preset (${RULE_PRESETS.join(', ')}) nor a pattern with {placeholders} nor re:<regex>`;
  return undefined;
}
