import type { Command } from '../command.js';
import { inspect } from './inspect.js';
import { version } from './version.js';

/** Every `cusp` subcommand. Add new ones here. */
export const commands: Command[] = [inspect, version];
