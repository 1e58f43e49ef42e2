/**
 * The audit screen's filter as one line of `key=value` words
 * (`action=scan.* actor=local-admin outcome=denied from=2026-11-01`). Pure.
 */

export const FILTER_KEYS = ['action', 'actor', 'object', 'outcome', 'from', 'to'] as const;
export type AuditFilter = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

/** Parse the words; an unknown key or a word without `=` is an error naming it. */
export function parseAuditFilter(text: string): AuditFilter | { error: string } {
  const out: AuditFilter = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq <= 0) return { error: `"${word}" is not key=value (keys: ${FILTER_KEYS.join(', ')})` };
    const key = word.slice(0, eq) as (typeof FILTER_KEYS)[number];
    if (!FILTER_KEYS.includes(key)) return { error: `unknown filter ${key} (keys: ${FILTER_KEYS.join(', ')})` };
    out[key] = word.slice(eq + 1);
  }
  return out;
}

/** The filter as the words the user would type. */
export function formatAuditFilter(filter: AuditFilter): string {
  return FILTER_KEYS.filter((k) => filter[k]).map((k) => `${k}=${filter[k]}`).join(' ');
}
