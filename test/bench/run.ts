// `npm run bench`: runs every test/bench/*.bench.ts in its own process, one after the other,
// so each starts with a clean heap. Each bench prints its figures as ratios against a
// reference measured in the same run. Pass names to run only some, and numbers to hand to
// them (sizes in thousands of triangles): `npm run bench -- mesh-io 1000`.
//
// Benches time what ships. Each is bundled with esbuild — its own code and test helpers —
// with every import of src/ pointed at the build in dist/ (built just before by `npm run
// bench`), and run on plain node, as the daemon runs. Through tsx's loader the same code ran
// up to 20% slower (ASCII STL reading: its module wrappers put a getter call on every use of
// a function imported from another file, and it wraps plain .js files too), so a bench run
// directly with tsx still works but under-reports.
//
// And with the environment the daemon runs in: its unit sets glibc's huge-pages tunable
// (systemd/cusp.service, daemon/huge-pages.ts), so each bench process gets it too, unless
// GLIBC_TUNABLES is set already; whole processes a bench starts run without it (userEnv in
// command-time.ts), as a person's shell starts them.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { HUGE_PAGES_TUNABLE } from '../../daemon/huge-pages.js';

const dir = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(dir, '..', '..');
const src = join(root, 'src') + sep;

/** Imports of src/ become imports of the same module in dist/src (absolute: the bundle lives elsewhere). */
const shipped: Plugin = {
  name: 'shipped',
  setup(b) {
    b.onResolve({ filter: /(^|\/)src\// }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return path.startsWith(src) ? { path: join(root, 'dist', 'src', path.slice(src.length)), external: true } : undefined;
    });
  },
};

const args = process.argv.slice(2);
const filters = args.filter((a) => !/^\d+$/.test(a));
const numbers = args.filter((a) => /^\d+$/.test(a));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
const env = process.env.GLIBC_TUNABLES === undefined ? { ...process.env, GLIBC_TUNABLES: HUGE_PAGES_TUNABLE, CUSP_BENCH_SET_TUNABLES: '1' } : process.env;
console.log(`bench processes run with GLIBC_TUNABLES=${env.GLIBC_TUNABLES ?? ''}${env === process.env ? ' (set by you)' : ' (as the daemon\'s unit sets it)'}`);
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  // Beside its source, so paths it builds from import.meta.url stay right; removed after.
  const bundle = `${dir}.${file.replace(/\.ts$/, '')}.bundle.mjs`;
  await build({
    entryPoints: [`${dir}${file}`], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', plugins: [shipped], logLevel: 'error',
  });
  const command = ['--expose-gc', bundle];
  try {
    const r = spawnSync(process.execPath, [...command, ...numbers], { stdio: 'inherit', env });
    if (r.status !== 0) failed++;
  } finally {
    rmSync(bundle, { force: true });
  }
}
process.exit(failed === 0 ? 0 : 1);
