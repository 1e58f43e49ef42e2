/**
 * Keys. One router at the console's root reads every key press (one Ink `useInput`) and
 * hands it to the keymaps registered now. A screen declares its keys as a map
 * (`{ r: retry, up: moveUp }`). While a text field or a question holds the keyboard, only
 * the keymaps of the holder get keys — the global screen keys included are paused, so
 * typing "q" into a search does not quit.
 *
 * Keymaps register in layout effects and are read when the key arrives, so a key typed
 * the instant a field appears reaches that field (Ink's own per-component subscriptions
 * happen in passive effects, which may run after the frame is on screen).
 */
import { createContext, useContext, useLayoutEffect, useRef } from 'react';
import type { Key } from 'ink';
import { unstable_NormalPriority as NormalPriority, unstable_scheduleCallback as scheduleCallback } from 'scheduler';

export type Keymap = Partial<Record<string, () => void>>;

/** The name of a key press: `up`, `down`, `return`, `escape`, `tab`, `backspace`, …, or the character typed. */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  return input;
}

interface Listener {
  handler: (input: string, key: Key) => void;
  active: boolean;
  /** Gets keys while the keyboard is held (it belongs to the holder). */
  owner: boolean;
}

/** A key with no flag set (Ink's Key shape). */
function plainKey(): Key {
  return {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
    super: false, hyper: false, capsLock: false, numLock: false,
  };
}

/** One character of a burst as the key press it stands for, the way Ink names a single one. */
export function keyOfChar(ch: string): [string, Key] {
  const key = plainKey();
  if (ch === '\r' || ch === '\n') return ['', { ...key, return: true }];
  if (ch === '\t') return ['', { ...key, tab: true }];
  if (ch === '\x7f') return ['', { ...key, delete: true }];
  if (ch === '\b') return ['', { ...key, backspace: true }];
  if (ch === '\x1b') return ['', { ...key, escape: true, meta: true }];
  const code = ch.codePointAt(0)!;
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...key, ctrl: true }];
  return [ch, { ...key, shift: /^[A-Z]$/.test(ch) }];
}

/** Ink's names for the start and end of a bracketed paste (the CSI sequences without their ESC). */
const PASTE_START = '[200~';
const PASTE_END = '[201~';

/** True when Ink gave `key` a name (an arrow, Enter, a chord…) rather than plain text. */
function named(key: Key): boolean {
  return key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageDown || key.pageUp || key.home || key.end
    || key.return || key.escape || key.ctrl || key.tab || key.backspace || key.delete || key.meta;
}

/**
 * The root's router: who listens and who holds the keyboard, both current at every key.
 *
 * Ink hands over what one read of the terminal held. Keys that came faster than it reads (a
 * held Backspace, `jjj`, typed ahead over a slow SSH link) arrive as one string, which no
 * keymap and no field understands; escape sequences in one read (fast arrows) arrive as
 * separate keys but all in the same turn, before React has applied the first, so each
 * handler would read the state from before the burst and all but one key are lost. So every
 * key goes through one queue: the first at once, each next one on a later turn, after React
 * has applied the one before (next in line on React's own scheduler) —
 * a key reads the state the key before it made, and a key that opens a field has its field
 * get the keys after it. A bracketed paste (the console turns the mode on) arrives whole as
 * text, its line breaks as spaces: pasting never presses Enter.
 */
export class KeyRouter {
  readonly listeners = new Set<{ current: Listener }>();
  readonly holders = new Set<symbol>();
  /** Keys waiting their turn. */
  readonly #queue: Array<[string, Key]> = [];
  #draining = false;
  /** The text of a bracketed paste so far; undefined outside one. */
  #paste: string | undefined;

  /** Hand one key press to every listener that may have it now. */
  dispatch(input: string, key: Key): void {
    const held = this.holders.size > 0;
    for (const l of [...this.listeners]) {
      const { handler, active, owner } = l.current;
      if (active && (owner || !held)) handler(input, key);
    }
  }

  /** Take what Ink read: one key, a burst of keys, or a part of a bracketed paste. */
  feed(input: string, key: Key): void {
    if (this.#paste === undefined && input === PASTE_START && !named(key)) {
      this.#paste = '';
      return;
    }
    if (this.#paste !== undefined) {
      if (input === PASTE_END && !named(key)) {
        const text = this.#paste.replace(/\r\n?|\n/g, ' ').replace(/[\x00-\x1f\x7f]/g, '').trim(); // eslint-disable-line no-control-regex
        this.#paste = undefined;
        if (text) this.#take([[text, keyOfChar('a')[1]]]);
        return;
      }
      this.#paste += key.return ? '\n' : key.tab ? ' ' : input;
      return;
    }
    const chars = Array.from(input);
    this.#take(chars.length > 1 && !named(key) ? chars.map(keyOfChar) : [[input, key]]);
  }

  /** Queue `keys` behind those waiting; the first at once when none waits. */
  #take(keys: Array<[string, Key]>): void {
    this.#queue.push(...keys);
    if (this.#draining) return;
    this.#draining = true;
    this.#next();
  }

  /** Hand over the next key, and come back once React has applied it. */
  readonly #next = (): void => {
    const item = this.#queue.shift();
    if (item === undefined) {
      this.#draining = false;
      return;
    }
    this.dispatch(...item);
    // React schedules the render of this key's updates in a microtask queued during dispatch
    // (a sync update renders right there; others become a task on its scheduler). Ours is
    // queued after that (a later microtask), at normal priority: behind React's task of the
    // same or higher priority, never starved by later renders as an idle task would be.
    queueMicrotask(() => scheduleCallback(NormalPriority, this.#next));
  };
}

export const KeyboardContext = createContext<KeyRouter>(new KeyRouter());

/** A fresh router for the console's root. */
export function useKeyRouter(): KeyRouter {
  return useRef(new KeyRouter()).current;
}

/** Hold the keyboard while `active` (text fields, questions, dialogs with their own keys). */
export function useHoldKeyboard(active: boolean): void {
  const router = useContext(KeyboardContext);
  const me = useRef(Symbol('keyboard holder')).current;
  useLayoutEffect(() => {
    if (!active) return undefined;
    router.holders.add(me);
    return () => void router.holders.delete(me);
  }, [active, router, me]);
}

/** Get raw key presses (see KeyRouter.dispatch for which ones). */
export function useKeys(handler: (input: string, key: Key) => void, options: { active?: boolean; owner?: boolean } = {}): void {
  const router = useContext(KeyboardContext);
  const ref = useRef<Listener>({ handler, active: options.active ?? true, owner: options.owner ?? false });
  ref.current = { handler, active: options.active ?? true, owner: options.owner ?? false };
  useLayoutEffect(() => {
    router.listeners.add(ref);
    return () => void router.listeners.delete(ref);
  }, [router]);
}

/**
 * Call the handler of each key pressed. `owner`: this keymap belongs to the dialog that
 * holds the keyboard and stays active while it does.
 */
export function useKeymap(map: Keymap, options: { active?: boolean; owner?: boolean } = {}): void {
  useKeys((input, key) => {
    // Ink marks Esc as meta too; other Ctrl/Alt chords are not ours.
    if ((key.ctrl || key.meta) && !key.escape) return;
    map[keyName(input, key)]?.();
  }, options);
}

/** Raw input for the component that holds the keyboard (a text field, a question). */
export function useOwnedInput(handler: (input: string, key: Key) => void, active = true): void {
  useHoldKeyboard(active);
  useKeys(handler, { active, owner: true });
}
