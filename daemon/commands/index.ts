import type { Command } from '../command.js';
import { auditExport } from './audit-export.js';
import { auditVerify } from './audit-verify.js';
import { backup } from './backup.js';
import { compare } from './compare.js';
import { configCheck } from './config-check.js';
import { consoleCommand } from './console.js';
import { convert } from './convert.js';
import { daemon } from './daemon.js';
import { importCommand } from './import.js';
import { inspect } from './inspect.js';
import { keyRotate } from './key-rotate.js';
import { principalDisable } from './principal-disable.js';
import { principalEnable } from './principal-enable.js';
import { restore } from './restore.js';
import { tokenCreate } from './token-create.js';
import { tokenList } from './token-list.js';
import { tokenRevoke } from './token-revoke.js';
import { version } from './version.js';

/** Every `cusp` subcommand. Add new ones here. */
export const commands: Command[] = [daemon, consoleCommand, configCheck, auditVerify, auditExport, keyRotate, backup, restore, importCommand, inspect, compare, convert, tokenCreate, tokenList, tokenRevoke, principalDisable, principalEnable, version];
