import type { Command } from '../command.js';
import { setPrincipalDisabled } from './principal-disable.js';

export const principalEnable: Command = {
  path: ['principal', 'enable'],
  summary: 'enable a disabled user or API client again',
  usage: `usage: cusp principal enable NAME [--config FILE]

Enables the principal NAME again: its tokens that are neither revoked nor expired, and its
client certificate, work again from the next request on.`,
  run: (args, io) => setPrincipalDisabled(args, io, false),
};
