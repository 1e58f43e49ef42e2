// Every CLI error is one line that names the allowed values or the next step: a wrong value
// is called unknown (not "required"), a missing or empty file is said in the file's terms
// before anything is sent, and Node's parseArgs wording is put in Cusp's.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

/** The first line of stderr (the usage may follow it). */
const firstLine = (stderr: string) => stderr.split('\n')[0];

test('a wrong value names the allowed ones; a missing one says it is required', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'cusp.yaml');
  writeFileSync(config, 'dataDir: ./data\n');
  const cases: Array<[string[], RegExp]> = [
    [['token', 'create', '--name', 'x', '--role', 'superuser'], /^cusp token create: unknown role 'superuser' — --role takes one of admin, clinician, integration, auditor$/],
    [['token', 'create', '--name', 'x'], /^cusp token create: --role is required: one of admin, clinician, integration, auditor$/],
    [['audit', 'export', '--format', 'xml'], /^cusp audit export: unknown format 'xml' — --format takes fhir or syslog$/],
    [['audit', 'export'], /^cusp audit export: --format is required: fhir or syslog$/],
    [['convert', 'a.stl', 'b.ply', '--to', 'ply'], /^cusp convert: unknown option '--to' — this command's options are below$/],
    [['token', 'create', '--name'], /^cusp token create: --name needs a value — see the usage below$/],
    [['version', 'now'], /^cusp version: unexpected argument 'now' — this command takes none; see the usage below$/],
  ];
  for (const [args, expected] of cases) {
    const r = await runCli(args, { cwd: dir, env: { CUSP_CONFIG: config } });
    assert.equal(r.code, 2, `${args.join(' ')}: usage errors exit 2\n${r.stderr}`);
    assert.match(firstLine(r.stderr), expected, args.join(' '));
    assert.doesNotMatch(r.stderr, /To specify a positional argument/, 'no Node advice');
  }
});

test('cusp import says what is wrong with each file first, in the file\'s terms, and imports nothing of those', async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'cusp.yaml');
  writeFileSync(config, 'dataDir: ./data\n');
  writeFileSync(join(dir, 'empty.stl'), '');
  mkdirSync(join(dir, 'exports'));
  const r = await runCli(['import', 'missing.stl', 'empty.stl', 'exports', '--config', config], { cwd: dir });
  assert.equal(r.code, 1);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'missing.stl: not taken in: no such file — check the path',
    'empty.stl: not taken in: the file is empty (0 bytes) — the export did not finish; export the scan again',
    'exports: not taken in: is a folder — name the scan files in it (cusp import FOLDER/*.stl), or make it a drop folder',
  ]);
  assert.doesNotMatch(r.stderr, /ENOENT|send the file's bytes/);
});
