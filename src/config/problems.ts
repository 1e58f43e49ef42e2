/**
 * Turning validation issues into the lines `cusp config check` prints: `<key path>: <message>`,
 * with messages a clinic's IT person can act on ("did you mean 'stabilitySeconds'?").
 */
import type { z } from 'zod';
import { objectShape, schemaAt } from './schema-walk.js';

/** One thing wrong with the configuration, at a key path like `folders[1].after`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** `['folders', 1, 'after']` → `folders[1].after`; the empty path is `(top level)`. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? '(top level)' : out;
}

/** The value at a key path of parsed YAML, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  if (typeof value === 'object') return 'a mapping of keys';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return String(value);
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  string: 'text',
  object: 'a mapping of keys',
  array: 'a list',
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function unknownKey(schema: z.core.$ZodType, parent: readonly PropertyKey[], key: string): string {
  const known = Object.keys(objectShape(schemaAt(schema, parent) ?? schema) ?? {});
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(key.length / 4))) return `unknown key — did you mean '${best.k}'?`;
  return `unknown key — known keys here: ${known.join(', ')}`;
}

/**
 * Problems for the issues of a failed parse. `input` is what was validated (to describe
 * wrong values); `sources` names the env variable that set a key, so the message points
 * at the right place.
 */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], schema: z.core.$ZodType, input: unknown, sources: ReadonlyMap<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: keyPath([...issue.path, key]), message: unknownKey(schema, issue.path, key) });
      continue;
    }
    const value = valueAt(input, issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_type') {
      message = value === undefined ? 'is required' : `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describe(value)}`;
    } else if (issue.code === 'invalid_value') {
      message = `must be one of ${issue.values.map((v) => String(v)).join(', ')}, not ${describe(value)}`;
    }
    const path = keyPath(issue.path);
    const source = sources.get(issue.path.join('.'));
    problems.push({ path, message: source ? `${message} (set by ${source})` : message });
  }
  return problems;
}
