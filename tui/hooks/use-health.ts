/** The daemon's /health, polled once for the header and the overview (it is not audited). */
import { createContext, useContext } from 'react';
import { useApi, type ApiState } from './use-api.js';

export interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  checks?: Record<string, string>;
  /** While degraded: what needs a person (disk full, a damaged database), one sentence each. */
  problems?: string[];
}

const POLL_MS = 5000;

/** Poll /health (in the console's shell); 503 while starting or stopping still carries the report. */
export function useHealthPoll(): ApiState<Health> {
  return useApi((c) => c.send('GET', '/health').then((r) => {
    if (r.status !== 200 && r.status !== 503) throw new Error(`the daemon answered /health with HTTP ${r.status}`);
    return r.body as Health;
  }), [], { intervalMs: POLL_MS });
}

export const HealthContext = createContext<ApiState<Health>>({ loading: true, refresh: () => undefined });

export function useHealth(): ApiState<Health> {
  return useContext(HealthContext);
}
