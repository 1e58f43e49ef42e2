import { parseArgs } from 'node:util';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { callDaemon, runningDaemon } from '../admin-call.js';
import { configFor } from '../context.js';

/** The options that name what the link opens, and the request field each one fills. */
const TARGETS = { patient: 'patientId', ext: 'externalId', visit: 'visitId', scan: 'scanUid' } as const;

/**
 * `cusp link`: ask the running daemon (over the admin socket, as the local administrator)
 * for a signed review link and print its URL — for a person to open, or a script of the
 * practice software to hand to a browser.
 */
export const link: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({
      args, strict: true,
      options: { config: { type: 'string' }, patient: { type: 'string' }, ext: { type: 'string' }, visit: { type: 'string' }, scan: { type: 'string' }, minutes: { type: 'string' } },
    });
    const given = (Object.keys(TARGETS) as Array<keyof typeof TARGETS>).filter((k) => values[k] !== undefined);
    if (given.length !== 1) throw new CuspError('bad_request', 'name exactly one of --patient ID, --ext SYSTEM:VALUE, --visit ID, --scan UID');
    const option = given[0];
    const body: Record<string, unknown> = { [TARGETS[option]]: option === 'visit' ? Number(values.visit) : values[option] };
    if (option === 'visit' && !/^\d{1,12}$/.test(values.visit!)) throw new CuspError('bad_request', '--visit takes a visit number, like 12');
    if (values.minutes !== undefined) {
      const minutes = Number(values.minutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) throw new CuspError('bad_request', '--minutes must be a whole number from 1 to 1440 (a day)');
      body.expiresInMinutes = minutes;
    }
    const { config } = configFor(values.config, io);
    if (runningDaemon(config) === undefined) {
      throw new CuspError('unavailable', 'the daemon is not running — start it (systemctl start cusp): links are made and opened by the daemon');
    }
    const made = await callDaemon<{ url: string; expiresAt: string; patient: string }>(config, '/review-links', body);
    io.stdout.write(`${made.url}\n`);
    io.stderr.write(`opens the review page for patient ${made.patient} only, as the local administrator; valid until ${made.expiresAt}\n`);
    return 0;
  },
};
