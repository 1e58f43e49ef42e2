/**
 * The clinicians' review page. On load it asks the API for the session; without one it
 * shows the sign-in form. Views: the review feed, a patient's timeline (and the bridge
 * from practice software by external id), a visit, its bite in 3D, a scan in 3D, and a comparison.
 */
import { ApiError, onSessionLost } from './api.js';
import { h, replace } from './dom.js';
import { addRoute, interceptLinks, leave, navigate, render } from './router.js';
import { currentSession, signOut, startIdleTimer, type Session } from './session.js';
import { biteView } from './views/bite.js';
import { compareView } from './views/compare.js';
import { feedView } from './views/feed.js';
import { bridgeView, patientView } from './views/patient.js';
import { scanView } from './views/scan.js';
import { showSignIn } from './views/sign-in.js';
import { visitView } from './views/visit.js';

addRoute('/review', () => navigate('/review/feed', true));
addRoute('/review/feed', feedView);
addRoute('/review/patients', bridgeView);
addRoute('/review/patients/:id', patientView);
addRoute('/review/visits/:id', visitView);
addRoute('/review/visits/:id/bite', biteView);
addRoute('/review/scans/:uid', scanView);
addRoute('/review/scans/:uid/compare/:other', compareView);

let stopIdle: (() => void) | undefined;

function signedOut(message: string): void {
  stopIdle?.();
  stopIdle = undefined;
  leave();
  replace(document.getElementById('who')!);
  showSignIn(document.getElementById('app')!, message, (s) => void start(s));
}

async function start(session: Session): Promise<void> {
  const minutes = session.idleLogoffMinutes;
  stopIdle?.();
  stopIdle = startIdleTimer(minutes, () => {
    void signOut().catch(() => undefined).then(() => signedOut(`Signed out after ${formatMinutes(minutes)} idle.`));
  });
  replace(document.getElementById('who')!,
    h('span', { class: 'muted' }, `${session.principal.name} (${session.principal.role})`), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => void signOut().finally(() => signedOut('Signed out.')) }, 'Sign out'));
  await render();
}

function formatMinutes(m: number): string {
  return m >= 1 ? `${+m.toFixed(1)} minute${m === 1 ? '' : 's'}` : `${Math.round(m * 60)} seconds`;
}

onSessionLost((err: ApiError) => {
  signedOut(err.code === 'session_expired' ? 'Your session ended after a time without activity — sign in again.' : 'Please sign in.');
});

async function boot(): Promise<void> {
  interceptLinks();
  if (location.pathname === '/' ) history.replaceState(null, '', '/review/feed');
  try {
    const session = await currentSession();
    if (session) await start(session);
    else signedOut('');
  } catch (err) {
    replace(document.getElementById('app')!, h('p', { class: 'error', role: 'alert' }, `Cusp did not answer: ${err instanceof Error ? err.message : String(err)} — reload the page.`));
  }
}

void boot();
