// `npm run bench`: runs every test/bench/*.bench.ts in its own process, one after the other,
// so each starts with a clean heap. Each bench prints its figures as ratios against a
// reference measured in the same run. Pass names to run only some, and numbers to hand to
// them (sizes in thousands of triangles): `npm run bench -- mesh-io 1000`.
//
// The mesh benches time pure code and are bundled with esbuild and run on plain node, as the
// executable runs its esbuild bundle: through tsx's loader the same code ran 20% slower
// (measured on ASCII STL reading: its module wrappers put a getter call on every use of a
// function imported from another file, and it wraps plain .js files too). The other benches
// start the daemon's parts, which find their files (migrations, worker scripts) next to
// their own sources, so they run from source through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BUNDLED = new Set(['mesh-io.bench.ts', 'mesh-check.bench.ts']);

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const filters = args.filter((a) => !/^\d+$/.test(a));
const numbers = args.filter((a) => /^\d+$/.test(a));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  let command = ['--expose-gc', '--import', 'tsx', `${dir}${file}`];
  // Beside its source, so paths it builds from import.meta.url stay right; removed after.
  const bundle = `${dir}.${file.replace(/\.ts$/, '')}.bundle.mjs`;
  if (BUNDLED.has(file)) {
    await build({
      entryPoints: [`${dir}${file}`], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      packages: 'external', logLevel: 'error',
    });
    command = ['--expose-gc', bundle];
  }
  try {
    const r = spawnSync(process.execPath, [...command, ...numbers], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  } finally {
    rmSync(bundle, { force: true });
  }
}
process.exit(failed === 0 ? 0 : 1);
