/**
 * Redaction by field name: what a metadata key says about its value. A key naming a secret
 * or a piece of PHI hides its whole value, whatever its type; a key naming a file path
 * hides the file's name.
 */

/** How a value is treated because of the key it sits under. */
export type FieldKind = 'secret' | 'phi' | 'patient' | 'file' | 'plain';

// Matched against the key lower-cased with `_`/`-` removed, anywhere in the key: `apiKey`,
// `db_key`, `x-auth-token`, `adminPassword`, `set-cookie`, `credentialName` all hide.
const SECRET_WORDS = /key|secret|token|passw|passphrase|pwd|authorization|cookie|credential|^auth$/;

// Whole keys only: `name` alone is a folder or token name, `address` alone may be a postal one.
const PHI_KEYS = new Set([
  'firstname', 'lastname', 'givenname', 'familyname', 'surname', 'middlename', 'maidenname',
  'fullname', 'patientname', 'birthdate', 'dateofbirth', 'dob', 'birthday', 'address',
  'street', 'postcode', 'postalcode', 'phone', 'phonenumber', 'mobile', 'email',
  'emailaddress', 'ssn', 'socialsecuritynumber', 'insurancenumber', 'nationalid',
]);

// Keys whose values are names of people and worth hiding in the entry's other strings too.
const NAME_KEYS = new Set(['firstname', 'lastname', 'givenname', 'familyname', 'surname', 'middlename', 'maidenname', 'fullname', 'patientname', 'name']);

const FILE_KEYS = new Set(['file', 'path', 'filename', 'filepath', 'originalname', 'originalfilename', 'src', 'dest', 'destination', 'archivepath', 'quarantinepath']);

function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** The kind of field `key` is; `inPatient` is true for the direct keys of a `patient` object. */
export function fieldKind(key: string, inPatient: boolean): FieldKind {
  const k = normalize(key);
  if (SECRET_WORDS.test(k)) return 'secret';
  if (PHI_KEYS.has(k) || (inPatient && k === 'name')) return 'phi';
  if (k === 'patient' || k === 'patients') return 'patient';
  if (FILE_KEYS.has(k)) return 'file';
  return 'plain';
}

/** True when a PHI field under `key` holds a person's name (split into words for matching elsewhere). */
export function isNameField(key: string): boolean {
  return NAME_KEYS.has(normalize(key));
}
