/**
 * `CUSP_*` environment overrides: `CUSP_` + the key path in UPPER_SNAKE
 * (`api.port` → `CUSP_API_PORT`, `log.levels.ingest` → `CUSP_LOG_LEVELS_INGEST`). Values
 * are converted to the key's type; a value that cannot be is a problem named by its
 * variable. Lists (folders) cannot be set this way. An empty value means "use the default".
 */
import { resolve } from 'node:path';
import type { ConfigProblem } from './problems.js';
import { configFileSchema } from './schema.js';
import { leaves, type Leaf } from './schema-walk.js';

/** Environment variables that are not config keys. */
const NOT_KEYS = new Set(['CUSP_CONFIG']);

/** The env variable for a key path: camelCase words split, upper-cased, joined by `_`. */
export function envVarName(path: readonly string[]): string {
  return `CUSP_${path.map((seg) => seg.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

/** Every key that an env variable can set, by variable name. */
export function envKeys(): Map<string, Leaf> {
  return new Map(leaves(configFileSchema).filter((leaf) => !leaf.inArray).map((leaf) => [envVarName(leaf.path), leaf]));
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function convert(leaf: Leaf, name: string, text: string, cwd: string): { value: unknown } | { problem: string } {
  switch (leaf.kind) {
    case 'number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? { value: n } : { problem: `${name}='${text}' is not a number` };
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return { value: true };
      if (FALSE.has(t)) return { value: false };
      return { problem: `${name}='${text}' is not true or false` };
    }
    case 'enum':
      return leaf.options?.includes(text) ? { value: text } : { problem: `${name}='${text}' is not one of ${leaf.options?.join(', ')}` };
    case 'path':
      // A path given in the environment is relative to where the command runs.
      return { value: resolve(cwd, text) };
    default:
      return { value: text };
  }
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): boolean {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (next === null || typeof next !== 'object' || Array.isArray(next)) return false;
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return true;
}

export interface EnvResult {
  /** The file's content with the overrides applied (a copy). */
  value: Record<string, unknown>;
  problems: ConfigProblem[];
  /** `CUSP_*` variables that are no config key (probably typos). */
  warnings: ConfigProblem[];
  /** Which key path (`api.port`) was set by which variable. */
  sources: Map<string, string>;
}

/** Applies the `CUSP_*` variables of `env` on top of a config file's content. */
export function applyEnv(file: Record<string, unknown>, env: NodeJS.ProcessEnv, cwd: string): EnvResult {
  const value = structuredClone(file);
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const sources = new Map<string, string>();
  const keys = envKeys();
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('CUSP_') || NOT_KEYS.has(name) || text === undefined) continue;
    const leaf = keys.get(name);
    if (!leaf) {
      const hint = name.startsWith('CUSP_FOLDERS') ? 'folders can only be set in the config file' : 'no config key has this name';
      warnings.push({ path: name, message: `ignored: ${hint}` });
      continue;
    }
    const dotted = leaf.path.join('.');
    const converted = text === '' ? { value: undefined } : convert(leaf, name, text, cwd);
    if ('problem' in converted) {
      problems.push({ path: dotted, message: converted.problem });
    } else if (setIn(value, leaf.path, converted.value)) {
      sources.set(dotted, name);
    }
  }
  return { value, problems, warnings, sources };
}
