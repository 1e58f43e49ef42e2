// The real daemon, a real drop folder, real corpus scans: what a clinic's scanner does.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync, closeSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/store.js';
import { corpusBytes, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';
import { dbOf } from '../helpers/db.js';

const skip = !hasCorpus() && 'no corpus';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('scans dropped slowly, at once, twice, with lying names and one broken are each stored once, validated, and the broken one quarantined', { skip }, async (t) => {
  const dir = tempDir(t);
  const key = randomBytes(32);
  const keyFile = join(dir, 'cusp.key');
  writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  const daemon = await startDaemon(dir, {
    extraConfig: `store:\n  keyFile: ${keyFile}\nfolders:\n  - path: ${inbox}\n    name: trios-share\n    stabilitySeconds: 0.5\n    rescanMinutes: 0.1\n`,
  });
  t.after(() => daemon.stop('SIGKILL'));

  // 1. written slowly in chunks with pauses, as a scanner on a slow share does
  const slow = corpusBytes('dental/openfulljaw_P26_mandible_tooth19_molar.stl');
  const fd = openSync(join(inbox, 'Mustermann_Erika_2026-11-20_lower.stl'), 'w');
  for (let off = 0; off < slow.length; off += 256 * 1024) {
    writeSync(fd, slow.subarray(off, Math.min(slow.length, off + 256 * 1024)));
    await sleep(300);
  }
  closeSync(fd);
  // 2. several at once, one of them a PLY whose name says .stl (a lying name), one without extension
  copyFileSync(corpusPath('dental/openfulljaw_P26_maxilla_tooth14_molar.stl'), join(inbox, 'Mustermann_Erika_2026-11-20_upper.stl'));
  copyFileSync(corpusPath('dental/derived_tooth24_big_endian.ply'), join(inbox, 'lying-name_lower.stl'));
  copyFileSync(corpusPath('dental/openfulljaw_P26_mandible_tooth24_incisor.stl'), join(inbox, 'UpperJaw'));
  // 3. a duplicate of the slow one under another name, once the slow one is taken in (the
  // same bytes dropped at the same moment under two names are stored under whichever is
  // stable first), and a temp file being written
  await until('the slowly written scan to be taken in', () => !readdirSync(inbox).includes('Mustermann_Erika_2026-11-20_lower.stl'), 60_000);
  copyFileSync(corpusPath('dental/openfulljaw_P26_mandible_tooth19_molar.stl'), join(inbox, 'copy.stl'));
  writeFileSync(join(inbox, 'unfinished.stl.part'), slow.subarray(0, 1000));
  // 4. a broken file
  copyFileSync(corpusPath('broken/derived_tooth24_header_overclaims.stl'), join(inbox, 'Broken_Case_2026-11-21_upper.stl'));

  const quarantine = join(dir, 'data', 'quarantine', 'trios-share');
  await until('the inbox to empty and the broken file to be quarantined', () => {
    const left = readdirSync(inbox);
    return left.length === 1 && left[0] === 'unfinished.stl.part' && existsSync(join(quarantine, 'Broken_Case_2026-11-21_upper.stl.reason.txt'));
  }, 90_000);
  assert.match(readFileSync(join(quarantine, 'Broken_Case_2026-11-21_upper.stl.reason.txt'), 'utf8'), /Reason: .*(header|triangles|claims|size)/i);

  const store = openStore(join(dir, 'data', 'cusp.db'), key);
  t.after(() => store.close());
  const statuses = await until('every scan validated and analysed', () => {
    const rows = dbOf(store).prepare('SELECT original_name, status, jaw, format FROM scans ORDER BY original_name').all() as Array<{ original_name: string; status: string; jaw: string; format: string }>;
    return rows.length === 4 && rows.every((r) => r.status === 'analysed') ? rows : undefined;
  });
  assert.deepEqual(statuses.map((r) => [r.original_name, r.status, r.jaw, r.format]), [
    ['Mustermann_Erika_2026-11-20_lower.stl', 'analysed', 'lower', 'stl'],
    ['Mustermann_Erika_2026-11-20_upper.stl', 'analysed', 'upper', 'stl'],
    ['UpperJaw', 'analysed', 'upper', 'stl'],
    ['lying-name_lower.stl', 'analysed', 'lower', 'ply'],
  ]);
  const dup = dbOf(store).prepare("SELECT count(*) AS n FROM scan_arrivals WHERE duplicate = 1 AND original_name = 'copy.stl'").get() as { n: number };
  assert.equal(dup.n, 1, 'the copy is recorded as a duplicate arrival, not stored twice');
  const patients = dbOf(store).prepare('SELECT count(*) AS n FROM patients').get() as { n: number };
  assert.equal(patients.n, 1, 'both Mustermann scans went to one patient');

  assert.equal(await daemon.stop(), 0);
  const verify = await runCli(['audit', 'verify', '--config', daemon.configPath], { cwd: dir });
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.doesNotMatch(daemon.output(), /Mustermann|Erika/, 'patient names never reach the daemon log');
});
