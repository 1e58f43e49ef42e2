/**
 * The syntax of a watched folder's `rule`: how its file names map to a patient and a jaw.
 * The config check compiles the rule with the very code ingest uses, so a rule that passes
 * `cusp config check` is one ingest can run.
 */
import { isCuspError } from '../errors.js';
import { compileRule, PRESETS } from '../rules/index.js';

/** Built-in rules for the scanner exports Cusp knows (see DESIGN.md). */
export const RULE_PRESETS = Object.keys(PRESETS);

/**
 * Why `rule` is not a valid rule, or undefined when it is. A rule is a preset name, a
 * pattern with `{fields}` (`{lastName}_{firstName}_{date}_{jaw}`), or `re:` + a regular
 * expression with named groups (`re:^(?<orderId>\d+)_.*_(?<jaw>[ul])\.stl$`).
 */
export function ruleProblem(rule: string): string | undefined {
  try {
    compileRule(rule);
    return undefined;
  } catch (err) {
    if (isCuspError(err)) return err.message;
    throw err;
  }
}
