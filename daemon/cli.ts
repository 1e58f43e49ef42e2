#!/usr/bin/env node
// The `cusp` executable's entry point; everything else is in main.ts so tests can call it.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
