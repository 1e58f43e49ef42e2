/**
 * Automatic logoff (HIPAA §164.312(a)(2)(iii)): after `idleMs` without a key press the
 * console locks — the screens unmount, nothing is fetched and no patient data stays on
 * the terminal until the user unlocks it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useKeys } from './use-keymap.js';

export interface IdleLock {
  locked: boolean;
  lock(): void;
  /** Unlock and start counting idle time again. */
  unlocked(): void;
}

export function useIdleLock(idleMs: number, onLock: () => void): IdleLock {
  const [locked, setLocked] = useState(false);
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const onLockRef = useRef(onLock);
  onLockRef.current = onLock;

  const lock = useCallback(() => {
    clearTimeout(timer.current);
    onLockRef.current();
    setLocked(true);
  }, []);

  const arm = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(lock, idleMs);
  }, [idleMs, lock]);

  useEffect(() => {
    if (!locked) arm();
    return () => clearTimeout(timer.current);
  }, [locked, arm]);

  // Every key counts as activity while unlocked, whoever gets it; the lock screen reads its own input.
  useKeys(() => arm(), { active: !locked, owner: true });

  const unlocked = useCallback(() => setLocked(false), []);
  return { locked, lock, unlocked };
}
