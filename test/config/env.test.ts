import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkConfig, configFileSchema, envKeys, envVarName, loadConfig } from '../../src/config/index.js';
import { leaves } from '../../src/config/schema-walk.js';

let root: string;
const noEtc = '/nonexistent/cusp/cusp.yaml';

before(() => {
  root = mkdtempSync(join(tmpdir(), 'cusp-env-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function builtinWith(env: NodeJS.ProcessEnv) {
  return checkConfig({ env, cwd: root, etcPath: noEtc });
}

describe('CUSP_* variable names', () => {
  it('are CUSP_ + the key path in UPPER_SNAKE', () => {
    assert.equal(envVarName(['api', 'port']), 'CUSP_API_PORT');
    assert.equal(envVarName(['dataDir']), 'CUSP_DATA_DIR');
    assert.equal(envVarName(['audit', 'checkpointEvery']), 'CUSP_AUDIT_CHECKPOINT_EVERY');
    assert.equal(envVarName(['log', 'levels', 'ingest']), 'CUSP_LOG_LEVELS_INGEST');
    assert.equal(envVarName(['api', 'tls', 'caKeyFile']), 'CUSP_API_TLS_CA_KEY_FILE');
  });

  it('exist for every key outside the folder list, and no two keys share one', () => {
    const names = [...envKeys().keys()];
    assert.ok(names.includes('CUSP_STORE_KEY_FILE') && names.includes('CUSP_API_TLS_KEY_FILE') && names.includes('CUSP_JOBS_CONCURRENCY'));
    assert.ok(!names.some((n) => n.startsWith('CUSP_FOLDERS')));
    const settable = leaves(configFileSchema).filter((leaf) => !leaf.inArray);
    assert.equal(settable.length, 60); // 41 + api.headersTimeoutSeconds, requestTimeoutSeconds, idleTimeoutSeconds, minUploadBytesPerSecond, maxConcurrentUploads + store.minFreeMegabytes, integrityCheckHours, integrityCheckDelayMinutes + the 10 keys of audit.syslog + review.idleLogoffMinutes
    assert.ok(names.includes('CUSP_REVIEW_IDLE_LOGOFF_MINUTES'));
    assert.equal(envKeys().size, settable.length);
  });
});

describe('CUSP_* overrides', () => {
  it('convert values to the key type and win over the file', () => {
    const file = join(root, 'cusp.yaml');
    writeFileSync(file, 'api:\n  port: 8443\n  host: 10.0.0.5\nlog:\n  level: warn\n');
    const { config } = loadConfig({
      flag: file,
      cwd: root,
      etcPath: noEtc,
      env: { CUSP_API_PORT: '9443', CUSP_LOG_LEVEL: 'debug', CUSP_LOG_LEVELS_INGEST: 'error', CUSP_AUDIT_CHECKPOINT_EVERY: '50', CUSP_API_PUBLIC_URL: 'https://cusp.clinic.lan:9443', CUSP_JOBS_CONCURRENCY: '2' },
    });
    assert.equal(config.api.port, 9443);
    assert.equal(config.api.host, '10.0.0.5');
    assert.equal(config.log.level, 'debug');
    assert.deepEqual(config.log.levels, { ingest: 'error' });
    assert.equal(config.audit.checkpointEvery, 50);
    assert.equal(config.api.publicUrl, 'https://cusp.clinic.lan:9443');
    assert.equal(config.jobs.concurrency, 2);
  });

  it('move every default path with CUSP_DATA_DIR, relative to the working directory', () => {
    const { loaded } = builtinWith({ CUSP_DATA_DIR: 'srv-data', CUSP_STORE_KEY_FILE: '/etc/cusp/db.key' });
    const data = join(root, 'srv-data');
    assert.ok(loaded);
    assert.equal(loaded.config.dataDir, data);
    assert.equal(loaded.config.store.path, join(data, 'cusp.db'));
    assert.equal(loaded.config.store.keyFile, '/etc/cusp/db.key');
    assert.equal(loaded.config.api.tls.caFile, join(data, 'tls/ca.crt'));
    assert.equal(loaded.config.audit.signingKeyFile, join(data, 'audit/signing.key'));
    assert.equal(loaded.config.backup.dir, join(data, 'backups'));
    assert.equal(loaded.config.folders[0].path, join(data, 'inbox'));
    assert.equal(loaded.config.folders[0].quarantineDir, join(data, 'quarantine/inbox'));
  });

  it('read an empty value as the default', () => {
    assert.equal(builtinWith({ CUSP_LOG_FORMAT: '' }).loaded?.config.log.format, 'auto');
    assert.equal(builtinWith({ CUSP_API_PORT: '' }).loaded?.config.api.port, 8443);
    assert.deepEqual(builtinWith({ CUSP_API_PORT: '84 43' }).problems, [{ path: 'api.port', message: "CUSP_API_PORT='84 43' is not a number" }]);
  });

  it('name the variable when its value is wrong', () => {
    const { problems } = builtinWith({ CUSP_API_PORT: 'https', CUSP_API_TOKEN_TTL_DAYS: '0', CUSP_LOG_LEVELS_API: 'loud', CUSP_BACKUP_SCHEDULE: 'sometimes' });
    assert.deepEqual(problems, [
      { path: 'api.port', message: "CUSP_API_PORT='https' is not a number" },
      { path: 'log.levels.api', message: "CUSP_LOG_LEVELS_API='loud' is not one of error, warn, info, debug" },
      { path: 'api.tokenTtlDays', message: 'must be at least 1 (set by CUSP_API_TOKEN_TTL_DAYS)' },
      { path: 'backup.schedule', message: "'sometimes' is not off, hourly, daily, weekly or a five-field cron expression like '30 2 * * *' (set by CUSP_BACKUP_SCHEDULE)" },
    ]);
  });

  it('warn about CUSP_ variables that are no key, and never treat CUSP_CONFIG as one', () => {
    const { warnings, loaded } = builtinWith({ CUSP_API_PROT: '1', CUSP_FOLDERS_0_PATH: '/srv', CUSP_CONFIG: '' });
    assert.ok(loaded);
    assert.deepEqual(warnings, [
      { path: 'CUSP_API_PROT', message: 'ignored: no config key has this name' },
      { path: 'CUSP_FOLDERS_0_PATH', message: 'ignored: folders can only be set in the config file' },
    ]);
  });
});
