/**
 * Automatic logoff (HIPAA §164.312(a)(2)(iii)): after `idleMs` without a key press the
 * console locks — the screens unmount, nothing is fetched and no patient data stays on
 * the terminal until the user unlocks it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useKeys } from './use-keymap.js';

export interface IdleLock {
  locked: boolean;
  /** Why it is locked: 'idle' (the timeout) or 'key' (Ctrl+L). */
  reason: 'idle' | 'key';
  /** Lock now, at the user's request (Ctrl+L). */
  lock(): void;
  /** Unlock and start counting idle time again. */
  unlocked(): void;
}

export function useIdleLock(idleMs: number, onLock: () => void): IdleLock {
  const [locked, setLocked] = useState(false);
  const [reason, setReason] = useState<'idle' | 'key'>('idle');
  const timer = useRef<NodeJS.Timeout | undefined>(undefined);
  const onLockRef = useRef(onLock);
  onLockRef.current = onLock;

  const lockFor = useCallback((why: 'idle' | 'key') => {
    clearTimeout(timer.current);
    onLockRef.current();
    setReason(why);
    setLocked(true);
  }, []);
  const lock = useCallback(() => lockFor('key'), [lockFor]);

  const arm = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => lockFor('idle'), idleMs);
  }, [idleMs, lockFor]);

  useEffect(() => {
    if (!locked) arm();
    return () => clearTimeout(timer.current);
  }, [locked, arm]);

  // Every key counts as activity while unlocked, whoever gets it; the lock screen reads its own input.
  useKeys(() => arm(), { active: !locked, owner: true });

  const unlocked = useCallback(() => setLocked(false), []);
  return { locked, reason, lock, unlocked };
}
