import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { main } from '../../daemon/main.js';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'cusp-config-check-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

async function cusp(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await main(args, { stdout: out, stderr: err, env });
  return { status, stdout, stderr };
}

function write(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

describe('cusp config check', () => {
  it('says OK with the file it checked', async () => {
    const example = fileURLToPath(new URL('../../config/cusp.example.yaml', import.meta.url));
    assert.deepEqual(await cusp(['config', 'check', '--config', example]), { status: 0, stdout: `config OK: ${example}\n`, stderr: '' });
    const viaEnv = await cusp(['config', 'check'], { CUSP_CONFIG: example });
    assert.equal(viaEnv.stdout, `config OK: ${example}\n`);
  });

  it('prints every problem as "<key path>: <message>" and exits 1', async () => {
    const file = write('bad.yaml', 'api:\n  port: 0\nfolders:\n  - path: /srv/a\n    stabiltySeconds: 2\n    after: archive\n');
    const { status, stdout, stderr } = await cusp(['config', 'check', '--config', file], { CUSP_LOG_LEVEL: 'chatty' });
    assert.equal(status, 1);
    assert.equal(stdout, '');
    assert.deepEqual(stderr.trimEnd().split('\n'), [
      "log.level: CUSP_LOG_LEVEL='chatty' is not one of error, warn, info, debug",
      'api.port: must be at least 1',
      "folders[0].stabiltySeconds: unknown key — did you mean 'stabilitySeconds'?",
      "folders[0].archiveDir: is required when after is 'archive': the folder ingested files are moved to",
      `config ${file}: 4 problems`,
    ]);
  });

  it('refuses a --config file that does not exist', async () => {
    const { status, stderr } = await cusp(['config', 'check', '--config', join(root, 'missing.yaml')]);
    assert.equal(status, 1);
    assert.match(stderr, /^--config: .*missing\.yaml does not exist\n/);
  });

  it('prints the effective config as YAML that loads back to the same config', async () => {
    const file = write('site.yaml', 'dataDir: data\nfolders:\n  - path: /srv/scans/trios\n    rule: trios\n');
    const { status, stdout } = await cusp(['config', 'check', '--config', file, '--print'], { CUSP_API_PORT: '9443' });
    assert.equal(status, 0);
    assert.equal(stdout.split('\n')[0], `# config OK: ${file}`);
    const printed = parse(stdout) as { api: { port: number }; dataDir: string };
    assert.equal(printed.api.port, 9443);
    assert.equal(printed.dataDir, join(root, 'data'));
    const again = write('printed.yaml', stdout);
    const original = loadConfig({ flag: file, env: { CUSP_API_PORT: '9443' }, cwd: process.cwd() }).config;
    assert.deepEqual(loadConfig({ flag: again, env: {}, cwd: '/elsewhere' }).config, original);
  });

  it('warns about CUSP_ variables that set nothing', async () => {
    const example = fileURLToPath(new URL('../../config/cusp.example.yaml', import.meta.url));
    const { status, stderr } = await cusp(['config', 'check', '--config', example], { CUSP_API_PROT: '9443' });
    assert.equal(status, 0);
    assert.equal(stderr, 'warning: CUSP_API_PROT: ignored: no config key has this name\n');
  });
});

describe('cusp config check --try', () => {
  it('shows every field of a sample path with its source, reading the export around a file that exists', async () => {
    const { iteroFiles } = await import('../fixtures/exports/build.js');
    const { mkdirSync } = await import('node:fs');
    const itero = join(root, 'try-itero');
    const prime = join(root, 'try-prime');
    mkdirSync(join(itero, 'OrthoCAD_Export_98765'), { recursive: true });
    for (const [name, content] of Object.entries(iteroFiles({ order: '98765', xmlPatient: 'Anna, Meier', rxPatient: 'Meier, Anna', chart: 'K-1', scanningDate: '12/01/2026', exportTime: '12/03/2026 10:00:00', seed: 1 }))) {
      writeFileSync(join(itero, 'OrthoCAD_Export_98765', name), content);
    }
    const config = write('try.yaml', `dataDir: ${join(root, 'try-data')}\nfolders:\n  - path: ${itero}\n    name: itero\n    rule: itero\n  - path: ${prime}\n    name: prime\n    rule: primescan\n    layout: patient-subfolder\n`);
    const fromDisk = await cusp(['config', 'check', '--config', config, '--try', join(itero, 'OrthoCAD_Export_98765', '98765_shell_occlusion_u.stl')]);
    assert.equal(fromDisk.status, 0, fromDisk.stderr);
    assert.match(fromDisk.stdout, /sample OrthoCAD_Export_98765\/98765_shell_occlusion_u\.stl in folder itero \(rule itero, layout flat\)\n/);
    assert.match(fromDisk.stdout, /lastName\s+Meier\s+from the Rx page/);
    assert.match(fromDisk.stdout, /capturedAt\s+2026-12-01\s+from the Rx page/);
    assert.match(fromDisk.stdout, /jaw\s+upper\s+from the iTero manifest/);
    assert.match(fromDisk.stdout, /externalId\s+chart:K-1\s+from the Rx page/);
    assert.match(fromDisk.stdout, /iTero manifest\s+lastName Anna · firstName Meier/, 'what the manifest said as written');
    assert.match(fromDisk.stdout, /warning: the iTero manifest and the Rx page give the name in another order/);

    const byName = await cusp(['config', 'check', '--config', config, '--folder', 'prime', '--try', 'Meier_Anna_2026-12-02/UpperJaw/Data.obj', '--json']);
    assert.equal(byName.status, 0, byName.stderr);
    const [result] = JSON.parse(byName.stdout.slice(byName.stdout.indexOf('\n') + 1)) as Array<{ read: boolean; evidence: { fields: Record<string, { value: string; source: string }> } }>;
    assert.equal(result.read, false);
    assert.deepEqual(result.evidence.fields.capturedAt, { value: '2026-12-02', source: 'folder' }, "a folder's date is the visit's");
    assert.equal(result.evidence.fields.birthDate, undefined);
    assert.deepEqual(result.evidence.fields.jaw, { value: 'upper', source: 'name' });

    const nowhere = await cusp(['config', 'check', '--config', config, '--try', '/elsewhere/x.stl']);
    assert.equal(nowhere.status, 1);
    assert.match(nowhere.stderr, /in no watched folder — give the folder with --folder NAME/);
  });
});
