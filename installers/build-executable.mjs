#!/usr/bin/env node
// `npm run package`: builds installers/out/cusp, the single linux-x64 executable carrying
// Node 24 LTS, the SQLCipher addon for it, the CLI and worker bundles and the SQL
// migrations. Needs only the npm registry (or npm's cache) for installers/toolchain; once
// that is installed the build is offline.
//
//   node installers/build-executable.mjs [--output FILE]
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundle } from './build/bundle.mjs';
import { buildSea } from './build/sea.mjs';
import { OUT, toolchain } from './build/toolchain.mjs';

const { values } = parseArgs({ options: { output: { type: 'string' } } });
const output = resolve(values.output ?? join(OUT, 'cusp'));
const started = Date.now();
try {
  const tools = toolchain();
  const app = join(OUT, 'app');
  await bundle(tools, app);
  buildSea(tools, app, output);
  const mib = (statSync(output).size / 1048576).toFixed(1);
  console.log(`built ${output}: ${mib} MiB, Node ${tools.nodeVersion}, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (err) {
  console.error(`package: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
