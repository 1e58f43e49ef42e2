/**
 * The Prometheus side of Cusp's metrics is prom-client, the registry every Node service
 * exporting to Prometheus uses: its text output follows the exposition format, and its
 * default collectors give the process figures (CPU, memory, file descriptors), the
 * event-loop lag and the garbage collector's pauses.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

/** The media type Prometheus expects for the text format (version 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

/** GC pauses are short: buckets from 1 ms up to a second. */
const GC_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

let processRegistry: Registry | undefined;

/**
 * The process's default metrics, collected once per process: the collectors watch the
 * event loop and the GC with observers that cannot be stopped, so the HTTPS app, the admin
 * socket and every test's API in one process share this one registry.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, gcDurationBuckets: GC_BUCKETS });
  }
  return processRegistry;
}
