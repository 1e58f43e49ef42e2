// esbuild bundles of the CLI and the job workers, laid out the way the sources expect to
// find their files at run time (paths relative to import.meta.url):
//
//   <app>/package.json                 name + version  (daemon/commands/version.ts: ../../package.json)
//   <app>/lib/cusp/cusp.mjs            the CLI, ESM (top-level await in daemon/cli.ts)
//   <app>/lib/cusp/migrations/*.sql    src/store/migrate.ts: ./migrations/
//   <app>/lib/cusp/workers/*.worker.js src/jobs/worker-path.ts: ./workers/ (CommonJS: pkg
//                                       starts a worker from the executable by compiling it as CJS)
//   <app>/lib/cusp/wal-checkpoint.worker.js    src/store/wal-checkpointer.ts: next to the CLI
//                                       (CommonJS too; it opens the database, so it carries
//                                       the SQLCipher shim like the CLI)
//   <app>/lib/cusp/addon/better_sqlite3.node   read by installers/sea/native-binding.mjs
//   <app>/web/index.html, web/assets/*  the review page (web/build.mjs); src/api/web-app.ts
//                                       finds it at ../../web/ from the CLI, as from dist/src/api/
//
// The SQLCipher library in the executable is better-sqlite3-multiple-ciphers 13.x from
// installers/toolchain: its prebuilt linux-x64 addon is N-API (built for Node >= 22, glibc
// >= 2.34). The 12.x that development on Node 20 uses aborts under Node 24 as soon as a
// prepared statement is garbage-collected ("Assertion failed: (env) != nullptr").
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildWeb } from '../../web/build.mjs';
import { ROOT } from './toolchain.mjs';

// `require` for the bundled CommonJS packages, and the bundle's own folder for the addon shim.
const BANNER = [
  "import { createRequire as __cuspCreateRequire } from 'node:module';",
  "import { dirname as __cuspDirname } from 'node:path';",
  "import { fileURLToPath as __cuspFileURLToPath } from 'node:url';",
  'globalThis.require ??= __cuspCreateRequire(import.meta.url);',
  'globalThis.__cuspBundleDir = __cuspDirname(__cuspFileURLToPath(import.meta.url));',
].join('\n');

// ink imports react-devtools-core only when DEV=true; the executable does not carry it.
const devtoolsStub = {
  name: 'cusp-no-devtools',
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'cusp-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'cusp-stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

/** `import Database from 'better-sqlite3-multiple-ciphers'` → 13.x, its addon through native-binding.mjs. */
function sqlitePlugin(tools) {
  const lib = (file) => JSON.stringify(join(tools.sqlite, 'lib', file));
  const shim = JSON.stringify(join(ROOT, 'installers', 'sea', 'native-binding.mjs'));
  return {
    name: 'cusp-sqlite',
    setup(build) {
      build.onResolve({ filter: /^better-sqlite3-multiple-ciphers$/ }, () => ({ path: 'sqlite', namespace: 'cusp-sqlite' }));
      build.onLoad({ filter: /.*/, namespace: 'cusp-sqlite' }, () => ({
        contents: [
          `const { loadAddon } = require(${shim});`,
          `module.exports = require(${lib('database.js')})(() => loadAddon('better_sqlite3.node'), false);`,
          `module.exports.SqliteError = require(${lib('sqlite-error.js')});`,
        ].join('\n'),
        loader: 'js',
        resolveDir: ROOT,
      }));
    },
  };
}

/** Bundle everything into `app`; returns the entry file and the sizes for the report. */
export async function bundle(tools, app) {
  const esbuild = createRequire(import.meta.url)(tools.esbuild);
  rmSync(app, { recursive: true, force: true });
  const lib = join(app, 'lib', 'cusp');
  mkdirSync(join(lib, 'addon'), { recursive: true });
  const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const common = { bundle: true, platform: 'node', target: 'node24', legalComments: 'none', minifySyntax: true, minifyWhitespace: true, keepNames: true, logLevel: 'warning' };
  const main = join(lib, 'cusp.mjs');
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'daemon', 'cli.ts')],
    outfile: main,
    format: 'esm',
    banner: { js: BANNER },
    plugins: [sqlitePlugin(tools), devtoolsStub],
  });
  const workersSrc = join(ROOT, 'src', 'jobs', 'workers');
  const workers = readdirSync(workersSrc).filter((f) => f.endsWith('.worker.ts'));
  await esbuild.build({
    ...common,
    entryPoints: workers.map((f) => join(workersSrc, f)),
    outdir: join(lib, 'workers'),
    outExtension: { '.js': '.js' },
    format: 'cjs',
  });
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'src', 'store', 'wal-checkpoint.worker.ts')],
    outfile: join(lib, 'wal-checkpoint.worker.js'),
    format: 'cjs',
    banner: { js: 'globalThis.__cuspBundleDir = __dirname;' },
    plugins: [sqlitePlugin(tools)],
  });
  cpSync(join(ROOT, 'src', 'store', 'migrations'), join(lib, 'migrations'), { recursive: true });
  await buildWeb(join(app, 'web'), esbuild.build);
  copyFileSync(join(tools.sqlite, 'prebuilds', 'linux-x64.node'), join(lib, 'addon', 'better_sqlite3.node'));
  const config = {
    name: rootPkg.name,
    version: rootPkg.version,
    description: rootPkg.description,
    bin: 'lib/cusp/cusp.mjs',
    pkg: {
      assets: ['lib/cusp/migrations/*.sql', 'lib/cusp/workers/*.js', 'lib/cusp/*.worker.js', 'lib/cusp/addon/*.node', 'web/index.html', 'web/assets/*'],
      targets: [`node${tools.nodeVersion}-linux-x64`],
    },
  };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(config, null, 2)}\n`);
  return { entry: main, workers: workers.map((f) => f.replace(/\.ts$/, '.js')) };
}
