/** The sign-in form: a clinician's API token, exchanged once for the session cookie. */
import { ApiError } from '../api.js';
import { h, replace } from '../dom.js';
import { signIn, type Session } from '../session.js';

/** Show the form in `main`; `message` says why (signed out after idle, …). */
export function showSignIn(main: HTMLElement, message: string, onSignedIn: (s: Session) => void): void {
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false', 'aria-describedby': 'token-help' });
  const status = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'sign-in', id: 'sign-in', method: 'post', action: '/review/feed' },
    h('h1', {}, 'Sign in to Cusp review'),
    message ? h('p', { class: 'notice', id: 'signed-out', role: 'status' }, message) : null,
    h('label', { for: 'token' }, 'Your API token'),
    input,
    h('p', { id: 'token-help', class: 'muted' }, 'The clinician token IT gave you (cusp token create --role clinician). It is exchanged for a session in this browser and not stored by the page.'),
    h('button', { type: 'submit' }, 'Sign in'),
    status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    status.textContent = '';
    void signIn(input.value.trim()).then((s) => {
      input.value = '';
      onSignedIn(s);
    }, (err: unknown) => {
      status.textContent = err instanceof ApiError && err.status === 401 ? 'That token was not accepted — check it, or ask IT for a new one.'
        : err instanceof Error ? err.message : String(err);
    });
  });
  replace(main, form);
  input.focus();
}
