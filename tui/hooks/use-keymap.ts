/**
 * Keys. A screen declares its keys as a map (`{ r: retry, up: moveUp }`); the footer and
 * the help screen show the same list. While a text field or a confirmation owns the
 * keyboard, every other keymap — the global screen keys included — is paused, so typing
 * "q" into a search does not quit.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useInput, type Key } from 'ink';

export type KeyName = 'up' | 'down' | 'left' | 'right' | 'return' | 'escape' | 'tab' | 'backspace' | 'pageup' | 'pagedown' | 'home' | 'end';

export type Keymap = Partial<Record<string, () => void>>;

/** The name of a key press: a KeyName, or the character typed. */
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

interface Capture {
  held: number;
  hold(): () => void;
}

export const KeyboardContext = createContext<Capture>({ held: 0, hold: () => () => undefined });

/** The provider's value: how many fields own the keyboard right now. */
export function useKeyboardCapture(): Capture {
  const [held, setHeld] = useState(0);
  const hold = useCallback(() => {
    setHeld((n) => n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      setHeld((n) => n - 1);
    };
  }, []);
  return useMemo(() => ({ held, hold }), [held, hold]);
}

/** Take the keyboard while `active` (text fields, confirmations). */
export function useHoldKeyboard(active: boolean): void {
  const { hold } = useContext(KeyboardContext);
  useEffect(() => (active ? hold() : undefined), [active, hold]);
}

/** True when no field owns the keyboard. */
export function useKeyboardFree(): boolean {
  return useContext(KeyboardContext).held === 0;
}

/**
 * Call the handler of each key pressed. `owner`: this keymap belongs to the field that
 * holds the keyboard and stays active while it does.
 */
export function useKeymap(map: Keymap, options: { active?: boolean; owner?: boolean } = {}): void {
  const free = useKeyboardFree();
  const active = (options.active ?? true) && (options.owner === true || free);
  useInput((input, key) => {
    // Ink marks Esc as meta too; other Ctrl/Alt chords are not ours.
    if ((key.ctrl || key.meta) && !key.escape) return;
    map[keyName(input, key)]?.();
  }, { isActive: active });
}
