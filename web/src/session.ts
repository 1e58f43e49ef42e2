/**
 * Signing in and out (the session routes of the API) and automatic logoff: after
 * `idleLogoffMinutes` without a key, a click, a scroll or a request the page ends the
 * session itself and shows the sign-in form saying why. The page never polls, so the
 * server's own idle clock agrees with it.
 */
import { api, ApiError, onActivity, setCsrfToken } from './api.js';

/** The answer of `GET/POST /session`. */
export interface Session {
  principal: { id: number | string; name: string; role: string };
  csrfToken: string | null;
  idleLogoffMinutes: number;
}

/** The current session, or null when the browser is not signed in (401). */
export async function currentSession(): Promise<Session | null> {
  try {
    const s = await api<Session>('GET', '/session', undefined, { quiet: true });
    setCsrfToken(s.csrfToken);
    return s;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Exchange a clinician's API token for the session cookie. */
export async function signIn(token: string): Promise<Session> {
  const s = await api<Session>('POST', '/session', { token }, { quiet: true });
  setCsrfToken(s.csrfToken);
  return s;
}

/** End the session (the cookie is cleared by the answer). */
export async function signOut(): Promise<void> {
  try {
    await api('DELETE', '/session', undefined, { quiet: true });
  } finally {
    setCsrfToken(null);
  }
}

const EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * The page logs off a little before the server would (a tenth of the time, at most 5 s):
 * then its own DELETE ends the session (audited `session.end`) instead of arriving after
 * the server has expired it.
 */
export function clientIdleMs(minutes: number): number {
  const ms = minutes * 60_000;
  return Math.max(1000, ms - Math.min(5000, ms / 10));
}

/**
 * Runs `onIdle` after `minutes` with no input and no request. Returns a stop function.
 */
export function startIdleTimer(minutes: number, onIdle: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      stop();
      onIdle();
    }, clientIdleMs(minutes));
  };
  const offRequests = onActivity(arm);
  const stop = () => {
    stopped = true;
    offRequests();
    if (timer !== undefined) clearTimeout(timer);
    for (const e of EVENTS) window.removeEventListener(e, arm, true);
  };
  for (const e of EVENTS) window.addEventListener(e, arm, { capture: true, passive: true });
  arm();
  return stop;
}
