/**
 * Doing something on the daemon (retry a job, pause a folder): one action at a time, its
 * outcome kept as a one-line message for the screen's status line.
 */
import { useCallback, useRef, useState } from 'react';
import type { CuspClient } from '../../src/api/client.js';
import { describeError } from '../connection.js';
import { useConnection } from './use-connection.js';

export interface ActionStatus {
  busy: boolean;
  /** What happened last: `✓ …` or the error line. */
  message?: string;
  ok?: boolean;
}

export interface ActionRunner {
  status: ActionStatus;
  /**
   * Run `act`; on success show `done(result)` and call `after`. Resolves to the result, or
   * undefined when it failed (the error is in `status`).
   */
  run<T>(label: string, act: (client: CuspClient) => Promise<T>, done?: (result: T) => string, after?: (result: T) => void): Promise<T | undefined>;
  /** Show a message without calling the daemon (e.g. "cancelled"). */
  say(message: string, ok?: boolean): void;
}

export function useAction(): ActionRunner {
  const connection = useConnection();
  const [status, setStatus] = useState<ActionStatus>({ busy: false });
  const busy = useRef(false);

  const run = useCallback(async <T>(label: string, act: (client: CuspClient) => Promise<T>, done?: (result: T) => string, after?: (result: T) => void) => {
    if (busy.current || connection.locked) return undefined;
    busy.current = true;
    setStatus({ busy: true, message: `${label}…` });
    try {
      const result = await act(connection.client);
      setStatus({ busy: false, ok: true, message: `✓ ${done ? done(result) : label}` });
      after?.(result);
      return result;
    } catch (err) {
      setStatus({ busy: false, ok: false, message: `✗ ${label}: ${describeError(err, connection)}` });
      return undefined;
    } finally {
      busy.current = false;
    }
  }, [connection]);

  const say = useCallback((message: string, ok = true) => setStatus({ busy: false, ok, message }), []);
  return { status, run, say };
}
