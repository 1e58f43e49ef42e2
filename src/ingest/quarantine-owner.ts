/**
 * Whose a quarantined file may be, for the admin who fixes it: what its path says under the
 * folder's rule (the same reading ingest makes) and the patient record that points to —
 * read only, never created or guessed. The same order as ingest: the external id a name
 * carries, else last name, first name and birth date, else a name only one record has.
 * Several records are reported as several; the person decides when the file is retried.
 */
import type { Patient } from '../store/patients.js';
import type { Store } from '../store/store.js';
import { cachedRule, identifyScan } from '../rules/index.js';

export interface QuarantineOwner {
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  /** The pseudonymous id of the one record the name points to, else null. */
  patient: string | null;
  /** How many records the name fits (0: none yet — retrying creates one; >1: identity review). */
  records: number;
}

/** `relativePath` (as it lay in the drop folder) read with the folder's rule; null when it names no one. */
export function quarantineOwner(store: Store, folder: { rule: string; layout: 'flat' | 'patient-subfolder' }, relativePath: string): QuarantineOwner | null {
  let hint;
  try {
    hint = identifyScan({ relativePath, rule: cachedRule(folder.rule), layout: folder.layout }).identity.patient;
  } catch {
    return null; // a rule that cannot read the name: the reason already says what went wrong
  }
  if (!hint || (!hint.lastName && !hint.externalId)) return null;
  const said = { lastName: hint.lastName ?? null, firstName: hint.firstName ?? null, birthDate: hint.birthDate ?? null };
  const byId = hint.externalId ? store.patients.findByExternalId(hint.externalId.system, hint.externalId.value) : undefined;
  // One record: as the record names them (with its birth date), not as the file name does.
  const record = (p: Patient): QuarantineOwner => ({ lastName: p.lastName, firstName: p.firstName, birthDate: p.birthDate, patient: p.pseudoId, records: 1 });
  if (byId) return record(byId);
  const byName = hint.lastName ? store.patients.findAllByName(hint.lastName, hint.firstName) : [];
  // As ingest: the same birth date first; else, with a birth date known on one side only, maybe.
  const sameBirth = hint.birthDate ? byName.filter((p) => p.birthDate === hint.birthDate) : [];
  const fits = sameBirth.length > 0 ? sameBirth : hint.birthDate ? byName.filter((p) => p.birthDate === null) : byName;
  return fits.length === 1 ? record(fits[0]) : { ...said, patient: null, records: fits.length };
}
