/**
 * The log levels and namespaces Cusp knows. Kept apart from the logger so the config schema
 * can validate `log.level` / `log.levels` without importing winston.
 */

/** Levels from most to least severe; a logger at `info` writes error, warn and info. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One namespace per part of the daemon; each can have its own level. */
export const NAMESPACES = ['daemon', 'store', 'audit', 'ingest', 'jobs', 'api', 'tui', 'mesh'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** Winston's level table: lower is more severe. */
export const LEVEL_RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** True when a message at `level` passes a threshold of `threshold`. */
export function levelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LEVEL_RANK[level] <= LEVEL_RANK[threshold];
}
