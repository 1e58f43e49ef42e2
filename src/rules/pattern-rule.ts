/**
 * Rules written by clinic IT: a pattern with named fields
 * (`{lastName}_{firstName}_{date}_{jaw}`, `*` for anything) or `re:` and a regular expression
 * whose named groups carry the same field names.
 */
import { CuspError } from '../errors.js';
import { DATE_SOURCE } from './dates.js';
import { FIELDS, type CompiledRule, type Field, type RuleMatch, type ScanPath } from './types.js';

const FIELD_LIST = FIELDS.join(', ');

function isField(name: string): name is Field {
  return (FIELDS as readonly string[]).includes(name);
}

function invalid(spec: string, problem: string): CuspError {
  return new CuspError('config_invalid', `filename rule '${spec}' ${problem}`);
}

/** The raw text of every named group that matched, 'any' left out. */
function fieldsOf(groups: Record<string, string | undefined>): RuleMatch['fields'] {
  const fields: RuleMatch['fields'] = {};
  for (const [name, value] of Object.entries(groups)) {
    if (value !== undefined && value !== '' && isField(name) && name !== 'any') fields[name] = value;
  }
  return fields;
}

/** The regex for one field; names and ids stop at the literal character that follows them. */
function fieldSource(field: Exclude<Field, 'any'>, next: string | undefined): string {
  if (field === 'date' || field === 'birthDate') return `(?<${field}>${DATE_SOURCE})`;
  const stop = next === undefined || next === '/' ? '/' : `/${next.replace(/[\]\\^-]/g, '\\$&')}`;
  return `(?<${field}>[^${stop}]+${next === undefined ? '' : '?'})`;
}

const TOKEN = /\{([^{}]*)\}|\*|[{}]|[^{}*]+/g;

/** Compiles `{field}` patterns. Matched against the file name without, then with, its extension. */
export function compilePattern(spec: string): CompiledRule {
  const tokens = [...spec.matchAll(TOKEN)].map((m) => m[0]);
  const seen = new Set<string>();
  let source = '';
  tokens.forEach((token, i) => {
    const next = tokens[i + 1]?.startsWith('{') || tokens[i + 1] === '*' ? undefined : tokens[i + 1]?.[0];
    if (token === '{' || token === '}') throw invalid(spec, `has an unmatched '${token}': fields look like {lastName}`);
    if (token === '*') {
      source += '[^/]*?';
      return;
    }
    const field = token.match(/^\{(.*)\}$/)?.[1];
    if (field === undefined) {
      source += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return;
    }
    if (!isField(field)) throw invalid(spec, `uses unknown field {${field}}: the fields are ${FIELD_LIST}`);
    if (field === 'any') {
      source += '[^/]*?';
      return;
    }
    if (seen.has(field)) throw invalid(spec, `uses {${field}} twice`);
    seen.add(field);
    source += fieldSource(field, next);
  });
  if (seen.size === 0) throw invalid(spec, `names no field: use fields like {lastName}_{firstName}_{date}_{jaw} (fields: ${FIELD_LIST})`);
  const re = new RegExp(`^${source}$`, 'iu');
  const depth = spec.split('/').length;
  return {
    name: spec,
    match(path: ScanPath): RuleMatch | undefined {
      const folders = path.dirs.slice(Math.max(0, path.dirs.length - (depth - 1))).join('/');
      for (const last of [path.stem, path.base]) {
        const target = depth > 1 ? `${folders}/${last}` : last;
        const m = target.match(re);
        if (m?.groups) return { rule: spec, scanner: null, fields: fieldsOf(m.groups) };
      }
      return undefined;
    },
  };
}

/** Compiles `re:<regex>` rules. Tried on the file name, the name without extension, then the whole path. */
export function compileRegex(spec: string): CompiledRule {
  const body = spec.slice(3);
  let re: RegExp;
  try {
    re = new RegExp(body, 'i');
  } catch (err) {
    throw invalid(spec, `is not a valid regular expression: ${(err as Error).message}`);
  }
  const groups = [...body.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]);
  if (groups.length === 0) throw invalid(spec, `has no named groups: name what each part is, e.g. (?<lastName>[^_]+) (fields: ${FIELD_LIST})`);
  const unknown = groups.find((g) => !isField(g));
  if (unknown) throw invalid(spec, `uses unknown group (?<${unknown}>): the fields are ${FIELD_LIST}`);
  return {
    name: spec,
    match(path: ScanPath): RuleMatch | undefined {
      for (const target of [path.base, path.stem, path.full]) {
        const m = target.match(re);
        if (m?.groups) return { rule: spec, scanner: null, fields: fieldsOf(m.groups) };
      }
      return undefined;
    },
  };
}
