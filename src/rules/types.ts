/**
 * The shapes shared by the filename rules: what a scan's path tells about its patient and
 * jaw, and what a compiled rule looks like inside.
 */
import type { Jaw } from '../store/scans.js';

export type { Jaw };

/** What a file, folder or sidecar says about the patient; matched to a stored patient later. */
export interface PatientHint {
  lastName?: string;
  firstName?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  /** The patient's id in another system: the practice software ('pms'), a chart number ('chart'), … */
  externalId?: { system: string; value: string };
  /**
   * A scanner order the scan belongs to ('itero-order'). Not a person's id — every visit has a
   * new one — but the same order is the same patient: a re-export without names finds them by it.
   */
  orderId?: { system: string; value: string };
  /** A patient Cusp already has (an API upload names it): used as is, never matched or created. */
  pseudoId?: string;
}

/** The scanners Cusp ships rules for. */
export type Scanner = 'trios' | 'medit' | 'itero' | 'primescan';

/** Who a scan belongs to and what it shows, as far as its name and sidecars tell. */
export interface ScanIdentity {
  /** null: unassigned, to be assigned through the API. */
  patient: PatientHint | null;
  /** 'other' when nothing says. */
  jaw: Jaw;
  /** YYYY-MM-DD when the name or a sidecar says. */
  capturedAt: string | null;
  scanner: Scanner | null;
  /** The file-name rule that matched, else the source that named the patient, else 'none'. */
  rule: string;
  /** The case, order or session id when the export has one. */
  caseId?: string;
}

/**
 * Where a fact about a scan came from, most trusted first: the scanner's XML manifest, its
 * Rx page, an exocad `.dentalProject`, a JSON sidecar, the patient folder (patient-subfolder
 * layout), the folder and file names the rule read, the file's modification time, the time
 * an upload was received.
 */
export const SOURCES = ['manifest', 'rx', 'dentalProject', 'sidecar', 'folder', 'name', 'mtime', 'received'] as const;
export type SourceKind = (typeof SOURCES)[number];

/** The fields identity is made of, each found in some source. */
export const IDENTITY_FIELDS = ['lastName', 'firstName', 'birthDate', 'externalId', 'orderId', 'capturedAt', 'jaw', 'caseId', 'scanner'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** What one source said, as read (external ids as `system:value`). */
export type SourceSaid = { source: SourceKind } & Partial<Record<IdentityField, string>>;

/** A field's value and the source it was taken from. */
export interface FieldFact {
  value: string;
  source: SourceKind;
}

/** Two or more sources that name different values for an identity field: a person decides. */
export interface IdentityConflict {
  field: 'name' | 'birthDate' | 'externalId';
  values: Array<{ source: SourceKind; value: string }>;
}

/**
 * How an identity was reached: every field with its source, what each source said, and the
 * conflicts that send the scan to identity review. Stored with the scan; holds names (it
 * lives in the encrypted database and is served to clinical roles only, never logged).
 */
export interface IdentityEvidence {
  fields: Partial<Record<IdentityField, FieldFact>>;
  said: SourceSaid[];
  conflicts: IdentityConflict[];
  warnings: string[];
}

/** The named fields a pattern or regular expression may capture. */
export const FIELDS = ['lastName', 'firstName', 'birthDate', 'date', 'jaw', 'patientId', 'orderId', 'caseId', 'any'] as const;
export type Field = (typeof FIELDS)[number];

/** A path inside a watched folder, taken apart once. */
export interface ScanPath {
  /** The whole relative path, POSIX separators. */
  full: string;
  /** The folders above the file, outermost first. */
  dirs: string[];
  /** The file name with its extension. */
  base: string;
  /** The file name without a known mesh/export extension. */
  stem: string;
}

/** What a rule read from a path, before dates and words are checked. */
export interface RuleMatch {
  /** The name reported as ScanIdentity.rule. */
  rule: string;
  scanner: Scanner | null;
  /** Raw text of the captured fields ('any' is dropped). */
  fields: Partial<Record<Exclude<Field, 'any'>, string>>;
  /** A whole patient name ('Smith, John', 'Smith_John', 'John Smith') still to be split. */
  patientName?: string;
  /** The jaw when the rule knows it from the scanner's own words. */
  jaw?: Jaw;
}

/** A folder's rule, ready to match paths. */
export interface CompiledRule {
  /** A preset name, or the pattern text as configured. */
  readonly name: string;
  /** Reads a path; undefined when the rule does not apply to it. */
  readonly match: (path: ScanPath) => RuleMatch | undefined;
}
