/**
 * Reading from the daemon: fetch once, again every `intervalMs` (if given) and on
 * `refresh()`. The last good data stays on screen while a refresh fails, so a daemon
 * restart shows an error line rather than an empty screen. Fetches never overlap.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CuspClient } from '../../src/api/client.js';
import { describeError } from '../connection.js';
import { useConnection } from './use-connection.js';

export interface ApiState<T> {
  data?: T;
  /** One line saying why the last fetch failed; undefined after a good one. */
  error?: string;
  /** The raw failure, for screens that react to a status (404 = route not in this daemon). */
  failure?: unknown;
  loading: boolean;
  refresh(): void;
}

export interface UseApiOptions {
  intervalMs?: number;
  /** False: do not fetch (e.g. nothing selected yet). */
  enabled?: boolean;
}

/** Fetch with the console's client; `deps` restart it (new filter, other scan). */
export function useApi<T>(fetcher: (client: CuspClient) => Promise<T>, deps: readonly unknown[], options: UseApiOptions = {}): ApiState<T> {
  const connection = useConnection();
  const { intervalMs, enabled = true } = options;
  const [state, setState] = useState<{ data?: T; error?: string; failure?: unknown; loading: boolean }>({ loading: enabled });
  const generation = useRef(0);
  const inFlight = useRef(false);
  const again = useRef(false);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  const run = useCallback(() => {
    if (!enabled || connection.locked) return;
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    const mine = generation.current;
    fetcherRef.current(connection.client).then(
      (data) => {
        if (mine === generation.current) setState({ data, loading: false });
      },
      (failure: unknown) => {
        if (mine === generation.current) setState((s) => ({ data: s.data, error: describeError(failure, connection), failure, loading: false }));
      },
    ).finally(() => {
      if (mine !== generation.current) return; // a newer generation owns the flags now
      inFlight.current = false;
      if (again.current) {
        again.current = false;
        run();
      }
    });
  }, [connection, enabled]);

  useEffect(() => {
    generation.current++;
    inFlight.current = false;
    again.current = false;
    setState((s) => ({ data: s.data, loading: enabled }));
    run();
    if (!intervalMs || !enabled) return () => void generation.current++;
    const timer = setInterval(run, intervalMs);
    return () => {
      generation.current++;
      clearInterval(timer);
    };
  }, [run, intervalMs, enabled, ...deps]);

  return { ...state, refresh: run };
}
