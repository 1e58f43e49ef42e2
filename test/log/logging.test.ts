import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogging, type LoggingOptions } from '../../src/log/index.js';

/** A real winston-backed logging writing into a string. */
function capture(opts: Partial<LoggingOptions> = {}) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const logging = createLogging({ level: 'info', format: 'json', isTTY: false, env: {}, ...opts, stream });
  return {
    logging,
    async lines(): Promise<string[]> {
      await logging.close();
      return text.split('\n').filter((l) => l.length > 0);
    },
  };
}

const ESC = '\x1b[';

describe('createLogging: redaction through the real logger', () => {
  const token = `cusp_${randomBytes(32).toString('base64url')}`;
  const hexKey = randomBytes(32).toString('hex');
  const adminPassword = 'Tr0ub4dor&3-clinic';
  const sensitive = ['Oberhuber', 'Magdalena', '1961-09-14', '14.09.1961', hexKey, token, adminPassword, 'hunter2'];

  async function logEverything(format: 'json' | 'text', isTTY: boolean): Promise<string> {
    const { logging, lines } = capture({ format, isTTY, level: 'debug' });
    logging.addSecret(adminPassword);
    const log = logging.logger('ingest');
    log.info('stored scan 42 (upper, 1.4 MB)', {
      scanId: 42,
      triangles: 28508,
      file: '/srv/scans/inbox/Oberhuber_Magdalena_1961-09-14_upper.stl',
      patient: { id: 'p-17', name: 'Magdalena Oberhuber', birthDate: '1961-09-14' },
    });
    log.warn('unlock attempt', { scanId: 42, password: 'hunter2', headers: { authorization: `Bearer ${token}` } });
    log.debug(`opening store with x'${hexKey}' (raw key ${hexKey})`, { count: 3 });
    log.info(`admin password set to ${adminPassword}`);
    log.error('ingest failed for scan 43', {
      scanId: 43,
      err: new Error('no patient matches Oberhuber_Magdalena_1961-09-14_lower.ply', { cause: new Error('Magdalena Oberhuber, born 14.09.1961, exists twice') }),
      patient: { lastName: 'Oberhuber' },
    });
    logging.logger('api').info(`issued ${token}`, { count: 1 });
    return (await lines()).join('\n');
  }

  for (const [format, isTTY] of [['json', false], ['text', false], ['text', true]] as const) {
    it(`keeps names, birth dates, keys, tokens and passwords out of ${format} lines${isTTY ? ' on a TTY' : ''}`, async () => {
      const out = await logEverything(format, isTTY);
      for (const leaked of sensitive) assert.ok(!out.includes(leaked), `${leaked} reached the log:\n${out}`);
      for (const kept of ['stored scan 42 (upper, 1.4 MB)', 'ingest failed for scan 43', '28508', 'p-17', 'ingest', 'api', 'error', 'warn', 'debug']) {
        assert.ok(out.includes(kept), `${kept} missing:\n${out}`);
      }
      assert.equal(out.includes(ESC), isTTY);
    });
  }
});

describe('createLogging: PHI memory', () => {
  it('hides a name seen in a field of an earlier entry in later free text', async () => {
    const { logging, lines } = capture();
    const log = logging.logger('ingest');
    log.info('matched scan 7', { scanId: 7, patient: { firstName: 'Wiebke', lastName: 'Brandstätter' } });
    log.warn('second scan for BRANDSTÄTTER, Wiebke needs review', { scanId: 8 });
    const [, second] = await lines();
    assert.equal((JSON.parse(second) as { msg: string }).msg, 'second scan for [redacted], [redacted] needs review');
  });
});

describe('createLogging: lines', () => {
  it('writes JSON lines with time, level, ns, msg and the metadata', async () => {
    const { logging, lines } = capture();
    logging.logger('jobs').info('job done', { jobId: 9, kind: 'analyse', level: 'ignored-meta' });
    const [entry, ...rest] = (await lines()).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rest.length, 0);
    assert.ok(!Number.isNaN(Date.parse(String(entry.time))));
    assert.deepEqual({ ...entry, time: 'T' }, { time: 'T', level: 'info', ns: 'jobs', msg: 'job done', jobId: 9, kind: 'analyse', 'meta.level': 'ignored-meta' });
  });

  it('writes short text lines, coloured only on a TTY without NO_COLOR', async () => {
    const plain = capture({ format: 'text', isTTY: false });
    plain.logging.logger('ingest').info('stored scan 42 (upper, 1.4 MB)', { folder: 'inbox' });
    plain.logging.logger('ingest').error('ingest failed', { err: new Error('disk full', { cause: new Error('ENOSPC') }) });
    const [first, second] = await plain.lines();
    assert.match(first, /^\d\d:\d\d:\d\d info {2}ingest {2}stored scan 42 \(upper, 1\.4 MB\) folder=inbox$/);
    assert.match(second, /^\d\d:\d\d:\d\d error ingest {2}ingest failed err="Error: disk full <- ENOSPC"$/);

    const tty = capture({ format: 'auto', isTTY: true });
    tty.logging.logger('api').info('listening');
    assert.ok((await tty.lines())[0].includes(ESC));

    const noColour = capture({ format: 'auto', isTTY: true, env: { NO_COLOR: '1' } });
    noColour.logging.logger('api').info('listening');
    const [line] = await noColour.lines();
    assert.ok(!line.includes(ESC));
    assert.match(line, /^\d\d:\d\d:\d\d info {2}api {5}listening$/);
  });

  it('picks JSON for auto when not on a TTY', async () => {
    const { logging, lines } = capture({ format: 'auto', isTTY: false });
    logging.logger('daemon').warn('started with the built-in default config');
    assert.equal((JSON.parse((await lines())[0]) as { level: string }).level, 'warn');
  });
});

describe('createLogging: levels', () => {
  it('lets ingest debug through with levels {ingest: debug} while store debug is dropped', async () => {
    const { logging, lines } = capture({ level: 'info', levels: { ingest: 'debug' } });
    const ingest = logging.logger('ingest');
    ingest.debug('stability check', { scanId: 1 });
    ingest.child('store').debug('page cache stats');
    logging.logger('store').info('opened');
    logging.logger('store').error('disk full');
    const got = (await lines()).map((l) => JSON.parse(l) as { ns: string; level: string; msg: string });
    assert.deepEqual(got.map((e) => `${e.ns}/${e.level}/${e.msg}`), ['ingest/debug/stability check', 'store/info/opened', 'store/error/disk full']);
  });

  it('drops everything below warn at level warn', async () => {
    const { logging, lines } = capture({ level: 'warn' });
    const log = logging.logger('api');
    log.info('request');
    log.debug('headers');
    log.warn('slow client');
    assert.deepEqual((await lines()).map((l) => (JSON.parse(l) as { msg: string }).msg), ['slow client']);
  });
});

describe('createLogging: file', () => {
  it('appends redacted JSON lines to the log file (0640, folder created) and ignores calls after close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cusp-log-'));
    try {
      const file = join(dir, 'logs', 'cusp.log');
      const { logging } = capture({ format: 'text', file });
      const log = logging.logger('audit');
      log.info('checkpoint written', { events: 1000, signingKey: 'ed25519-secret' });
      await logging.close();
      log.info('after close');
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(lines.length, 1);
      assert.deepEqual({ ...(JSON.parse(lines[0]) as object), time: 'T' }, { time: 'T', level: 'info', ns: 'audit', msg: 'checkpoint written', events: 1000, signingKey: '[redacted]' });
      assert.equal(statSync(file).mode & 0o777, 0o640);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
