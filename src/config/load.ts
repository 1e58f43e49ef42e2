/**
 * Finding, reading and validating the config: `--config`, else `CUSP_CONFIG`, else
 * `/etc/cusp/cusp.yaml` if present, else the built-in default. A file named by the flag
 * or the variable must exist — a typo there must not silently start the daemon on the
 * default. Relative paths in a file resolve against the file's folder; defaults and the
 * built-in config resolve against the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { CuspError } from '../errors.js';
import { crossCheck } from './checks.js';
import { applyEnv } from './env.js';
import { issuesToProblems, valueAt, type ConfigProblem } from './problems.js';
import { configFileSchema, configSchema, type CuspConfig } from './schema.js';
import { mapPaths } from './schema-walk.js';

/** Where the packaged daemon looks when neither --config nor CUSP_CONFIG is given. */
export const DEFAULT_ETC_PATH = '/etc/cusp/cusp.yaml';

export interface LocateOptions {
  /** The `--config` flag's value. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  /** Tests point this elsewhere; default /etc/cusp/cusp.yaml. */
  etcPath?: string;
  /** For a relative --config / CUSP_CONFIG; default process.cwd(). */
  cwd?: string;
}

export interface LoadOptions extends LocateOptions {
  cwd: string;
}

export type ConfigLocation = { path?: string; source: 'flag' | 'env' | 'etc' | 'builtin' };

export interface LoadedConfig {
  config: CuspConfig;
  source: 'file' | 'builtin';
  /** The config file, when there is one. */
  path?: string;
  /** Where the file was found. */
  location: ConfigLocation['source'];
  /** Things that are not errors but probably mistakes (an unknown CUSP_ variable, an ignored key). */
  warnings: ConfigProblem[];
}

/** Which config file applies, without reading it. */
export function locateConfig(opts: LocateOptions): ConfigLocation {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.flag) return { path: resolve(cwd, opts.flag), source: 'flag' };
  if (opts.env.CUSP_CONFIG) return { path: resolve(cwd, opts.env.CUSP_CONFIG), source: 'env' };
  const etc = opts.etcPath ?? DEFAULT_ETC_PATH;
  if (existsSync(etc)) return { path: etc, source: 'etc' };
  return { source: 'builtin' };
}

function readText(location: ConfigLocation & { path: string }): string | ConfigProblem {
  const where = location.source === 'flag' ? '--config' : location.source === 'env' ? 'CUSP_CONFIG' : location.path;
  try {
    return readFileSync(location.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied): run as the cusp user or fix its mode' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read: ${(err as Error).message}`;
    return { path: where, message: `${location.path} ${why}` };
  }
}

/** YAML text → plain data, with syntax errors as `file:line:col` problems. */
function parseYaml(text: string, file: string): { value: Record<string, unknown> } | { problems: ConfigProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return { path: pos ? `${file}:${pos.line}:${pos.col}` : file, message };
      }),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { value: {} };
  if (typeof value !== 'object' || Array.isArray(value)) return { problems: [{ path: '(top level)', message: 'must be a mapping of keys like `dataDir: /var/lib/cusp`' }] };
  return { value: dropNulls(value) as Record<string, unknown> };
}

/** `key:` with nothing after it means "the default", as if the key were not there. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
}

/**
 * The content with every value an issue points at removed, so its default applies; undefined
 * when that cannot work (a list element or the whole file is wrong).
 */
function withoutBadValues(content: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): Record<string, unknown> | undefined {
  const copy = structuredClone(content);
  for (const issue of issues) {
    const target = issue.code === 'unrecognized_keys' ? valueAt(copy, issue.path) : valueAt(copy, issue.path.slice(0, -1));
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path[issue.path.length - 1]];
    if (target === null || typeof target !== 'object' || Array.isArray(target)) return undefined;
    for (const key of keys) {
      if (typeof key !== 'string') return undefined;
      delete (target as Record<string, unknown>)[key];
    }
  }
  return copy;
}

export interface CheckResult {
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
  /** Present when there are no problems. */
  loaded?: LoadedConfig;
}

/** Finds, reads and validates the config, collecting every problem instead of stopping at the first. */
export function checkConfig(opts: LoadOptions): CheckResult {
  const location = locateConfig(opts);
  let content: Record<string, unknown> = {};
  if (location.path !== undefined) {
    const text = readText({ ...location, path: location.path });
    if (typeof text !== 'string') return { problems: [text], warnings: [] };
    const parsed = parseYaml(text, location.path);
    if ('problems' in parsed) return { problems: parsed.problems, warnings: [] };
    const fileDir = dirname(location.path);
    content = mapPaths(configFileSchema, parsed.value, (p) => resolve(fileDir, p)) as Record<string, unknown>;
  }
  const env = applyEnv(content, opts.env, opts.cwd);
  const result = configSchema.safeParse(env.value);
  const absolute = (data: z.output<typeof configSchema>): CuspConfig => mapPaths(configFileSchema, data, (p) => resolve(opts.cwd, p)) as CuspConfig;
  if (!result.success) {
    const problems = [...env.problems, ...issuesToProblems(result.error.issues, configFileSchema, env.value, env.sources)];
    // Run the checks across keys on what is left, so one pass reports every problem.
    const rest = withoutBadValues(env.value, result.error.issues);
    const retry = rest && configSchema.safeParse(rest);
    if (retry?.success) {
      const reported = new Set(problems.map((p) => p.path));
      problems.push(...crossCheck(absolute(retry.data)).problems.filter((p) => !reported.has(p.path)));
    }
    return { problems, warnings: env.warnings };
  }
  const config = absolute(result.data);
  const cross = crossCheck(config);
  const problems = [...env.problems, ...cross.problems];
  const warnings = [...env.warnings, ...cross.warnings];
  if (problems.length > 0) return { problems, warnings };
  return { problems, warnings, loaded: { config, source: location.path ? 'file' : 'builtin', path: location.path, location: location.source, warnings } };
}

/** Names the config for a message: `config /etc/cusp/cusp.yaml` or `the built-in default config`. */
export function describeConfig(loaded: { path?: string }): string {
  return loaded.path ? `config ${loaded.path}` : 'the built-in default config';
}

/**
 * Loads the config for the daemon or a command. Throws CuspError `config_invalid` whose
 * message names the first problem and whose `details.problems` lists them all.
 */
export function loadConfig(opts: LoadOptions): LoadedConfig {
  const { problems, loaded } = checkConfig(opts);
  if (loaded) return loaded;
  const where = describeConfig(locateConfig(opts));
  const first = `${problems[0].path}: ${problems[0].message}`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} — run 'cusp config check' to see them all)` : '';
  throw new CuspError('config_invalid', `${where} is not valid: ${first}${more}`, { details: { problems } });
}
