/** `/review/visits/:id` — one visit, with a way to its patient's timeline. */
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { loadVisit, previousOfJaw, type ScanLine } from './visit-card.js';
import { visitCard } from './visit-card.js';

export async function visitView(main: HTMLElement, params: Record<string, string>): Promise<void> {
  const { visit, photos } = await loadVisit(Number(params.id));
  // The comparison links need the patient's other scans.
  const { scans } = await api<{ scans: ScanLine[] }>('GET', `/scans?patient=${encodeURIComponent(visit.patient)}&limit=500`);
  replace(main, h('p', {}, h('a', { href: `/review/patients/${encodeURIComponent(visit.patient)}` }, '← the patient\'s timeline')), visitCard(visit, photos, previousOfJaw(scans)));
}
