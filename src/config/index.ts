// The config module's public surface: one schema with defaults, file + env loading, checks.
export { checkConfig, describeConfig, loadConfig, locateConfig, DEFAULT_ETC_PATH, type CheckResult, type ConfigLocation, type LoadedConfig, type LoadOptions, type LocateOptions } from './load.js';
export { configFileSchema, configSchema, defaultConcurrency, parseFolderSettings, type ConfigFile, type CuspConfig, type FolderConfig } from './schema.js';
export { envKeys, envVarName } from './env.js';
export { RULE_PRESETS, ruleProblem } from './folder-rule.js';
export { nextRun, parseSchedule, type Schedule } from './schedule.js';
export type { ConfigProblem } from './problems.js';
