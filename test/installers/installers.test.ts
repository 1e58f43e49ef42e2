// install.sh, uninstall.sh and the .deb, run for real into throwaway roots: the real
// systemd-sysusers/tmpfiles make the users and folders, the real dpkg installs the package
// (maintainer scripts chrootless, honouring DPKG_ROOT). The executable is a stand-in that
// answers `cusp version`; the smoke test of the real one is test/executable/executable.test.ts (npm run test:runtime).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { tempDir } from '../helpers/temp.js';

const INSTALLERS = fileURLToPath(new URL('../../installers/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const skip = process.getuid?.() !== 0 ? 'needs root (chown to the service user)'
  : !has('systemd-sysusers') || !has('systemd-tmpfiles') ? 'systemd-sysusers/systemd-tmpfiles missing (apt-get install systemd)'
    : false;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A stand-in executable that reports `version`. */
function fakeCusp(t: TestContext, version: string): string {
  const path = join(tempDir(t), 'cusp');
  writeFileSync(path, `#!/bin/sh\necho "cusp ${version} (node stand-in)"\n`);
  chmodSync(path, 0o755);
  return path;
}

function idOf(root: string, file: 'passwd' | 'group', name: string): number {
  const line = readFileSync(join(root, 'etc', file), 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  assert.ok(line, `${name} exists in ${file}`);
  return Number(line.split(':')[2]);
}

/** Owner, group and mode of every path the installers promise, by name. */
function assertLayout(root: string, bin: string): void {
  const cusp = idOf(root, 'passwd', 'cusp');
  const cuspGroup = idOf(root, 'group', 'cusp');
  const drop = idOf(root, 'group', 'cusp-drop');
  assert.match(readFileSync(join(root, 'etc', 'group'), 'utf8'), /^cusp-drop:x:\d+:cusp$/m, 'the service user may read the drop folders');
  assert.match(readFileSync(join(root, 'etc', 'passwd'), 'utf8'), /^cusp:x:\d+:\d+:[^:]*:\/var\/lib\/cusp:\/usr\/sbin\/nologin$/m);
  const expected: Array<[string, number, number, number]> = [
    ['etc/cusp', 0o750, 0, cuspGroup],
    ['etc/cusp/cusp.yaml', 0o640, 0, cuspGroup],
    ['etc/cusp/cusp.key', 0o600, cusp, cuspGroup],
    ['var/lib/cusp', 0o700, cusp, cuspGroup],
    ['var/lib/cusp/backups', 0o700, cusp, cuspGroup],
    ['srv/cusp', 0o750, cusp, drop],
    ['srv/cusp/inbox', 0o2770, cusp, drop],
    [bin, 0o755, 0, 0],
  ];
  for (const [path, mode, uid, gid] of expected) {
    const st = statSync(join(root, path));
    assert.equal(st.mode & 0o7777, mode, `${path} mode ${(st.mode & 0o7777).toString(8)}`);
    assert.equal(st.uid, uid, `${path} owner`);
    assert.equal(st.gid, gid, `${path} group`);
  }
  assert.match(readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8'), /^[0-9a-f]{64}\n$/, 'a 256-bit key in hex');
}

/** The generated config is valid for the real loader and points at the appliance's paths. */
function assertConfig(root: string): void {
  const loaded = loadConfig({ flag: join(root, 'etc/cusp/cusp.yaml'), env: {}, cwd: '/' });
  assert.equal(loaded.config.dataDir, '/var/lib/cusp');
  assert.equal(loaded.config.store.keyFile, '/etc/cusp/cusp.key');
  assert.equal(loaded.config.api.adminSocket, '/run/cusp/cusp.sock');
  assert.equal(loaded.config.api.host, '0.0.0.0');
  assert.deepEqual(loaded.config.folders.map((f) => f.path), ['/srv/cusp/inbox']);
}

test('install.sh into a throwaway root: users, folders, owners and modes, key, config, unit; a second run changes nothing; a downgrade is refused; uninstall keeps data unless --purge', { skip }, async (t) => {
  const root = tempDir(t);
  const first = run(join(INSTALLERS, 'install.sh'), ['--root', root, '--binary', fakeCusp(t, '0.1.0')]);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /created a new 256-bit database key/);
  assertLayout(root, 'usr/local/bin/cusp');
  assertConfig(root);
  const unit = readFileSync(join(root, 'etc/systemd/system/cusp.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/cusp daemon --config \/etc\/cusp\/cusp.yaml$/m);
  assert.match(unit, /^LoadCredential=cusp.key:\/etc\/cusp\/cusp.key$/m);

  const key = readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8');
  writeFileSync(join(root, 'var/lib/cusp/cusp.db'), 'the clinic\'s data');
  const again = run(join(INSTALLERS, 'install.sh'), ['--root', root, '--binary', fakeCusp(t, '0.2.0')]);
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /keeping the existing database key/);
  assert.match(again.out, /installed cusp 0\.2\.0 \(was 0\.1\.0\)/);
  assert.equal(readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8'), key, 'the key is never replaced');
  assert.equal(readFileSync(join(root, 'var/lib/cusp/cusp.db'), 'utf8'), 'the clinic\'s data');
  assertLayout(root, 'usr/local/bin/cusp');

  const down = run(join(INSTALLERS, 'install.sh'), ['--root', root, '--binary', fakeCusp(t, '0.1.5')]);
  assert.equal(down.code, 1);
  assert.match(down.out, /refusing to downgrade cusp 0\.2\.0 to 0\.1\.5/);
  assert.match(run(join(root, 'usr/local/bin/cusp'), ['version']).out, /cusp 0\.2\.0/, 'the installed version stays');

  const remove = run(join(INSTALLERS, 'uninstall.sh'), ['--root', root]);
  assert.equal(remove.code, 0, remove.out);
  assert.ok(!existsSync(join(root, 'usr/local/bin/cusp')) && !existsSync(join(root, 'etc/systemd/system/cusp.service')));
  assert.equal(readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8'), key, 'uninstall keeps the key');
  assert.ok(existsSync(join(root, 'var/lib/cusp/cusp.db')), 'uninstall keeps the data');

  writeFileSync(join(root, 'srv/cusp/inbox/unprocessed.stl'), 'solid x');
  const purge = run(join(INSTALLERS, 'uninstall.sh'), ['--root', root, '--purge']);
  assert.equal(purge.code, 0, purge.out);
  assert.ok(!existsSync(join(root, 'etc/cusp')) && !existsSync(join(root, 'var/lib/cusp')));
  assert.ok(existsSync(join(root, 'srv/cusp/inbox/unprocessed.stl')), 'a scan not yet taken in is never deleted');
  assert.doesNotMatch(readFileSync(join(root, 'etc/passwd'), 'utf8'), /^cusp:/m);
});

test('the .deb installs with dpkg into a throwaway root like install.sh does, refuses a downgrade, and purge removes config and data', { skip: skip || (!has('dpkg-deb') && 'dpkg-deb missing') }, async (t) => {
  const dir = tempDir(t);
  const build = (version: string) => {
    const out = join(dir, `cusp_${version}.deb`);
    const r = run(join(INSTALLERS, 'deb', 'build-deb.sh'), ['--binary', fakeCusp(t, version), '--version', version, '--out', out]);
    assert.equal(r.code, 0, r.out);
    return out;
  };
  const root = join(dir, 'root');
  mkdirSync(join(root, 'var/lib/dpkg/info'), { recursive: true });
  mkdirSync(join(root, 'var/lib/dpkg/updates'));
  writeFileSync(join(root, 'var/lib/dpkg/status'), '');
  // Chrootless: the maintainer scripts run here with DPKG_ROOT=root; the empty root has no
  // libc6 or systemd package to satisfy Depends.
  const dpkg = (...args: string[]) => run('dpkg', [`--root=${root}`, '--force-script-chrootless', '--force-depends', '--log=/dev/null', ...args]);

  const contents = run('dpkg-deb', ['-c', build('0.1.0')]).out;
  for (const path of ['./usr/bin/cusp', './usr/lib/systemd/system/cusp.service', './usr/lib/sysusers.d/cusp.conf', './usr/lib/tmpfiles.d/cusp.conf', './usr/share/cusp/cusp.example.yaml']) {
    assert.match(contents, new RegExp(`root/root .* ${path.replaceAll('.', '\\.')}$`, 'm'), path);
  }
  const install = dpkg('-i', join(dir, 'cusp_0.1.0.deb'));
  assert.equal(install.code, 0, install.out);
  assertLayout(root, 'usr/bin/cusp');
  assertConfig(root);
  const key = readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8');

  const upgrade = dpkg('-i', build('0.2.0'));
  assert.equal(upgrade.code, 0, upgrade.out);
  assert.equal(readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8'), key, 'an upgrade keeps the key');
  const down = dpkg('-i', build('0.1.5'));
  assert.notEqual(down.code, 0);
  assert.match(down.out, /refusing to downgrade cusp 0\.2\.0 to 0\.1\.5/);
  assert.match(run(join(root, 'usr/bin/cusp'), ['version']).out, /cusp 0\.2\.0/);

  assert.equal(dpkg('-r', 'cusp').code, 0);
  assert.equal(readFileSync(join(root, 'etc/cusp/cusp.key'), 'utf8'), key, 'remove keeps the key and data');
  const purge = dpkg('-P', 'cusp');
  assert.equal(purge.code, 0, purge.out);
  assert.ok(!existsSync(join(root, 'etc/cusp')) && !existsSync(join(root, 'var/lib/cusp')));
});

test('systemd-analyze verifies the unit and rates its exposure OK (below 2.0)', { skip: !has('systemd-analyze') && 'systemd-analyze missing (apt-get install systemd)' }, async (t) => {
  const root = tempDir(t);
  // A root with the system's own units (verify follows the unit's dependencies) and an executable at ExecStart.
  mkdirSync(join(root, 'usr/lib/systemd'), { recursive: true });
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  const units = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((d) => existsSync(join(d, 'multi-user.target')));
  assert.ok(units, 'the system units are installed');
  assert.equal(run('cp', ['-a', units, join(root, 'usr/lib/systemd/')]).code, 0);
  mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
  writeFileSync(join(root, 'etc/systemd/system/cusp.service'), readFileSync(join(REPO, 'systemd/cusp.service')));
  writeFileSync(join(root, 'usr/bin/cusp'), readFileSync(fakeCusp(t, '0.1.0')), { mode: 0o755 });

  const verify = run('systemd-analyze', ['verify', `--root=${root}`, 'cusp.service']);
  assert.equal(verify.code, 0, verify.out);
  assert.equal(verify.out.trim(), '', 'no warnings');
  const security = run('systemd-analyze', ['security', '--offline=true', `--root=${root}`, 'cusp.service']);
  const score = /Overall exposure level for cusp\.service: (\d+\.\d+) (\w+)/.exec(security.out);
  assert.ok(score, security.out);
  assert.ok(Number(score[1]) < 2, `exposure ${score[1]}`);
  assert.equal(score[2], 'OK');
  for (const setting of ['ProtectSystem=', 'ProtectHome=', 'PrivateTmp=', 'NoNewPrivileges=', 'CapabilityBoundingSet=~CAP_SYS_ADMIN', 'SystemCallFilter=~@privileged']) {
    assert.match(security.out, new RegExp(`✓ ${setting.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), setting);
  }
});
