/**
 * A patient's timeline, newest visit first, and the bridge practice software opens with
 * its own patient number: `/review/patients?ext=SYS:VALUE`. The bridge never picks: no
 * match says so, several matches are listed for the person to choose.
 */
import { api, ApiError } from '../api.js';
import { h, personName, replace } from '../dom.js';
import { navigate } from '../router.js';
import { loadVisit, previousOfJaw, visitCard, type ScanLine } from './visit-card.js';

interface Patient {
  id: string;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  externalIds: Array<{ system: string; value: string }>;
  legalHold: boolean;
}

function header(p: Patient): HTMLElement {
  return h('header', { class: 'patient' },
    h('h1', {}, personName(p)),
    h('p', { class: 'muted' }, p.birthDate ? `born ${p.birthDate} · ` : '', p.externalIds.map((e) => `${e.system}:${e.value}`).join(', ') || 'no practice number on record',
      p.legalHold ? ' · under legal hold' : ''));
}

/** `/review/patients/:id` — the timeline. */
export async function patientView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  const id = params.id;
  let patient: Patient & { visits: Array<{ id: number; date: string }> };
  try {
    patient = await api('GET', `/patients/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      replace(main, h('p', { class: 'error', role: 'alert' }, `There is no patient ${id} in Cusp.`));
      return;
    }
    throw err;
  }
  const visits = [...patient.visits].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
  const list = h('div', { class: 'timeline', id: 'timeline' }, h('p', { class: 'muted' }, 'Loading visits…'));
  replace(main, header(patient), h('p', {}, h('a', { href: '/review/feed' }, '← review feed')), list);
  const loaded = await Promise.all(visits.map((v) => loadVisit(v.id)));
  const all: ScanLine[] = loaded.flatMap((l) => l.visit.scans);
  const earlier = previousOfJaw(all);
  replace(list, ...(loaded.length ? loaded.map((l) => visitCard(l.visit, l.photos, earlier)) : [h('p', { class: 'muted' }, 'No visits yet.')]));
}

/** `/review/patients?ext=SYS:VALUE` — the bridge from practice software. */
export async function bridgeView(main: HTMLElement, _params: Record<string, string>, query: URLSearchParams): Promise<void> {
  const ext = query.get('ext')?.trim() ?? '';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}:.+$/.test(ext)) {
    replace(main, h('h1', {}, 'Find a patient'), h('p', { class: 'error', role: 'alert' },
      'The link from the practice program needs ?ext=SYSTEM:NUMBER, for example /review/patients?ext=pms:4711.'));
    return;
  }
  const { patients } = await api<{ patients: Patient[] }>('GET', `/patients?externalId=${encodeURIComponent(ext)}&limit=50`);
  if (patients.length === 1) {
    navigate(`/review/patients/${encodeURIComponent(patients[0].id)}`, true);
    return;
  }
  if (patients.length === 0) {
    replace(main, h('h1', {}, 'No patient found'), h('p', { id: 'bridge-none', role: 'status' },
      `No patient in Cusp has the practice number ${ext}. Scans of a new patient appear once the scanner's files arrive, or IT can add the number to the patient in Cusp.`));
    return;
  }
  replace(main, h('h1', {}, `${patients.length} patients have ${ext}`),
    h('p', { role: 'status', id: 'bridge-several' }, 'More than one patient record carries this practice number — choose the right person (and ask IT to merge duplicates):'),
    h('ul', { class: 'choices', id: 'bridge-choices' }, ...patients.map((p) => h('li', {},
      h('a', { href: `/review/patients/${encodeURIComponent(p.id)}` }, personName(p)), p.birthDate ? ` — born ${p.birthDate}` : '', h('span', { class: 'muted' }, ` (${p.id})`)))));
}
