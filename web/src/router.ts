/**
 * The app's routes (paths under /review, answered by the server with the same page) and
 * client-side navigation: links inside the page change the view without reloading.
 */

/** A view renders into `main` and may return its clean-up (WebGL contexts, key handlers). */
export type View = (main: HTMLElement, params: Record<string, string>, query: URLSearchParams) => Promise<(() => void) | void> | (() => void) | void;

interface Route {
  pattern: RegExp;
  names: string[];
  view: View;
}

const routes: Route[] = [];
let cleanup: (() => void) | void;
let renderId = 0;

/** Add a route; `path` like `/review/scans/:uid/compare/:other`. */
export function addRoute(path: string, view: View): void {
  const names: string[] = [];
  const source = path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  routes.push({ pattern: new RegExp(`^${source}/?$`), names, view });
}

/** Go to `path` inside the app (adds a history entry unless `replace`). */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

/** Render the view of the current location into `#app`. */
export async function render(): Promise<void> {
  const main = document.getElementById('app')!;
  const id = ++renderId;
  if (cleanup) {
    cleanup();
    cleanup = undefined;
  }
  const path = location.pathname;
  const route = routes.find((r) => r.pattern.test(path));
  main.replaceChildren();
  if (!route) {
    main.textContent = `There is no page at ${path} — go to the review feed.`;
    return;
  }
  const m = route.pattern.exec(path)!;
  const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
  let done: (() => void) | void;
  try {
    done = await route.view(main, params, new URLSearchParams(location.search));
  } catch (err) {
    // A 401 has already brought the sign-in form; anything else is said where the view would be.
    if (id !== renderId || (err as { status?: number }).status === 401) return;
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = `This page could not be shown: ${err instanceof Error ? err.message : String(err)}`;
    main.replaceChildren(p);
    return;
  }
  if (id !== renderId) {
    if (done) done(); // another view started meanwhile
    return;
  }
  cleanup = done;
}

/** Leave the current view (before showing the sign-in form). */
export function leave(): void {
  renderId++;
  if (cleanup) cleanup();
  cleanup = undefined;
}

/** Same-origin links under /review navigate inside the app. */
export function interceptLinks(): void {
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.origin !== location.origin || !a.pathname.startsWith('/review')) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
}
