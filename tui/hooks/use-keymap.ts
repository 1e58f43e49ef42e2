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

/** The root's router: who listens and who holds the keyboard, both current at every key. */
export class KeyRouter {
  readonly listeners = new Set<{ current: Listener }>();
  readonly holders = new Set<symbol>();

  /** Hand one key press to every listener that may have it now. */
  dispatch(input: string, key: Key): void {
    const held = this.holders.size > 0;
    for (const l of [...this.listeners]) {
      const { handler, active, owner } = l.current;
      if (active && (owner || !held)) handler(input, key);
    }
  }
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
