import type { CommandRunner } from '../command.js';
import { setPrincipalDisabled } from './principal-disable.js';

export const principalEnable: CommandRunner = {
  run: (args, io) => setPrincipalDisabled(args, io, false),
};
