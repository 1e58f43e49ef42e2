#!/usr/bin/env node
// The `cusp` executable's entry point; everything else is in main.ts so tests can call it.
// The commands that read whole scans first start themselves again with huge pages where
// that pays (see huge-pages.ts) — before main.js and its command table are even loaded.
import { relaunchWithHugePages, wantsHugePages } from './huge-pages.js';

const argv = process.argv.slice(2);
let relaunch = false;
try {
  relaunch = wantsHugePages(argv, process.env);
} catch (err) {
  // A bad CUSP_HUGE_PAGES: said once, plainly, before anything runs.
  process.stderr.write(`cusp: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
if (relaunch) {
  process.exitCode = await relaunchWithHugePages(process.env);
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
}
