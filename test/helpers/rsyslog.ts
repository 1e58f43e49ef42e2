// A real syslog collector for tests: Debian's rsyslogd with its GnuTLS driver, receiving
// RFC 5425 (TLS, octet-counted) on a loopback port and writing each message in RFC 5424
// form to a file. Its certificate comes from a test CA made with the repository's own
// local CA code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ensureTls } from '../../src/security/tls.js';

/** Why the collector tests cannot run here, or undefined when they can. */
export const rsyslogMissing: string | undefined = spawnSync('rsyslogd', ['-v']).status === 0 && spawnSync('sh', ['-c', 'ls /usr/lib/*/rsyslog/lmnsd_gtls.so']).status === 0
  ? undefined : 'rsyslogd with its GnuTLS driver is not installed (apt-get install rsyslog rsyslog-gnutls)';

export interface Collector {
  caFile: string;
  /** The file rsyslog writes the messages to. */
  out: string;
  lines(): string[];
  start(): void;
  stop(): Promise<void>;
}

/** A collector in `dir` for `port`, not started yet; stopped after the test. */
export function collector(t: TestContext, dir: string, port: number): Collector {
  const paths = { caFile: join(dir, 'ca.crt'), caKeyFile: join(dir, 'ca.key'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
  ensureTls(paths, { dns: ['localhost'], ips: ['127.0.0.1'] });
  const out = join(dir, 'cusp-audit.log');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(conf, `global(workDirectory="${dir}" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${paths.caFile}" DefaultNetstreamDriverCertFile="${paths.certFile}" DefaultNetstreamDriverKeyFile="${paths.keyFile}")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
input(type="imtcp" port="${port}" address="127.0.0.1")
action(type="omfile" file="${out}" template="RSYSLOG_SyslogProtocol23Format")
`);
  let child: ReturnType<typeof spawn> | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const c: Collector = {
    caFile: paths.caFile,
    out,
    lines: () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l !== '') : []),
    start: () => {
      child = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: 'ignore' });
      const started = child;
      exited = new Promise((resolve) => started.on('exit', resolve));
    },
    stop: async () => {
      if (child && child.exitCode === null) child.kill('SIGTERM');
      await exited;
      child = undefined;
    },
  };
  t.after(() => c.stop());
  return c;
}
