/** Building DOM nodes without innerHTML (names and notes are data, never markup). */

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;

/** `h('a', { href: '/x', class: 'y', onclick: f }, 'text', child)`: an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

/** Append children (arrays flattened), skipping empty ones. */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, ...c);
    else el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Replace everything inside `el`. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** A number in mm with a fixed count of decimals and a sign when asked. */
export function mm(value: number, decimals = 2, signed = false): string {
  const s = value.toFixed(decimals);
  return `${signed && value > 0 ? '+' : ''}${s} mm`;
}

/** "Last, First" or the pseudonymous id when no name is on record. */
export function personName(p: { lastName: string | null; firstName: string | null; id: string }): string {
  const parts = [p.lastName, p.firstName].filter((x): x is string => !!x);
  return parts.length ? parts.join(', ') : `patient ${p.id}`;
}
