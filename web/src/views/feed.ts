/**
 * The review feed, the morning routine: visits nobody has reviewed yet, oldest first, one
 * line each. Keys: N next, A mark reviewed, F flag, T tag, M note, Enter open, ? help.
 * A reviewed or flagged visit leaves the list and the next one is selected.
 */
import { api } from '../api.js';
import { h, mm, personName, replace } from '../dom.js';
import { navigate } from '../router.js';
import { openNoteForm, openTagForm } from './tag-form.js';

/** One line of `GET /review`. */
export interface FeedLine {
  visit: number;
  date: string;
  title: string | null;
  patient: { id: string; lastName: string | null; firstName: string | null; birthDate: string | null };
  scans: number;
  jaws: string[];
  verdicts: { ok: number; warn: number; fail: number; pending: number };
  deviationMm: { p95: number; max: number } | null;
  photos: number;
  lastReviewedBy: string | null;
}

const HELP: Array<[string, string]> = [
  ['N', 'next visit'], ['P', 'previous visit'], ['A', 'mark reviewed (nothing to do)'], ['F', 'flag for follow-up'],
  ['T', 'tag the visit'], ['M', 'add a note'], ['Enter', 'open the patient\'s timeline'], ['?', 'this help'], ['Esc', 'close a form or this help'],
];

function verdictText(v: FeedLine['verdicts']): string {
  const parts = [v.fail ? `${v.fail} fail` : '', v.warn ? `${v.warn} warn` : '', v.ok ? `${v.ok} ok` : '', v.pending ? `${v.pending} checking` : ''].filter(Boolean);
  return parts.join(', ') || 'no scans';
}

function lineView(l: FeedLine): HTMLLIElement {
  const worst = l.verdicts.fail ? 'fail' : l.verdicts.warn ? 'warn' : l.verdicts.pending ? 'pending' : 'ok';
  return h('li', { class: 'feed-line', 'data-visit': l.visit, tabindex: '-1', 'aria-selected': 'false', role: 'option' },
    h('span', { class: 'date' }, l.date),
    h('a', { href: `/review/patients/${encodeURIComponent(l.patient.id)}`, class: 'who' }, personName(l.patient)),
    h('span', { class: 'muted' }, l.patient.birthDate ? `born ${l.patient.birthDate}` : ''),
    h('span', { class: 'jaws' }, l.jaws.join(' + ') || '—'),
    h('span', { class: `verdict ${worst}` }, verdictText(l.verdicts)),
    h('span', { class: 'dev' }, l.deviationMm ? `change p95 ${mm(l.deviationMm.p95)}, max ${mm(l.deviationMm.max)}` : 'no comparison'),
    h('span', { class: 'muted' }, l.photos ? `${l.photos} photo${l.photos === 1 ? '' : 's'}` : ''),
    l.lastReviewedBy ? h('span', { class: 'muted' }, `new scan since ${l.lastReviewedBy}'s review`) : null,
    h('a', { href: `/review/visits/${l.visit}`, class: 'open' }, l.title ?? 'visit'));
}

/** `/review/feed` */
export async function feedView(main: HTMLElement): Promise<() => void> {
  const status = h('p', { class: 'status', role: 'status', id: 'feed-status' });
  const list = h('ol', { class: 'feed', id: 'feed', role: 'listbox', 'aria-label': 'Visits waiting for review, oldest first' });
  const help = h('aside', { class: 'help', id: 'help', hidden: true, 'aria-label': 'Keys' },
    h('h2', {}, 'Keys'), h('dl', {}, ...HELP.flatMap(([k, what]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)])));
  const count = h('span', { id: 'feed-count' });
  const panel = h('div', { id: 'feed-form' });
  replace(main, h('h1', {}, 'Review feed ', count), h('p', { class: 'muted' }, 'Visits waiting for review, oldest first. Press ? for the keys.'), status, panel, list, help);

  const { visits } = await api<{ visits: FeedLine[]; next: string | null }>('GET', '/review?limit=200');
  let lines = visits;
  let selected = 0;
  let busy = false;
  const draw = () => {
    count.textContent = `— ${lines.length} waiting`;
    if (!lines.length) {
      replace(list, h('li', { class: 'empty' }, 'Nothing waiting for review.'));
      return;
    }
    replace(list, ...lines.map(lineView));
    select(Math.min(selected, lines.length - 1));
  };
  const select = (i: number) => {
    selected = Math.max(0, Math.min(i, lines.length - 1));
    list.querySelectorAll('li').forEach((li, k) => {
      li.setAttribute('aria-selected', String(k === selected));
      li.classList.toggle('selected', k === selected);
    });
    const li = list.children[selected] as HTMLElement | undefined;
    li?.focus({ preventScroll: false });
  };
  const current = () => lines[selected];
  const review = async (state: 'reviewed' | 'flagged') => {
    const line = current();
    if (!line || busy) return;
    busy = true;
    try {
      await api('POST', `/visits/${line.visit}/review`, { state });
      lines = lines.filter((l) => l !== line);
      status.textContent = `Visit of ${line.date} (${personName(line.patient)}) ${state === 'reviewed' ? 'marked reviewed' : 'flagged for follow-up'}.`;
      draw();
    } catch (err) {
      status.textContent = `Could not save: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      busy = false;
    }
  };
  const done = (message: string) => {
    status.textContent = message;
    replace(panel);
    select(selected);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.closest('input, textarea, select') || target.isContentEditable)) return;
    if (e.key === 'Escape') {
      help.hidden = true;
      replace(panel);
      return;
    }
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    const line = current();
    switch (key) {
      case 'n': case 'j': case 'ArrowDown': select(selected + 1); break;
      case 'p': case 'k': case 'ArrowUp': select(selected - 1); break;
      case 'a': void review('reviewed'); break;
      case 'f': void review('flagged'); break;
      case 't': if (line) openTagForm(panel, line.visit, done); break;
      case 'm': if (line) openNoteForm(panel, line.visit, done); break;
      case 'Enter': if (line) navigate(`/review/patients/${encodeURIComponent(line.patient.id)}`); break;
      case '?': help.hidden = !help.hidden; break;
      default: return;
    }
    e.preventDefault();
  };
  list.addEventListener('click', (e) => {
    const li = (e.target as Element).closest('li[data-visit]');
    if (li) select([...list.children].indexOf(li));
  });
  draw();
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
