/**
 * Reading the config schema as data: its keys, their types and which of them are paths.
 * Env overrides, path resolution, "did you mean" hints and the example-config test all
 * walk the one schema instead of keeping their own list of keys.
 */
import type { z } from 'zod';
import { pathFields } from './schema.js';

type Schema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  entries?: Record<string, string>;
}

function def(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional', 'catch']);

/** The schema under optional/default/pipe wrappers, and whether any layer was a path field. */
export function unwrap(schema: Schema): { schema: Schema; isPath: boolean } {
  let s = schema;
  let isPath = pathFields.has(s);
  for (;;) {
    const d = def(s);
    if (WRAPPERS.has(d.type) && d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else break;
    isPath ||= pathFields.has(s);
  }
  return { schema: s, isPath };
}

/** The keys of an object schema (after unwrapping), or undefined if it is not an object. */
export function objectShape(schema: Schema): Record<string, Schema> | undefined {
  const inner = unwrap(schema).schema;
  return def(inner).type === 'object' ? def(inner).shape : undefined;
}

/** The element schema of an array schema (after unwrapping), or undefined. */
export function arrayElement(schema: Schema): Schema | undefined {
  const inner = unwrap(schema).schema;
  return def(inner).type === 'array' ? def(inner).element : undefined;
}

export type LeafKind = 'string' | 'path' | 'number' | 'boolean' | 'enum';

/** One settable value of the config: its key path (`[]` marks an array element) and type. */
export interface Leaf {
  path: string[];
  kind: LeafKind;
  /** The allowed values of an enum. */
  options?: string[];
  /** True when the leaf sits inside a list (such as folders) and so has no single env var. */
  inArray: boolean;
}

function leafOf(schema: Schema, path: string[], inArray: boolean): Leaf {
  const { schema: inner, isPath } = unwrap(schema);
  const d = def(inner);
  if (d.type === 'enum') return { path, kind: 'enum', options: Object.values(d.entries ?? {}), inArray };
  if (d.type === 'number' || d.type === 'boolean') return { path, kind: d.type, inArray };
  return { path, kind: isPath ? 'path' : 'string', inArray };
}

/** Every leaf of the schema, depth first in schema order. */
export function leaves(schema: Schema, path: string[] = [], inArray = false): Leaf[] {
  const shape = objectShape(schema);
  if (shape) return Object.entries(shape).flatMap(([key, child]) => leaves(child, [...path, key], inArray));
  const element = arrayElement(schema);
  if (element) return leaves(element, [...path, '[]'], true);
  return [leafOf(schema, path, inArray)];
}

/**
 * Returns `value` with every string at a path field passed through `fn`, following the
 * schema, keys in schema order; anything the schema does not describe is kept as it is
 * (validation reports it).
 */
export function mapPaths(schema: Schema, value: unknown, fn: (path: string) => string): unknown {
  const shape = objectShape(schema);
  if (shape) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    // Rebuilt in schema order, so a printed config reads like the example config.
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(shape)) {
      if (key in input) out[key] = mapPaths(child, input[key], fn);
    }
    for (const key of Object.keys(input)) if (!(key in out)) out[key] = input[key];
    return out;
  }
  const element = arrayElement(schema);
  if (element) return Array.isArray(value) ? value.map((item) => mapPaths(element, item, fn)) : value;
  return typeof value === 'string' && value.length > 0 && unwrap(schema).isPath ? fn(value) : value;
}

/** The schema at a key path (numbers index arrays), or undefined when there is none. */
export function schemaAt(schema: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = schema;
  for (const key of path) {
    if (!s) return undefined;
    s = typeof key === 'number' ? arrayElement(s) : objectShape(s)?.[String(key)];
  }
  return s;
}
