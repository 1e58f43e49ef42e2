/**
 * The redaction guarantee: no value passed through `redact` — and so no log line, since the
 * logger runs every entry through it — carries a key, token, password, patient name or
 * birth date in a form Cusp knows about. It works in three layers:
 *
 * 1. Field names (`redact-fields.ts`): a key naming a secret (key, secret, token, password,
 *    passphrase, authorization, cookie, credential) or PHI (firstName, lastName,
 *    patientName, `name` inside `patient`, birthDate, dob, address, phone, email, ssn, …)
 *    hides its whole value as `[redacted]`, at any depth, in arrays and in Error objects.
 * 2. Registered secrets: exact substrings replaced anywhere in any string.
 * 3. Patterns in free text (`redact-text.ts`): credentials by shape, scan file names, dates.
 *    PHI values found by layer 1 are also hidden in every other string of the same entry,
 *    so a name in an error message next to a `lastName` field goes too.
 *
 * The logger also remembers the PHI values of recent entries (see logging.ts) and hides
 * them in later ones.
 *
 * What it cannot know: a name typed into a free-text message with no field naming it and
 * no file extension around it. Callers log ids (scan id, patient pseudonym), never names.
 * Errors become plain objects (name, message, stack, code, cause, own fields), binary data
 * becomes `[binary N bytes]`, cycles `[circular]`.
 */
import { fieldKind, isNameField } from './redact-fields.js';
import { hidePathName, phiPattern, redactText, type TextRules } from './redact-text.js';

export { phiPattern };

/** A string the caller vouches for: file-name hiding is skipped, every other rule applies. */
export class SafeValue {
  constructor(readonly value: string) {}

  toJSON(): string {
    return this.value;
  }
}

/**
 * Marks a path or name as safe to log whole (a config path, a folder the admin named).
 * Never use it for a scan file's path: log the scan id instead.
 */
export function safe(value: string): SafeValue {
  return new SafeValue(value);
}

export interface RedactOptions {
  /** Watched scan folders: below them, the whole relative path is hidden. */
  scanDirs?: Iterable<string>;
  /**
   * PHI values known from elsewhere (the logger's memory of earlier entries), hidden like
   * the entry's own; as strings, or as a pattern made once by `phiPattern`.
   */
  phi?: Iterable<string> | RegExp;
}

const MAX_DEPTH = 12;

interface Walk {
  rules: TextRules;
  seen: WeakSet<object>;
}

function isBinary(value: object): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

function collectPhi(value: unknown, out: string[], seen: WeakSet<object>, depth: number, inPatient: boolean): void {
  if (value === null || typeof value !== 'object' || seen.has(value) || depth > MAX_DEPTH || isBinary(value)) return;
  seen.add(value);
  const entries = value instanceof Error ? [...Object.entries(value), ['cause', value.cause] as const] : Object.entries(value);
  for (const [key, child] of entries) {
    const kind = Array.isArray(value) ? (inPatient ? 'patient' : 'plain') : fieldKind(key, inPatient);
    if (kind === 'phi') addPhiValue(child, isNameField(key), out);
    else if (kind === 'patient' && (typeof child === 'string' || typeof child === 'number')) addPhiValue(child, true, out);
    else collectPhi(child, out, seen, depth + 1, kind === 'patient');
  }
}

function addPhiValue(value: unknown, isName: boolean, out: string[]): void {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) out.push(value.toISOString().slice(0, 10));
    return;
  }
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const text = String(value);
  out.push(text);
  // "John Smith" in a patientName field: "Smith" alone in a message must go too.
  if (isName) out.push(...text.split(/[\s,;]+/).filter((word) => word.length >= 3));
}

function redactError(err: Error, walk: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: err.name,
    message: redactText(err.message, walk.rules),
  };
  if (err.stack) out.stack = redactText(err.stack, walk.rules);
  for (const [key, child] of Object.entries(err)) out[key] = redactField(key, child, walk, depth, false);
  if (err.cause !== undefined) out.cause = redactValue(err.cause, walk, depth + 1);
  if (err instanceof AggregateError) out.errors = redactValue(err.errors, walk, depth + 1);
  return out;
}

function redactField(key: string, value: unknown, walk: Walk, depth: number, inPatient: boolean): unknown {
  switch (fieldKind(key, inPatient)) {
    case 'secret':
    case 'phi':
      return value === undefined ? undefined : '[redacted]';
    case 'patient':
      return value !== null && typeof value === 'object' ? redactObject(value, walk, depth + 1, true) : '[redacted]';
    case 'file':
      if (value instanceof SafeValue) return redactText(value.value, walk.rules, true);
      if (typeof value === 'string') return hidePathName(redactText(value, walk.rules), walk.rules.scanDirs);
      return redactValue(value, walk, depth + 1);
    default:
      return redactValue(value, walk, depth + 1);
  }
}

function redactObject(value: object, walk: Walk, depth: number, inPatient: boolean): unknown {
  if (walk.seen.has(value)) return '[circular]';
  if (depth > MAX_DEPTH) return '[truncated]';
  walk.seen.add(value);
  if (Array.isArray(value)) {
    return value.map((item) =>
      inPatient && item !== null && typeof item === 'object' ? redactObject(item, walk, depth + 1, true) : inPatient ? '[redacted]' : redactValue(item, walk, depth + 1),
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const redacted = redactField(key, child, walk, depth, inPatient);
    if (redacted !== undefined) out[key] = redacted;
  }
  return out;
}

function redactValue(value: unknown, walk: Walk, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactText(value, walk.rules);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return redactText(value.toString(), walk.rules);
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break; // null, and the objects below
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof SafeValue) return redactText(obj.value, walk.rules, true);
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : redactText(obj.toISOString(), walk.rules);
  if (obj instanceof URL) return redactText(obj.href, walk.rules);
  if (isBinary(obj)) return `[binary ${obj.byteLength} bytes]`;
  if (walk.seen.has(obj)) return '[circular]';
  if (obj instanceof Error) {
    walk.seen.add(obj);
    return redactError(obj, walk, depth);
  }
  if (obj instanceof Map) return redactObject(Object.fromEntries([...obj].map(([k, v]) => [String(k), v])), walk, depth, false);
  if (obj instanceof Set) return redactObject([...obj], walk, depth, false);
  return redactObject(obj, walk, depth, false);
}

/** The PHI values `value` carries in PHI fields (names also as single words), for hiding elsewhere. */
export function phiValues(value: unknown): string[] {
  const out: string[] = [];
  if (value !== null && typeof value === 'object') collectPhi(value, out, new WeakSet(), 0, false);
  return out;
}

/**
 * Returns a copy of `value` that is safe to write to a log: plain JSON-able data with
 * secrets, PHI and scan file names hidden (see the guarantee at the top of this file).
 * `secrets` are exact strings to hide anywhere (keys, tokens, passwords).
 */
export function redact(value: unknown, secrets: Iterable<string> = [], options: RedactOptions = {}): unknown {
  const known = options.phi instanceof RegExp ? [options.phi] : [phiPattern(options.phi ?? [])];
  const rules: TextRules = {
    secrets: [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length),
    phi: [phiPattern(phiValues(value)), ...known].filter((p): p is RegExp => p !== undefined),
    scanDirs: [...(options.scanDirs ?? [])].map((dir) => dir.replace(/[\\/]+$/, '')).filter((dir) => dir.length > 0),
  };
  return redactValue(value, { rules, seen: new WeakSet() }, 0);
}
