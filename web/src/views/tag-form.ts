/**
 * The small forms the feed's T and M keys open: a tag from the check-in vocabulary of the
 * API (`POST /visits/:id/annotations`) or a free note. Enter saves, Escape closes.
 */
import { api } from '../api.js';
import { h, replace } from '../dom.js';

const VOCABULARY: Record<string, string[]> = {
  tracking: ['good', 'fair', 'poor'],
  fit: ['good', 'partial', 'poor', 'none'],
  hygiene: ['1', '2', '3'],
  detail: ['attachment-lost', 'attachment-worn', 'aligner-damaged', 'aligner-not-seated', 'tooth-not-tracking', 'space-opening',
    'gingival-inflammation', 'recession', 'caries-suspected', 'decalcification', 'elastic-issue', 'pain-reported'],
  action: ['continue', 'next-aligner', 'extend-wear', 'chewies', 'rebond-attachment', 'ipr', 'hygiene-instruction', 'refinement', 'rescan', 'refer', 'none'],
};

function closeOnEscape(form: HTMLFormElement, panel: HTMLElement, done: (m: string) => void): void {
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      done('');
      replace(panel);
    }
  });
}

/** The tag form for visit `visit` in `panel`; `done(message)` after saving or closing. */
export function openTagForm(panel: HTMLElement, visit: number, done: (message: string) => void): void {
  const tag = h('select', { id: 'tag-name', 'aria-label': 'Tag' }, ...Object.keys(VOCABULARY).map((t) => h('option', { value: t }, t)));
  const value = h('select', { id: 'tag-value', 'aria-label': 'Value' });
  const fill = () => replace(value, ...VOCABULARY[tag.value].map((v) => h('option', { value: v }, v)));
  tag.addEventListener('change', fill);
  fill();
  const error = h('span', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'inline-form', id: 'tag-form' }, h('strong', {}, 'Tag: '), tag, ' ', value, ' ', h('button', { type: 'submit' }, 'Save tag'), ' ', error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { tag: tag.value, value: tag.value === 'hygiene' ? Number(value.value) : value.value };
    void api('POST', `/visits/${visit}/annotations`, body).then(() => {
      replace(panel);
      done(`Tagged ${body.tag}: ${body.value}.`);
    }, (err: unknown) => (error.textContent = err instanceof Error ? err.message : String(err)));
  });
  // Enter on a select saves too (a select alone does not submit its form).
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'SELECT') {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  closeOnEscape(form, panel, done);
  replace(panel, form);
  tag.focus();
}

/** The note form for visit `visit`: Enter saves (Shift+Enter for a new line). */
export function openNoteForm(panel: HTMLElement, visit: number, done: (message: string) => void): void {
  const text = h('textarea', { id: 'note-text', rows: 2, cols: 60, 'aria-label': 'Note', maxlength: 4000 });
  const error = h('span', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'inline-form', id: 'note-form' }, h('strong', {}, 'Note: '), text, ' ', h('button', { type: 'submit' }, 'Save note'), ' ', error);
  const save = () => {
    if (!text.value.trim()) {
      error.textContent = 'Write something first, or press Escape.';
      return;
    }
    void api('POST', `/visits/${visit}/annotations`, { tag: 'note', note: text.value }).then(() => {
      replace(panel);
      done('Note saved.');
    }, (err: unknown) => (error.textContent = err instanceof Error ? err.message : String(err)));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      save();
    }
  });
  closeOnEscape(form, panel, done);
  replace(panel, form);
  text.focus();
}
