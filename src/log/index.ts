// The logging module's public surface: namespaced loggers with PHI and secret redaction.
export { createLogging, type Logger, type Logging, type LoggingOptions } from './logging.js';
export { redact, safe, SafeValue, type RedactOptions } from './redact.js';
export { LOG_LEVELS, NAMESPACES, levelEnabled, type LogLevel, type Namespace } from './levels.js';
