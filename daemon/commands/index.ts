import type { Command } from '../command.js';
import { configCheck } from './config-check.js';
import { inspect } from './inspect.js';
import { version } from './version.js';

/** Every `cusp` subcommand. Add new ones here. */
export const commands: Command[] = [configCheck, inspect, version];
