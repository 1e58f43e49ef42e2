/**
 * One visit as the timeline shows it: date, title, review state, tags and notes, each scan
 * (thumbnail, jaw, verdict, a link to view it and to compare it with the patient's
 * previous scan of that jaw) and the photos.
 */
import { api } from '../api.js';
import { h } from '../dom.js';

/** The scan fields the page uses (`scanSchema` of the API). */
export interface ScanLine {
  uid: string;
  patient: string | null;
  jaw: string;
  capturedAt: string | null;
  receivedAt: string;
  status: string;
  verdict: 'ok' | 'warn' | 'fail' | null;
  reason: string | null;
  format: string;
}

/** `GET /visits/:id`. */
export interface VisitDetail {
  id: number;
  patient: string;
  date: string;
  title: string | null;
  review: { state: string; by: { name: string } | null; at: string | null; note: string | null };
  scans: ScanLine[];
  annotations: Array<{ id: number; tag: string; value: string | null; note: string | null; author: { name: string }; createdAt: string }>;
}

interface Photo { uid: string; kind: string | null; capturedAt: string | null }

/** The visit with its photos (an empty list when none). */
export async function loadVisit(id: number): Promise<{ visit: VisitDetail; photos: Photo[] }> {
  const [visit, images] = await Promise.all([
    api<VisitDetail>('GET', `/visits/${id}`),
    api<{ images: Photo[] }>('GET', `/visits/${id}/images`).catch(() => ({ images: [] as Photo[] })),
  ]);
  return { visit, photos: images.images ?? [] };
}

const when = (s: ScanLine) => s.capturedAt ?? s.receivedAt;

/**
 * The card; `earlier(scan)` names the patient's previous scan of that jaw (for the
 * comparison link), when there is one.
 */
export function visitCard(visit: VisitDetail, photos: Photo[], earlier: (s: ScanLine) => ScanLine | undefined): HTMLElement {
  const tags = visit.annotations.map((a) => h('li', { class: `tag tag-${a.tag}` },
    a.tag === 'note' ? `note: ${a.note ?? ''}` : `${a.tag}: ${a.value ?? ''}${a.note ? ` — ${a.note}` : ''}`, h('span', { class: 'muted' }, ` (${a.author.name})`)));
  const scans = [...visit.scans].sort((a, b) => a.jaw.localeCompare(b.jaw)).map((s) => {
    const prev = earlier(s);
    return h('li', { class: 'scan-card', 'data-scan': s.uid },
      h('a', { href: `/review/scans/${s.uid}` },
        h('img', { src: `/api/v1/scans/${s.uid}/artifacts/thumbnail`, alt: `${s.jaw} scan thumbnail`, width: 128, height: 128, loading: 'lazy' })),
      h('div', {},
        h('strong', {}, s.jaw), ' ',
        h('span', { class: `verdict ${s.verdict ?? s.status}` }, s.verdict ?? s.status),
        s.reason ? h('p', { class: 'muted small' }, s.reason) : null,
        h('p', {}, h('a', { href: `/review/scans/${s.uid}` }, 'view in 3D'),
          prev ? ' · ' : null,
          prev ? h('a', { href: `/review/scans/${s.uid}/compare/${prev.uid}`, class: 'compare-link' }, `compare with ${when(prev).slice(0, 10)}`) : null)));
  });
  const review = visit.review.state === 'pending' ? 'waiting for review'
    : `${visit.review.state} by ${visit.review.by?.name ?? 'someone'}${visit.review.at ? ` on ${visit.review.at.slice(0, 10)}` : ''}`;
  return h('section', { class: 'visit', id: `visit-${visit.id}`, 'data-visit': visit.id },
    h('h2', {}, h('a', { href: `/review/visits/${visit.id}` }, visit.date), visit.title ? ` — ${visit.title}` : ''),
    h('p', { class: `review-state ${visit.review.state}` }, review, visit.review.note ? ` — “${visit.review.note}”` : ''),
    tags.length ? h('ul', { class: 'tags' }, ...tags) : null,
    scans.length ? h('ul', { class: 'scans' }, ...scans) : h('p', { class: 'muted' }, 'No scans in this visit.'),
    hasBothJaws(visit) ? h('p', {}, h('a', { href: `/review/visits/${visit.id}/bite`, class: 'bite-link' }, 'the bite in 3D (upper and lower jaw together)')) : null,
    photos.length ? h('ul', { class: 'photos' }, ...photos.map((p) => h('li', {},
      h('a', { href: `/api/v1/images/${p.uid}/file`, target: '_blank', rel: 'noopener' },
        h('img', { src: `/api/v1/images/${p.uid}/thumbnail`, alt: `photo${p.kind ? ` (${p.kind})` : ''}`, height: 96, loading: 'lazy' }))))) : null);
}

/** Whether the visit holds an upper and a lower jaw scan (not rejected): the bite view needs both. */
function hasBothJaws(visit: VisitDetail): boolean {
  const jaws = new Set(visit.scans.filter((s) => s.status !== 'rejected').map((s) => s.jaw));
  return jaws.has('upper') && jaws.has('lower');
}

/** For each scan, the newest scan of the same jaw taken before it, among `all`. */
export function previousOfJaw(all: ScanLine[]): (s: ScanLine) => ScanLine | undefined {
  return (s) => all.filter((o) => o.uid !== s.uid && o.jaw === s.jaw && o.status !== 'rejected' && when(o) < when(s)).sort((a, b) => when(b).localeCompare(when(a)))[0];
}
