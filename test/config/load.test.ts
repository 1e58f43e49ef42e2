import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkConfig, loadConfig, locateConfig, type ConfigProblem } from '../../src/config/index.js';
import { isCuspError } from '../../src/errors.js';

let root: string;
let cwd: string;
const noEtc = '/nonexistent/cusp/cusp.yaml';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'cusp-config-'));
  cwd = join(root, 'work');
  mkdirSync(cwd);
});
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes a config file under the temp root and returns its path. */
function file(name: string, text: string): string {
  const path = join(root, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigProblem[] {
  const result = checkConfig({ flag: file('check.yaml', text), env, cwd, etcPath: noEtc });
  assert.equal(result.loaded, undefined, 'expected problems');
  return result.problems;
}

function lines(problems: ConfigProblem[]): string[] {
  return problems.map((p) => `${p.path}: ${p.message}`);
}

describe('loadConfig: the built-in default', () => {
  it('needs no file: data under ./cusp-data, one inbox, API on 127.0.0.1:8443', () => {
    const { config, source, path } = loadConfig({ env: {}, cwd, etcPath: noEtc });
    assert.equal(source, 'builtin');
    assert.equal(path, undefined);
    const data = join(cwd, 'cusp-data');
    assert.equal(config.dataDir, data);
    assert.equal(config.store.path, join(data, 'cusp.db'));
    assert.equal(config.store.keyFile, join(data, 'cusp.key'));
    assert.equal(config.store.credentialName, 'cusp.key');
    assert.deepEqual(config.api.tls, { certFile: join(data, 'tls/server.crt'), keyFile: join(data, 'tls/server.key'), caFile: join(data, 'tls/ca.crt'), caKeyFile: join(data, 'tls/ca.key') });
    assert.equal(config.api.adminSocket, join(data, 'cusp.sock'));
    assert.equal(`${config.api.host}:${config.api.port}`, '127.0.0.1:8443');
    assert.equal(config.audit.checkpointFile, join(data, 'audit/checkpoints.jsonl'));
    assert.equal(config.backup.dir, join(data, 'backups'));
    assert.equal(config.backup.schedule, 'off');
    assert.equal(config.jobs.concurrency, Math.max(1, availableParallelism() - 1));
    assert.deepEqual(config.folders, [{
      path: join(data, 'inbox'), name: 'inbox', rule: 'generic', layout: 'flat', profile: 'scan', after: 'delete', quarantineDir: join(data, 'quarantine/inbox'),
      polling: false, pollIntervalSeconds: 5, stabilitySeconds: 2, rescanMinutes: 5, paused: false,
    }]);
    assert.deepEqual(config.log, { level: 'info', levels: {}, format: 'auto' });
  });
});

describe('locateConfig', () => {
  it('takes --config, then CUSP_CONFIG, then /etc/cusp/cusp.yaml, then the built-in default', () => {
    const etc = file('etc/cusp.yaml', 'api:\n  port: 9000\n');
    assert.deepEqual(locateConfig({ flag: 'a.yaml', env: { CUSP_CONFIG: '/b.yaml' }, etcPath: etc, cwd }), { path: join(cwd, 'a.yaml'), source: 'flag' });
    assert.deepEqual(locateConfig({ env: { CUSP_CONFIG: '/b.yaml' }, etcPath: etc }), { path: '/b.yaml', source: 'env' });
    assert.deepEqual(locateConfig({ env: {}, etcPath: etc }), { path: etc, source: 'etc' });
    assert.deepEqual(locateConfig({ env: {}, etcPath: noEtc }), { source: 'builtin' });
    const loaded = loadConfig({ env: {}, cwd, etcPath: etc });
    assert.equal(loaded.config.api.port, 9000);
    assert.equal(loaded.location, 'etc');
  });

  it('refuses a missing file named by --config or CUSP_CONFIG instead of falling back', () => {
    const missing = join(root, 'nope.yaml');
    assert.deepEqual(checkConfig({ flag: missing, env: {}, cwd, etcPath: noEtc }).problems, [{ path: '--config', message: `${missing} does not exist` }]);
    assert.deepEqual(checkConfig({ env: { CUSP_CONFIG: missing }, cwd, etcPath: noEtc }).problems, [{ path: 'CUSP_CONFIG', message: `${missing} does not exist` }]);
    assert.throws(() => loadConfig({ flag: missing, env: {}, cwd, etcPath: noEtc }), (err) => {
      assert.ok(isCuspError(err));
      assert.equal(err.code, 'config_invalid');
      assert.match(err.message, /nope\.yaml does not exist/);
      return true;
    });
  });
});

describe('loadConfig: files', () => {
  it('resolves relative paths against the file folder and unwritten defaults against cwd', () => {
    const path = file('site/cusp.yaml', 'dataDir: data\nfolders:\n  - path: ../scans/trios\n    after: archive\n    archiveDir: /srv/archive\nlog:\n  file: logs/cusp.log\n');
    const { config, source } = loadConfig({ flag: path, env: {}, cwd, etcPath: noEtc });
    assert.equal(source, 'file');
    assert.equal(config.dataDir, join(root, 'site/data'));
    assert.equal(config.store.path, join(root, 'site/data/cusp.db'));
    assert.equal(config.folders[0].path, join(root, 'scans/trios'));
    assert.equal(config.folders[0].name, 'trios');
    assert.equal(config.folders[0].quarantineDir, join(root, 'site/data/quarantine/trios'));
    assert.equal(config.log.file, join(root, 'site/logs/cusp.log'));

    const noDataDir = loadConfig({ flag: file('other/cusp.yaml', 'api:\n  port: 8444\n'), env: {}, cwd, etcPath: noEtc });
    assert.equal(noDataDir.config.dataDir, join(cwd, 'cusp-data'));
  });

  it('treats an empty file and empty values as "use the default"', () => {
    const empty = loadConfig({ flag: file('empty.yaml', ''), env: {}, cwd, etcPath: noEtc });
    const blanks = loadConfig({ flag: file('blanks.yaml', 'store:\n  path:\napi:\n  port:\n  tls:\nfolders:\n'), env: {}, cwd, etcPath: noEtc });
    const builtin = loadConfig({ env: {}, cwd, etcPath: noEtc });
    assert.deepEqual(empty.config, builtin.config);
    assert.deepEqual(blanks.config, builtin.config);
  });

  it('reports YAML syntax errors with file, line and column', () => {
    const path = file('broken.yaml', 'api:\n  port: 8443\n  host: [127.0.0.1\nlog:\n  level: info\n');
    const [problem, ...rest] = checkConfig({ flag: path, env: {}, cwd, etcPath: noEtc }).problems;
    assert.match(problem.path, new RegExp(`^${path.replace(/[.]/g, '\\.')}:\\d+:\\d+$`));
    assert.ok(problem.message.length > 0 && !problem.message.includes('\n'));
    assert.ok(rest.every((p) => p.path.startsWith(path)));
    const dup = checkConfig({ flag: file('dup.yaml', 'api:\n  port: 1\n  port: 2\n'), env: {}, cwd, etcPath: noEtc }).problems;
    assert.equal(dup.length, 1);
    assert.match(`${dup[0].path}: ${dup[0].message}`, /dup\.yaml:3:3: Map keys must be unique/);
  });

  it('lists every problem with its key path, naming unknown keys with a suggestion', () => {
    const problems = problemsOf(`
dataDir: 7
api:
  prot: 8443
  port: 70000
  host: ""
folders:
  - path: /srv/scans/a
  - path: /srv/scans/b
    stabiltySeconds: 3
    after: move
    rule: "{lastName_{jaw}"
  - name: nameless
jobs:
  concurrency: 1.5
backup:
  schedule: "0 25 * * *"
log:
  level: verbose
  levels: { ingest: debug, scanner: debug }
  format: xml
`);
    assert.deepEqual(lines(problems).sort(), [
      "api.host: must not be empty",
      'api.port: must be at most 65535',
      "api.prot: unknown key — did you mean 'port'?",
      "backup.schedule: Number '25' of hours field is bigger than upper limit '23'.",
      'dataDir: must be text, not 7',
      'folders[1].after: must be one of delete, archive, keep, not the text "move"',
      "folders[1].rule: filename rule '{lastName_{jaw}' has an unmatched '{': fields look like {lastName}",
      "folders[1].stabiltySeconds: unknown key — did you mean 'stabilitySeconds'?",
      'folders[2].path: is required',
      'jobs.concurrency: must be a whole number, not 1.5',
      'log.format: must be one of auto, json, text, not the text "xml"',
      'log.level: must be one of error, warn, info, debug, not the text "verbose"',
      'log.levels.scanner: unknown key — known keys here: daemon, store, audit, ingest, jobs, api, tui, mesh',
    ]);
  });

  it('refuses a file that is not a mapping', () => {
    assert.deepEqual(lines(problemsOf('- a\n- b\n')), ['(top level): must be a mapping of keys like `dataDir: /var/lib/cusp`']);
  });
});

describe('loadConfig: checks across keys', () => {
  it('requires archiveDir when after is archive', () => {
    assert.deepEqual(lines(problemsOf('folders:\n  - path: /srv/a\n    after: archive\n')), ["folders[0].archiveDir: is required when after is 'archive': the folder ingested files are moved to"]);
  });

  it('refuses folders that overlap each other, share a name, or hold the data folder', () => {
    const problems = lines(problemsOf(`
dataDir: /var/lib/cusp
folders:
  - path: /srv/scans
  - path: /srv/scans/trios
  - path: /srv/scans
  - path: /mnt/a/inbox
  - path: /mnt/b/inbox
  - path: /var/lib
`));
    assert.deepEqual(problems, [
      'folders[1].path: overlaps folders[0].path (/srv/scans): folders are watched with their subfolders, so files would be taken in twice',
      'folders[2].path: is the same folder as folders[0].path',
      "folders[2].name: 'scans' is already the name of folders[0]: give each folder its own name (it names its quarantine folder)",
      'folders[2].path: overlaps folders[1].path (/srv/scans/trios): folders are watched with their subfolders, so files would be taken in twice',
      "folders[4].name: 'inbox' is already the name of folders[3]: give each folder its own name (it names its quarantine folder)",
      'folders[5].path: must not be or contain dataDir (/var/lib/cusp): watch a folder of its own, such as /var/lib/cusp/inbox',
      ...['store.path', 'store.keyFile', 'api.tls.certFile', 'api.tls.keyFile', 'api.tls.caFile', 'api.tls.caKeyFile', 'api.adminSocket', 'audit.checkpointFile', 'audit.signingKeyFile', 'backup.dir']
        .map((key) => `${key}: is inside the watched folder folders[5].path (/var/lib): files there would be taken in as scans`),
      ...[0, 1, 2, 3, 4, 5].map((i) => `folders[${i}].quarantineDir: is inside the watched folder folders[5].path (/var/lib): files there would be taken in as scans`),
    ]);
  });

  it('refuses archive or quarantine folders inside a watched folder, shared files and over-long socket paths', () => {
    const problems = lines(problemsOf(`
dataDir: /var/lib/cusp
api:
  adminSocket: /run/${'x'.repeat(110)}/cusp.sock
  tls:
    keyFile: /var/lib/cusp/cusp.key
folders:
  - path: /srv/scans
    after: archive
    archiveDir: /srv/scans/done
    quarantineDir: /srv/scans/bad
`));
    assert.deepEqual(problems, [
      'folders[0].quarantineDir: is inside the watched folder folders[0].path (/srv/scans): files there would be taken in as scans',
      'folders[0].archiveDir: is inside the watched folder folders[0].path (/srv/scans): files there would be taken in as scans',
      'api.tls.keyFile: is the same file as store.keyFile (/var/lib/cusp/cusp.key)',
      'api.adminSocket: is 125 bytes long; a Unix socket path can be at most 107: choose a shorter path',
    ]);
  });

  it('warns about an archiveDir that is ignored', () => {
    const result = checkConfig({ flag: file('warn.yaml', 'folders:\n  - path: /srv/a\n    archiveDir: /srv/old\n'), env: {}, cwd, etcPath: noEtc });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.warnings, [{ path: 'folders[0].archiveDir', message: "is ignored: after is 'delete', not 'archive'" }]);
  });
});
