import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { auditExportLines, type AuditExportFormat } from '../../src/audit/export.js';
import { CuspError } from '../../src/errors.js';
import type { CommandRunner } from '../command.js';
import { cuspVersion } from './version.js';
import { configFor, openAuditFor, openStoreFor } from '../context.js';

export const auditExport: CommandRunner = {
  async run(args, io) {
    const { values } = parseArgs({ args, strict: true, options: { config: { type: 'string' }, format: { type: 'string' }, since: { type: 'string' }, out: { type: 'string' } } });
    const format = values.format as AuditExportFormat | undefined;
    if (format === undefined) throw new CuspError('bad_request', '--format is required: fhir or syslog');
    if (format !== 'fhir' && format !== 'syslog') throw new CuspError('bad_request', `unknown format '${format}' — --format takes fhir or syslog`);
    const since = values.since === undefined ? 0 : Number(values.since);
    if (!Number.isSafeInteger(since) || since < 0) throw new CuspError('bad_request', '--since must be an event sequence number (0 or more)');
    const loaded = configFor(values.config, io);
    let fd: number | undefined;
    if (values.out) {
      try {
        fd = openSync(values.out, 'wx', 0o600);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new CuspError('bad_request', code === 'EEXIST' ? `${values.out} exists already — choose a new file name` : `cannot create ${values.out}: ${code ?? (err as Error).message}`);
      }
    }
    const { store } = openStoreFor(loaded, io.env);
    try {
      const { audit } = openAuditFor(store, loaded.config);
      const source = { instanceId: store.meta.get('instance_id') ?? 'unknown', hostname: hostname(), version: cuspVersion() };
      let lines = 0;
      for (const line of auditExportLines(audit, format, source, since)) {
        if (fd !== undefined) writeSync(fd, line);
        else if (!io.stdout.write(line)) await new Promise((resolve) => io.stdout.once('drain', resolve));
        lines++;
      }
      if (fd !== undefined) fsyncSync(fd);
      audit.append({ actor: 'cli', action: 'audit.export', details: { format, since, events: lines, to: values.out ? 'file' : 'stdout' } });
      audit.maybeCheckpoint();
      io.stderr.write(`exported ${lines} audit event(s) as ${format}${values.out ? ` to ${values.out}` : ''}\n`);
      return 0;
    } finally {
      if (fd !== undefined) closeSync(fd);
      store.close();
    }
  },
};
