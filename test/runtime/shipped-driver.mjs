// Preloaded (`node --import`) when the tests run on the shipped runtime (Node 24 from
// installers/toolchain, `npm run test:runtime`): points every import of the SQLCipher driver at
// the toolchain's better-sqlite3-multiple-ciphers 13.x, the version the executable carries.
// The root node_modules holds 12.x, built for Node 20: Node 24 refuses its addon
// (NODE_MODULE_VERSION 115 against 137), and 12.x aborts on Node 24 when a prepared statement
// is garbage-collected. Worker threads inherit the preload through execArgv, so the workers
// that open the database (integrity check, WAL checkpoint) load 13.x too.
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const DRIVER = 'better-sqlite3-multiple-ciphers';
const shipped = new URL(`../../installers/toolchain/node_modules/${DRIVER}/lib/index.js`, import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === DRIVER) return { url: shipped, format: 'commonjs', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

/** The driver file the hook resolves to, for the runner's first line. */
export const SHIPPED_DRIVER = fileURLToPath(shipped);
