/**
 * The daemon's live events (SSE `/events`): one stream for the whole console, opened
 * while it is unlocked, reconnected with back-off (resuming from the last event id) when
 * the daemon restarts. Screens subscribe to the names they care about and refresh or
 * update progress bars in place — no polling needed for what the stream carries.
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { describeError } from '../connection.js';
import { SseParser } from '../sse.js';
import { useConnection } from './use-connection.js';

export interface LiveEvent {
  name: string;
  data: Record<string, unknown>;
  id?: string;
}

type Listener = (event: LiveEvent) => void;

export interface EventStream {
  connected: boolean;
  /** Why the stream is down, if it is. */
  error?: string;
  /** The last problems the stream reported (quarantined files, failed jobs, folder errors), newest first. */
  problems: Array<LiveEvent & { at: number }>;
  subscribe(listener: Listener): () => void;
}

export const EventsContext = createContext<EventStream>({ connected: false, problems: [], subscribe: () => () => undefined });

const KEEP_PROBLEMS = 20;

/**
 * An event's fields in one flat object. Changes of the feed arrive as `{seq, time, type,
 * objectType, objectId, data}`: their `data` is lifted up beside `objectId`, so a screen
 * reads `scan.validated`'s `status` the same way as `job.finished`'s `state`.
 */
export function flatten(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { text };
  }
  if (!parsed || typeof parsed !== 'object') return { value: parsed };
  const o = parsed as Record<string, unknown>;
  if ('objectType' in o && 'seq' in o) {
    const inner = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
    return { ...inner, seq: o.seq, time: o.time, objectType: o.objectType, objectId: o.objectId };
  }
  return o;
}

/** True for an event that belongs in the overview's "recent errors". */
export function isProblem(e: LiveEvent): boolean {
  return e.name === 'scan.quarantined'
    || (e.name === 'job.finished' && e.data.state === 'failed')
    || (e.name === 'folder.state' && e.data.state === 'error')
    || (e.name === 'scan.validated' && e.data.status === 'rejected');
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000];

/** Open the stream (in the console's shell). */
export function useEventStream(): EventStream {
  const connection = useConnection();
  const listeners = useRef(new Set<Listener>());
  const [state, setState] = useState<{ connected: boolean; error?: string }>({ connected: false });
  const [problems, setProblems] = useState<EventStream['problems']>([]);

  useEffect(() => {
    let stopped = false;
    let close: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let lastId: string | undefined;
    let failures = 0;
    const retry = (error: string) => {
      if (stopped) return;
      setState({ connected: false, error });
      timer = setTimeout(open, BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]);
    };
    const open = () => {
      if (stopped || connection.locked) return;
      connection.client.openStream('/events', {}, lastId ? { 'Last-Event-ID': lastId } : {}).then(({ response, close: c }) => {
        if (stopped) return c();
        close = c;
        failures = 0;
        setState({ connected: true });
        const parser = new SseParser();
        response.on('data', (chunk: Buffer) => {
          for (const m of parser.push(chunk)) {
            if (m.id !== undefined) lastId = m.id;
            const data = flatten(m.data);
            const event: LiveEvent = { name: m.event, data, ...(m.id !== undefined ? { id: m.id } : {}) };
            if (isProblem(event)) setProblems((p) => [{ ...event, at: Date.now() }, ...p].slice(0, KEEP_PROBLEMS));
            for (const l of listeners.current) l(event);
          }
        });
        const ended = () => retry('the event stream ended — reconnecting');
        response.on('end', ended);
        response.on('error', ended);
      }, (err: unknown) => retry(describeError(err, connection)));
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      close?.();
    };
  }, [connection]);

  const subscribe = useRef((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }).current;
  return { ...state, problems, subscribe };
}

/** The stream's state (for a "live"/"not live" mark). */
export function useEventsState(): EventStream {
  return useContext(EventsContext);
}

/** Call `fn` for each event whose name starts with one of `prefixes` (`'job.'`, `'scan.received'`). */
export function useLiveEvents(prefixes: readonly string[], fn: Listener): void {
  const { subscribe } = useContext(EventsContext);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const key = prefixes.join('|');
  useEffect(() => subscribe((e) => {
    if (prefixes.some((p) => e.name.startsWith(p))) fnRef.current(e);
  }), [subscribe, key]);
}

/**
 * Refresh a fetch when matching events arrive, at most every `gapMs` (a burst of 40 scans
 * must not become 40 list fetches — each fetch of patient data is an audit event).
 */
export function useRefreshOn(prefixes: readonly string[], refresh: () => void, gapMs = 1000): void {
  const pending = useRef<NodeJS.Timeout | undefined>(undefined);
  const last = useRef(0);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLiveEvents(prefixes, () => {
    if (pending.current) return;
    const wait = Math.max(0, last.current + gapMs - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      last.current = Date.now();
      refresh();
    }, wait);
  });
}
